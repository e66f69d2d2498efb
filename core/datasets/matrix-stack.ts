/**
 * The matrix-stack layout (reference/formats-and-conventions.md §2): one molecule, N conformers, dense H and S.
 *
 *   meta.json            format "hamstudio-matrix-stack", units, orbital_order, shells (per Z, l of each shell),
 *                        atomic_numbers, n_structures, n_orbitals, …
 *   atomic_numbers.npy   (n_atoms,) int          positions.npy  (N, n_atoms, 3) Å
 *   H.npy, S.npy         (N, n, n)               orbital_energies.npy (N, n), energy.npy (N,)   [optional]
 *
 * The reader checks everything against meta.json, converts the matrices from `orbital_order` to wiki and returns
 * one sample per conformer (eager: ethanol's 200 × 72² doubles are 8 MB per matrix). The writer produces the same
 * layout atomically, so labelled data can be saved in it.
 */
import path from 'node:path';
import { convertMatrix, isOrbitalConvention, type OrbitalConvention } from '../basis/conventions.ts';
import { orbitalLayout } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic-write.ts';
import { encodeNpy, npyToFloat64, readNpy } from '../io/npy.ts';
import type { Vec3 } from '../structure/structure.ts';
import type { HamiltonianDataset } from './dataset.ts';
import { optionalFile, readJsonObject, requireFile } from './files.ts';
import { denseMatrix, moleculeBlocks, type HamiltonianSample } from './sample.ts';
import { assertFinite, assertSymmetric } from './validate.ts';

export const MATRIX_STACK_FORMAT = 'hamstudio-matrix-stack';
const LAYOUT = 'matrix-stack';

export function parseEnergyUnit(value: unknown, at: { file: string; key: string }): EnergyUnit {
  if (value === undefined) return 'hartree'; // formats §1: matrix-stack matrices are in Hartree
  const v = String(value).toLowerCase();
  if (v === 'hartree' || v === 'eh' || v === 'ha') return 'hartree';
  if (v === 'ev') return 'eV';
  throw new HamError('E_FORMAT', `unknown energy unit '${String(value)}' (expected hartree or eV)`, at);
}

interface StackMeta {
  unit: EnergyUnit;
  order: OrbitalConvention;
  shells: Map<number, number[]>;
  raw: Record<string, unknown>;
}

function readMeta(file: string): StackMeta {
  const raw = readJsonObject(file);
  if (raw.format !== MATRIX_STACK_FORMAT) {
    throw new HamError('E_FORMAT', `format is ${JSON.stringify(raw.format)}, expected "${MATRIX_STACK_FORMAT}"`, { file, key: 'format' });
  }
  const order = raw.orbital_order;
  if (typeof order !== 'string' || !isOrbitalConvention(order)) {
    throw new HamError('E_FORMAT', `unknown orbital_order ${JSON.stringify(order)}`, { file, key: 'orbital_order' });
  }
  const units = (raw.units ?? {}) as Record<string, unknown>;
  const unit = parseEnergyUnit(units.H, { file, key: 'units.H' });
  const shellsRaw = raw.shells;
  if (typeof shellsRaw !== 'object' || shellsRaw === null || Array.isArray(shellsRaw)) {
    throw new HamError('E_FORMAT', 'shells must map atomic numbers to lists of l', { file, key: 'shells' });
  }
  const shells = new Map<number, number[]>();
  for (const [z, ls] of Object.entries(shellsRaw)) {
    if (!/^\d+$/.test(z) || !Array.isArray(ls) || !ls.every((l) => Number.isInteger(l) && l >= 0)) {
      throw new HamError('E_FORMAT', `entry ${JSON.stringify(z)} must be an atomic number with a list of l ≥ 0`, { file, key: 'shells' });
    }
    shells.set(Number(z), ls as number[]);
  }
  return { unit, order, shells, raw };
}

/** Read a `.npy` of the folder and require its shape; `what` names the expectation in the message. */
function readShaped(file: string, shape: number[], what: string, code: 'E_FORMAT' | 'E_BASIS_MISMATCH' = 'E_FORMAT'): Float64Array {
  const arr = readNpy(file);
  if (arr.shape.length !== shape.length || arr.shape.some((d, k) => d !== shape[k])) {
    throw new HamError(code, `shape (${arr.shape.join(', ')}) but ${what} needs (${shape.join(', ')})`, { file });
  }
  return npyToFloat64(arr, file);
}

