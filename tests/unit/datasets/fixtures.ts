/**
 * Tiny synthetic datasets written to temporary folders: a 3-atom molecule for the matrix-stack layout and a
 * 2-atom crystal written in both DeepH layouts from one set of "true" wiki-order blocks, so that readers can be
 * checked against known values and malformed copies can be made by editing one file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertBlock, type OrbitalConvention } from '../../../core/basis/conventions.ts';
import { orbitalsOfShells } from '../../../core/basis/orbital-layout.ts';
import { HamError } from '../../../core/contracts/errors.ts';
import { writeH5 } from '../../../core/io/hdf5.ts';
import { moleculeBlocks, type HamiltonianSample } from '../../../core/datasets/sample.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import type { Mat3, Vec3 } from '../../../core/structure/structure.ts';

/** Symmetric n × n matrix; `diag` added on the diagonal (makes S positive definite). */
export function randomSymmetric(n: number, rng: Rng, scale: number, diag = 0): Float64Array {
  const m = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const v = scale * (rng.uniform() - 0.5) + (a === b ? diag : 0);
      m[a * n + b] = v;
      m[b * n + a] = v;
    }
  }
  return m;
}

/** Water-like molecule (O with s, p, d shells; two H with s): n = 9 + 1 + 1 = 11 orbitals. */
export const MOLECULE_SHELLS = [[0, 1, 2], [0], [0]];
export const MOLECULE_NUMBERS = [8, 1, 1];

