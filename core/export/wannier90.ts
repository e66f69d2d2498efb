/**
 * `wannier90` export (formats §4.6): the Löwdin-orthogonalised Hamiltonian as Wannier90's seedname_hr.dat and
 * seedname_tb.dat, for tight-binding tools that read them (WannierTools, PythTB, TBmodels, Wannier90's own
 * postprocessing).
 *
 * H_orth(k) = S(k)^{-1/2} H(k) S(k)^{-1/2} on a Γ-centred mesh N1×N2×N3 (Bloch sums, DESIGN.md §4), transformed
 * back to H_orth(R) = (1/N_k) Σ_k e^{−2πi k·R} H_orth(k) for R in the Wigner–Seitz supercell of the mesh, with the
 * degeneracy of the R on its boundary (Wannier90's convention: H(k) = Σ_R e^{+2πi k·R} H(R) / deg(R), the same
 * phase sign as ours, H_mn(R) = ⟨m0|H|nR⟩). On the mesh the file reproduces the generalised eigenvalues exactly;
 * between mesh points it interpolates, as well as the supercell holds the Löwdin orbitals' tails. S^{-1/2} spreads
 * each block by about the range of S on either side, so the default mesh, 4·max|R_j| + 1 along each axis, holds
 * twice the range of the stored blocks (graphene 3×3 from 1044 blocks with |R_j| ≤ 1: 5×5×1, off-mesh error
 * 0.8 meV within ±3 eV of E_F; measured 59 meV for 3×3, 0.17 meV for 6×6, 0.03 meV for 7×7).
 *
 * hr.dat: line 1 a comment (date, units, orbital order), num_wann, nrpts, degeneracies 15 per line, then
 * `R1 R2 R3 m n Re Im` per R with m fastest (1-based). Energies in eV with 10 decimals (Wannier90 writes F12.6;
 * readers read free format, and 1e-6 eV rounding would show in the eigenvalues). tb.dat: the same header, the
 * lattice vectors (Å), then per R a blank line, `R1 R2 R3` and `m n Re Im` lines; the position-matrix section of
 * Wannier90's tb.dat is not written (we have no ⟨m|r|n⟩ integrals).
 */
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { orbitalCount, type HamiltonianSample } from '../datasets/sample.ts';
import { blochMatrix } from '../physics/bloch.ts';
import { lowdinOrthogonalize } from '../physics/hermitian-eigen.ts';
import { gammaCentredMesh } from '../physics/kpath.ts';
import { norm, vecMat } from '../structure/cell.ts';
import type { Mat3 } from '../structure/structure.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import { exportMeta } from './meta.ts';

export type Mesh = [number, number, number];

/** H_orth(R) on the Wigner–Seitz points of a mesh, in eV. */
export interface WannierHamiltonian {
  numWann: number;
  /** Lattice vectors as rows, Å. */
  cell: Mat3;
  mesh: Mesh;
  /** Integer R, row-major nR × 3, in ascending lexicographic order. */
  R: Int32Array;
  degeneracy: Int32Array;
  /** H_orth(R)_mn at [r·n² + m·n + n'], eV. */
  re: Float64Array;
  im: Float64Array;
}

/**
 * The lattice points R of the Wigner–Seitz cell of the supercell (N1 a1, N2 a2, N3 a3): R is kept when no
 * supercell translate R − T is closer to the origin, and deg(R) counts the equally close translates. Checked:
 * Σ 1/deg(R) = N1 N2 N3 (one full set of R modulo the supercell).
 */