export function readMatrixStack(dir: string): HamiltonianDataset {
  const metaFile = requireFile(dir, 'meta.json', LAYOUT);
  const meta = readMeta(metaFile);
  const numbersFile = requireFile(dir, 'atomic_numbers.npy', LAYOUT);
  const numbersArr = readNpy(numbersFile);
  if (numbersArr.shape.length !== 1) throw new HamError('E_FORMAT', `shape (${numbersArr.shape.join(', ')}) must be (n_atoms,)`, { file: numbersFile });
  const numbers = Array.from(npyToFloat64(numbersArr, numbersFile));
  const metaNumbers = meta.raw.atomic_numbers;
  if (Array.isArray(metaNumbers) && (metaNumbers.length !== numbers.length || metaNumbers.some((z, a) => z !== numbers[a]))) {
    throw new HamError('E_FORMAT', `atomic_numbers [${metaNumbers.join(', ')}] differ from atomic_numbers.npy [${numbers.join(', ')}]`,
      { file: metaFile, key: 'atomic_numbers' });
  }
  const missing = [...new Set(numbers)].filter((z) => !meta.shells.has(z));
  if (missing.length > 0) {
    throw new HamError('E_BASIS_MISMATCH', `no shells for atomic number(s) ${missing.join(', ')} of atomic_numbers.npy`, { file: metaFile, key: 'shells' });
  }
  const layout = orbitalLayout(numbers, meta.shells);
  const n = layout.n;
  if (meta.raw.n_orbitals !== undefined && meta.raw.n_orbitals !== n) {
    throw new HamError('E_BASIS_MISMATCH', `n_orbitals is ${String(meta.raw.n_orbitals)} but the shells give ${n}`, { file: metaFile, key: 'n_orbitals' });
  }

  const hFile = requireFile(dir, 'H.npy', LAYOUT);
  const hArr = readNpy(hFile);
  const nStruct = hArr.shape[0];
  if (hArr.shape.length !== 3 || hArr.shape[1] !== n || hArr.shape[2] !== n) {
    throw new HamError('E_BASIS_MISMATCH', `shape (${hArr.shape.join(', ')}) but the shells in meta.json give (N, ${n}, ${n})`, { file: hFile, key: 'shape' });
  }
  if (meta.raw.n_structures !== undefined && meta.raw.n_structures !== nStruct) {
    throw new HamError('E_FORMAT', `n_structures is ${String(meta.raw.n_structures)} but H.npy holds ${nStruct}`, { file: metaFile, key: 'n_structures' });
  }
  const nAtoms = numbers.length;
  const H = npyToFloat64(hArr, hFile);
  const sFile = requireFile(dir, 'S.npy', LAYOUT);
  const S = readShaped(sFile, [nStruct, n, n], 'H.npy', 'E_BASIS_MISMATCH');
  const posFile = requireFile(dir, 'positions.npy', LAYOUT);
  const positions = readShaped(posFile, [nStruct, nAtoms, 3], `${nStruct} structures of ${nAtoms} atoms (atomic_numbers.npy)`);
  const epsFile = optionalFile(dir, 'orbital_energies.npy');
  const eps = epsFile ? readShaped(epsFile, [nStruct, n], 'H.npy') : undefined;
  const energyFile = optionalFile(dir, 'energy.npy');
  const energy = energyFile ? readShaped(energyFile, [nStruct], 'H.npy') : undefined;

  assertFinite(positions, { file: posFile }, (k) => `structure ${Math.floor(k / (3 * nAtoms))}: a coordinate`);
  const name = path.basename(path.resolve(dir));
  const samples: HamiltonianSample[] = [];
  for (let s = 0; s < nStruct; s++) {
    const at = { key: `structure ${s}` };
    const h = H.subarray(s * n * n, (s + 1) * n * n);
    const o = S.subarray(s * n * n, (s + 1) * n * n);
    for (const [m, file] of [[h, hFile], [o, sFile]] as const) {
      assertFinite(m, { file, ...at }, (k) => `entry (${Math.floor(k / n)}, ${k % n})`);
      assertSymmetric(m, n, { file, ...at }, 'matrix');
    }
    const pos = Array.from({ length: nAtoms }, (_, a) => Array.from(positions.subarray((s * nAtoms + a) * 3, (s * nAtoms + a + 1) * 3)) as Vec3);
    samples.push({
      id: `${name}/${s}`,
      structure: { numbers, positions: pos },
      atomShells: layout.atomShells,
      unit: meta.unit,
      convention: 'wiki',
      blocks: moleculeBlocks(layout.atomShells,
        convertMatrix(h, layout.shellLs, meta.order, 'wiki'), convertMatrix(o, layout.shellLs, meta.order, 'wiki')),
      references: {
        orbitalEnergies: eps ? eps.slice(s * n, (s + 1) * n) : undefined,
        energy: energy ? energy[s] : undefined,
      },
    });
  }
  return {
    path: dir,
    format: 'matrix-stack',
    fileOrbitalOrders: [meta.order],
    unit: meta.unit,
    basis: typeof meta.raw.basis === 'string' ? meta.raw.basis : undefined,
    samples,
    metadata: meta.raw,
  };
}