export function moleculeSamples(count: number, seed = 1): HamiltonianSample[] {
  const rng = new Rng(seed);
  const n = MOLECULE_SHELLS.reduce((a, ls) => a + orbitalsOfShells(ls), 0);
  return Array.from({ length: count }, (_, k) => ({
    id: `mol/${k}`,
    structure: {
      numbers: [...MOLECULE_NUMBERS],
      positions: [[0, 0, 0.1 * k], [0.76, 0.59, 0], [-0.76, 0.59, 0]] as Vec3[],
    },
    atomShells: MOLECULE_SHELLS.map((ls) => [...ls]),
    unit: 'hartree' as const,
    convention: 'wiki' as const,
    blocks: moleculeBlocks(MOLECULE_SHELLS, randomSymmetric(n, rng, 1), randomSymmetric(n, rng, 0.1, 1)),
    references: { orbitalEnergies: Float64Array.from({ length: n }, (_, a) => a - 5), energy: -76 - k },
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// A 2-atom crystal: atom 0 carbon-like with shells s, p, d (9 orbitals), atom 1 hydrogen-like s, p (4 orbitals).

export const CRYSTAL_SHELLS = [[0, 1, 2], [0, 1]];
export const CRYSTAL_NUMBERS = [6, 1];
/** Lattice vectors as rows (deliberately not symmetric, so a transposition error shows). */
export const CRYSTAL_CELL: Mat3 = [[3, 0, 0], [1, 2.8, 0], [0.2, 0.3, 10]];
export const CRYSTAL_POSITIONS: Vec3[] = [[0.1, 0.2, 5], [1.5, 1.0, 5.2]];

export interface TrueBlock {
  i: number;
  j: number;
  R: [number, number, number];
  H: Float64Array;
  S: Float64Array;
}

/** Hermitian set of blocks in wiki order: on-site (symmetric) and (0,1,R)/(1,0,−R) pairs for three R. */
export function crystalBlocks(seed = 7): TrueBlock[] {
  const rng = new Rng(seed);
  const no = CRYSTAL_SHELLS.map(orbitalsOfShells);
  const rand = (n: number, s: number) => Float64Array.from({ length: n }, () => s * (rng.uniform() - 0.5));
  const transpose = (m: Float64Array, nr: number, nc: number) => {
    const t = new Float64Array(m.length);
    for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) t[c * nr + r] = m[r * nc + c];
    return t;
  };
  const out: TrueBlock[] = [];
  for (let a = 0; a < 2; a++) out.push({ i: a, j: a, R: [0, 0, 0], H: randomSymmetric(no[a], rng, 4), S: randomSymmetric(no[a], rng, 0.05, 1) });
  for (const R of [[0, 0, 0], [1, 0, 0], [0, -1, 0]] as [number, number, number][]) {
    const H = rand(no[0] * no[1], 2);
    const S = rand(no[0] * no[1], 0.2);
    out.push({ i: 0, j: 1, R, H, S });
    out.push({ i: 1, j: 0, R: [-R[0], -R[1], -R[2]], H: transpose(H, no[0], no[1]), S: transpose(S, no[0], no[1]) });
  }
  // An image of atom 0 itself: (0, 0, R) and (0, 0, −R) are transposes of each other.
  const H = rand(no[0] * no[0], 1);
  const S = rand(no[0] * no[0], 0.1);
  out.push({ i: 0, j: 0, R: [0, 1, 0], H, S });
  out.push({ i: 0, j: 0, R: [0, -1, 0], H: transpose(H, no[0], no[0]), S: transpose(S, no[0], no[0]) });
  return out;
}

const legacyKey = (b: TrueBlock) => `[${b.R[0]}, ${b.R[1]}, ${b.R[2]}, ${b.i + 1}, ${b.j + 1}]`;

function toCode(b: TrueBlock, m: Float64Array, order: OrbitalConvention): Float64Array {
  return convertBlock(m, CRYSTAL_SHELLS[b.i], CRYSTAL_SHELLS[b.j], 'wiki', order);
}

export interface LegacyOptions {
  /** info.json orbital_order; undefined = key absent (DeepH-pack's default, OpenMX order). */
  orbitalOrder?: OrbitalConvention;
  blocks?: TrueBlock[];
  info?: Record<string, unknown>;
}

/** Write a legacy DeepH folder; matrices converted from wiki to the folder's order. */
export async function writeLegacyFolder(dir: string, opts: LegacyOptions = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const order = opts.orbitalOrder ?? 'openmx';
  const blocks = opts.blocks ?? crystalBlocks();
  // lat.dat: line r holds component r of each lattice vector (vectors as columns).
  writeFileSync(path.join(dir, 'lat.dat'), [0, 1, 2].map((r) => CRYSTAL_CELL.map((v) => v[r]).join(' ')).join('\n') + '\n');
  writeFileSync(path.join(dir, 'site_positions.dat'), [0, 1, 2].map((c) => CRYSTAL_POSITIONS.map((p) => p[c]).join(' ')).join('\n') + '\n');
  writeFileSync(path.join(dir, 'element.dat'), CRYSTAL_NUMBERS.join('\n') + '\n');
  writeFileSync(path.join(dir, 'orbital_types.dat'), CRYSTAL_SHELLS.map((ls) => ls.join(' ')).join('\n') + '\n');
  const info = { isspinful: false, fermi_level: -1.5, ...(opts.orbitalOrder ? { orbital_order: opts.orbitalOrder } : {}), ...opts.info };
  writeFileSync(path.join(dir, 'info.json'), JSON.stringify(info));
  const no = CRYSTAL_SHELLS.map(orbitalsOfShells);
  const spec = (m: 'H' | 'S') => blocks.map((b) => ({ name: legacyKey(b), shape: [no[b.i], no[b.j]], data: toCode(b, b[m], order) }));
  await writeH5(path.join(dir, 'hamiltonians.h5'), spec('H'));
  await writeH5(path.join(dir, 'overlaps.h5'), spec('S'));
}

/** Write a DeepH-dock folder (wiki order, 0-based atoms, POSCAR in Direct coordinates). */
export async function writeNewFolder(dir: string, opts: { blocks?: TrueBlock[]; info?: Record<string, unknown> } = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const blocks = opts.blocks ?? crystalBlocks();
  // Direct coordinates: solve p = f · cell for f (cell rows), here by Cramer's rule on the 3×3 system.
  const frac = CRYSTAL_POSITIONS.map((p) => solveRows(CRYSTAL_CELL, p));
  writeFileSync(path.join(dir, 'POSCAR'), [
    'test crystal', '1.0', ...CRYSTAL_CELL.map((r) => r.join(' ')), 'C H', '1 1', 'Direct', ...frac.map((f) => f.join(' ')), '',
  ].join('\n'));
  writeFileSync(path.join(dir, 'info.json'), JSON.stringify({
    atoms_quantity: 2, orbits_quantity: 13, orthogonal_basis: false, spinful: false, fermi_energy_eV: -1.5,
    elements_orbital_map: { C: CRYSTAL_SHELLS[0], H: CRYSTAL_SHELLS[1] }, ...opts.info,
  }));
  const no = CRYSTAL_SHELLS.map(orbitalsOfShells);
  const pairs = BigInt64Array.from(blocks.flatMap((b) => [...b.R, b.i, b.j].map(BigInt)));
  const shapes = BigInt64Array.from(blocks.flatMap((b) => [BigInt(no[b.i]), BigInt(no[b.j])]));
  const bounds = new BigInt64Array(blocks.length + 1);
  blocks.forEach((b, k) => { bounds[k + 1] = bounds[k] + BigInt(no[b.i] * no[b.j]); });
  for (const [m, name] of [['H', 'hamiltonian.h5'], ['S', 'overlap.h5']] as const) {
    const entries = Float64Array.from(blocks.flatMap((b) => Array.from(b[m])));
    await writeH5(path.join(dir, name), [
      { name: 'atom_pairs', shape: [blocks.length, 5], data: pairs },
      { name: 'chunk_boundaries', shape: [blocks.length + 1], data: bounds },
      { name: 'chunk_shapes', shape: [blocks.length, 2], data: shapes },
      { name: 'entries', shape: [entries.length], data: entries },
    ]);
  }
}

function solveRows(m: Mat3, p: Vec3): Vec3 {
  // f · m = p  ⇔  mᵀ fᵀ = pᵀ
  const t = [[m[0][0], m[1][0], m[2][0]], [m[0][1], m[1][1], m[2][1]], [m[0][2], m[1][2], m[2][2]]];
  const det = (a: number[][]) => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
    - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(t);
  return [0, 1, 2].map((k) => det(t.map((row, r) => row.map((v, c) => (c === k ? p[r] : v)))) / d) as Vec3;
}

/** Run `fn` (sync or async) and require a HamError with `code` whose message contains every fragment. */
export async function expectHamError(fn: () => unknown, code: string, ...fragments: string[]): Promise<HamError> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof HamError)) throw new Error(`expected a HamError ${code}, got ${String(error)}`);
  if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
  for (const f of fragments) {
    if (!error.message.includes(f)) throw new Error(`message lacks '${f}': ${error.message}`);
  }
  return error;
}