export function wignerSeitzPoints(cell: Mat3, mesh: Mesh): { R: Int32Array; degeneracy: Int32Array } {
  const len2 = (f: [number, number, number]) => norm(vecMat(f, cell)) ** 2;
  const scale = Math.max(...[0, 1, 2].map((j) => norm(cell[j]) * mesh[j])) ** 2;
  const tol = 1e-8 * scale;
  const R: number[] = [];
  const degeneracy: number[] = [];
  let weight = 0;
  // Searching R within ±2N_j and translates T = N_j t_j with t_j ∈ {−2 … 2}, as Wannier90's ws_search_size 2.
  const range = (m: number) => Array.from({ length: 4 * m + 1 }, (_, i) => i - 2 * m);
  const images = [-2, -1, 0, 1, 2];
  for (const n1 of range(mesh[0])) {
    for (const n2 of range(mesh[1])) {
      for (const n3 of range(mesh[2])) {
        const own = len2([n1, n2, n3]);
        let closest = Infinity;
        let count = 0;
        for (const t1 of images) {
          for (const t2 of images) {
            for (const t3 of images) {
              const d = len2([n1 - t1 * mesh[0], n2 - t2 * mesh[1], n3 - t3 * mesh[2]]);
              if (d < closest - tol) [closest, count] = [d, 1];
              else if (d <= closest + tol) count++;
            }
          }
        }
        if (own > closest + tol) continue;
        R.push(n1, n2, n3);
        degeneracy.push(count);
        weight += 1 / count;
      }
    }
  }
  const nk = mesh[0] * mesh[1] * mesh[2];
  if (Math.abs(weight - nk) > 1e-8) {
    throw new HamError('E_INTERNAL', `Wigner–Seitz search of the ${mesh.join('×')} supercell found weight ${weight}, not ${nk} (cell too skewed for the search range)`);
  }
  return { R: Int32Array.from(R), degeneracy: Int32Array.from(degeneracy) };
}

/** The mesh whose Wigner–Seitz supercell holds twice the range of the stored R: 4·max|R_j| + 1 along each axis. */
export function defaultMesh(sample: Pick<HamiltonianSample, 'blocks'>): Mesh {
  const m: Mesh = [1, 1, 1];
  const { R } = sample.blocks;
  for (let p = 0; p < R.length; p++) m[p % 3] = Math.max(m[p % 3], 4 * Math.abs(R[p]) + 1);
  return m;
}

export function wannierHamiltonian(sample: HamiltonianSample, mesh: Mesh = defaultMesh(sample)): WannierHamiltonian {
  const cell = sample.structure.cell;
  if (!cell) throw new HamError('E_INPUT', `${sample.id}: a Wannier90 Hamiltonian needs a crystal (a cell)`);
  if (!sample.blocks.S) throw new HamError('E_INPUT', `${sample.id}: the Löwdin orthogonalisation needs the overlap S(R)`);
  const n = orbitalCount(sample);
  const kpts = gammaCentredMesh(mesh);
  const nk = kpts.length / 3;
  const { R, degeneracy } = wignerSeitzPoints(cell, mesh);
  const nR = degeneracy.length;
  const re = new Float64Array(nR * n * n);
  const im = new Float64Array(nR * n * n);
  const toEV = energyFactor(sample.unit, 'eV');
  for (let q = 0; q < nk; q++) {
    const k = kpts.subarray(3 * q, 3 * q + 3);
    const Hk = lowdinOrthogonalize(blochMatrix(sample, 'H', k), blochMatrix(sample, 'S', k));
    for (let r = 0; r < nR; r++) {
      const phase = -2 * Math.PI * (k[0] * R[3 * r] + k[1] * R[3 * r + 1] + k[2] * R[3 * r + 2]);
      const c = (Math.cos(phase) * toEV) / nk;
      const s = (Math.sin(phase) * toEV) / nk;
      const o = r * n * n;
      for (let p = 0; p < n * n; p++) {
        re[o + p] += c * Hk.re[p] - s * Hk.im[p];
        im[o + p] += c * Hk.im[p] + s * Hk.re[p];
      }
    }
  }
  return { numWann: n, cell, mesh, R, degeneracy, re, im };
}