export interface MatrixStackWriteOptions {
  /** Orbital order of the written matrices (recorded in meta.json); default the internal 'wiki'. */
  orbitalOrder?: OrbitalConvention;
  /** Extra meta.json entries (method, basis, code, …); the layout's own keys win. */
  meta?: Record<string, unknown>;
  /** Replace an existing folder (atomically); default false. */
  replace?: boolean;
}

/**
 * Write molecules (one atom list, same shells) as a matrix-stack folder. Every sample needs S; orbital energies and
 * energies are written when every sample has them. The folder appears complete or not at all.
 */
export async function writeMatrixStack(dir: string, samples: readonly HamiltonianSample[], opts: MatrixStackWriteOptions = {}): Promise<void> {
  if (samples.length === 0) throw new HamError('E_INPUT', 'no samples to write', { file: dir });
  const first = samples[0];
  const { numbers } = first.structure;
  const shellsKey = JSON.stringify(first.atomShells);
  for (const s of samples) {
    if (s.structure.cell || s.blocks.R.some((r) => r !== 0)) throw new HamError('E_INPUT', `${s.id}: the matrix-stack layout holds molecules only`, { file: dir });
    if (JSON.stringify(s.structure.numbers) !== JSON.stringify(numbers) || JSON.stringify(s.atomShells) !== shellsKey) {
      throw new HamError('E_INPUT', `${s.id}: every structure of a matrix stack must have the same atoms and shells as ${first.id}`, { file: dir });
    }
    if (s.unit !== first.unit) throw new HamError('E_INPUT', `${s.id}: unit ${s.unit} differs from ${first.unit}`, { file: dir });
    if (!s.blocks.S) throw new HamError('E_INPUT', `${s.id}: no overlap matrix S to write`, { file: dir });
  }
  const order = opts.orbitalOrder ?? 'wiki';
  const shellLs = first.atomShells.flat();
  const n = shellLs.reduce((a, l) => a + 2 * l + 1, 0);
  const N = samples.length;
  const nAtoms = numbers.length;
  const H = new Float64Array(N * n * n);
  const S = new Float64Array(N * n * n);
  const positions = new Float64Array(N * nAtoms * 3);
  samples.forEach((s, k) => {
    H.set(convertMatrix(denseMatrix(s, 'H'), shellLs, 'wiki', order), k * n * n);
    S.set(convertMatrix(denseMatrix(s, 'S'), shellLs, 'wiki', order), k * n * n);
    s.structure.positions.forEach((p, a) => positions.set(p, (k * nAtoms + a) * 3));
  });
  const shells: Record<string, number[]> = {};
  numbers.forEach((z, a) => {
    shells[String(z)] = first.atomShells[a];
  });
  const withEps = samples.every((s) => s.references.orbitalEnergies?.length === n);
  const withEnergy = samples.every((s) => s.references.energy !== undefined);
  const meta = {
    ...opts.meta,
    format: MATRIX_STACK_FORMAT,
    version: 1,
    units: {
      positions: 'angstrom', H: first.unit, S: 'dimensionless',
      ...(withEps ? { orbital_energies: first.unit } : {}), ...(withEnergy ? { energy: first.unit } : {}),
    },
    orbital_order: order,
    n_structures: N,
    n_orbitals: n,
    atomic_numbers: numbers,
    shells,
  };
  await writeDirectoryAtomic(dir, (tmp) => {
    const put = (name: string, bytes: Uint8Array | string) => writeFileAtomic(path.join(tmp, name), bytes);
    put('meta.json', `${JSON.stringify(meta, null, 1)}\n`);
    put('atomic_numbers.npy', encodeNpy([nAtoms], Int32Array.from(numbers)));
    put('positions.npy', encodeNpy([N, nAtoms, 3], positions));
    put('H.npy', encodeNpy([N, n, n], H));
    put('S.npy', encodeNpy([N, n, n], S));
    if (withEps) {
      const eps = new Float64Array(N * n);
      samples.forEach((s, k) => eps.set(s.references.orbitalEnergies as Float64Array, k * n));
      put('orbital_energies.npy', encodeNpy([N, n], eps));
    }
    if (withEnergy) put('energy.npy', encodeNpy([N], Float64Array.from(samples, (s) => s.references.energy as number)));
  }, { replace: opts.replace });
}