/** The one-line comment both files start with. */
export function wannierHeader(sample: HamiltonianSample, mesh: Mesh, date = new Date()): string {
  const shells = [...new Set(sample.atomShells.map((ls) => ls.join(' ')))];
  return [
    `Hamiltonian Studio ${date.toISOString()}: ${sample.id}`,
    `Lowdin-orthogonalised S(k)^-1/2 H(k) S(k)^-1/2 on a Gamma-centred ${mesh.join('x')} k-mesh`,
    'units eV, Angstrom',
    `orbitals atom-major, per atom shells l = ${shells.length === 1 ? shells[0] : 'as in meta.json'}, each m = -l..l real spherical harmonics without Condon-Shortley phase (wiki: p y z x; d xy yz z2 xz x2-y2)`,
  ].join('; ');
}

const int5 = (x: number) => String(x).padStart(5);
const real = (x: number) => x.toFixed(10).padStart(18);

function degeneracyLines(degeneracy: Int32Array): string[] {
  const lines: string[] = [];
  for (let p = 0; p < degeneracy.length; p += 15) lines.push(Array.from(degeneracy.subarray(p, p + 15), int5).join(''));
  return lines;
}

/** Lines `m n Re Im` (m fastest) of one R, optionally prefixed with R. */
function blockLines(w: WannierHamiltonian, r: number, withR: boolean): string[] {
  const n = w.numWann;
  const Rs = withR ? Array.from(w.R.subarray(3 * r, 3 * r + 3), int5).join('') : '';
  const lines: string[] = [];
  for (let col = 0; col < n; col++) {
    for (let row = 0; row < n; row++) {
      const p = r * n * n + row * n + col;
      lines.push(`${Rs}${int5(row + 1)}${int5(col + 1)}${real(w.re[p])}${real(w.im[p])}`);
    }
  }
  return lines;
}

export function hrDatText(w: WannierHamiltonian, header: string): string {
  const nR = w.degeneracy.length;
  const lines = [header, String(w.numWann).padStart(12), String(nR).padStart(12), ...degeneracyLines(w.degeneracy)];
  for (let r = 0; r < nR; r++) lines.push(...blockLines(w, r, true));
  return `${lines.join('\n')}\n`;
}

export function tbDatText(w: WannierHamiltonian, header: string): string {
  const nR = w.degeneracy.length;
  const lines = [header, ...w.cell.map((a) => a.map(real).join('')), String(w.numWann).padStart(12), String(nR).padStart(12), ...degeneracyLines(w.degeneracy)];
  for (let r = 0; r < nR; r++) lines.push('', Array.from(w.R.subarray(3 * r, 3 * r + 3), int5).join(''), ...blockLines(w, r, false));
  return `${lines.join('\n')}\n`;
}

/** Seedname from the sample id: its last path component with anything but [A-Za-z0-9._-] replaced. */
export function seedname(sample: HamiltonianSample): string {
  return path.basename(sample.id).replace(/[^A-Za-z0-9._-]/g, '_') || 'hamstudio';
}

export const wannier90Format: ExportFormat = {
  name: 'wannier90',
  summary: 'Wannier90 seedname_hr.dat / _tb.dat of the Löwdin-orthogonalised H(R) (eV)',
  kinds: ['crystal'],
  order: { fixed: 'wiki' },
  async write(source, dir) {
    const { sample } = source;
    const w = wannierHamiltonian(sample);
    const header = wannierHeader(sample, w.mesh);
    const seed = seedname(sample);
    const files = new ExportFiles(dir);
    files.text(`${seed}_hr.dat`, hrDatText(w, header));
    files.text(`${seed}_tb.dat`, tbDatText(w, header));
    files.json('meta.json', exportMeta(source, 'wannier90', 'wiki', { H: 'eV (Löwdin-orthogonalised)', cell: 'angstrom' }, {
      [`${seed}_hr.dat`]: `H_orth(R) on the Wigner–Seitz points of the ${w.mesh.join('×')} mesh`,
      [`${seed}_tb.dat`]: 'lattice vectors and H_orth(R) (no position matrix)',
    }));
    return files.names;
  },
};
