/**
 * The shared molecule datasets (psi4, def2-SVP, psi4 orbital order) read into wiki order, checked against values
 * that do not depend on our conversion code: the generalised eigenvalues of (H, S) against psi4's own orbital
 * energies (any mistake that is not a similarity permutation changes them), the on-site overlap of a normalised
 * shell (identity), and the direction dependence of ⟨s|p⟩ and ⟨s|d⟩ overlaps, which must follow the real spherical
 * harmonics of the internal order exactly — the check that would catch a wrong permutation.
 */
import { describe, expect, it } from 'vitest';
import type { HamiltonianDataset } from '../../core/datasets/dataset.ts';
import { loadDataset } from '../../core/datasets/load.ts';
import { atomOrbitalOffsets, denseMatrix, type HamiltonianSample } from '../../core/datasets/sample.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { generalizedEigenvalues } from './generalized-eigen.ts';

function expectEigenvaluesMatch(s: HamiltonianSample): void {
  const n = s.atomShells.reduce((a, ls) => a + ls.reduce((b, l) => b + 2 * l + 1, 0), 0);
  const eps = generalizedEigenvalues(denseMatrix(s, 'H'), denseMatrix(s, 'S'), n);
  const ref = s.references.orbitalEnergies as Float64Array;
  const worst = Math.max(...eps.map((e, k) => Math.abs(e - ref[k])));
  expect(worst, `${s.id}: max |ε − ε_psi4| in Eh`).toBeLessThan(1e-8);
}

/** ⟨s_H|p_C⟩ ∝ (y, z, x) and ⟨s_H|d_C⟩ ∝ (xy, yz, 3z²−r², xz, x²−y²) of the unit vector from C to H. */
function expectSpdDirections(s: HamiltonianSample, hAtom: number, heavy: number): void {
  const S = denseMatrix(s, 'S');
  const off = atomOrbitalOffsets(s.atomShells);
  const n = off[off.length - 1];
  const shells = s.atomShells[heavy];
  const start = (k: number) => off[heavy] + shells.slice(0, k).reduce((a, l) => a + 2 * l + 1, 0);
  const pFirst = start(shells.indexOf(1));
  const dFirst = start(shells.indexOf(2));
  const d = s.structure.positions[hAtom].map((v, k) => v - s.structure.positions[heavy][k]);
  const r = Math.hypot(...d);
  const [x, y, z] = d.map((v) => v / r);
  const cosine = (a: number[], b: number[]) => a.reduce((acc, v, k) => acc + v * b[k], 0) / Math.hypot(...a) / Math.hypot(...b);
  const row = off[hAtom] * n; // first s function of the H atom
  const sp = [0, 1, 2].map((m) => S[row + pFirst + m]);
  const sd = [0, 1, 2, 3, 4].map((m) => S[row + dFirst + m]);
  const sqrt15 = Math.sqrt(15);
  expect(cosine(sp, [y, z, x])).toBeGreaterThan(1 - 1e-10);
  expect(cosine(sd, [sqrt15 * x * y, sqrt15 * y * z, (Math.sqrt(5) / 2) * (3 * z * z - 1), sqrt15 * x * z, (sqrt15 / 2) * (x * x - y * y)]))
    .toBeGreaterThan(1 - 1e-10);
}

describe.each([
  { name: 'water-pbe-def2svp', structures: 475, n: 24, numbers: [8, 1, 1], eigen: [0, 474], pairs: [[1, 0], [2, 0]] },
  { name: 'ethanol-pbe-def2svp', structures: 200, n: 72, numbers: [6, 6, 8, 1, 1, 1, 1, 1, 1], eigen: [0, 199], pairs: [[3, 0], [6, 1], [8, 2]] },
])('$name', ({ name, structures, n, numbers, eigen, pairs }) => {
  let ds: HamiltonianDataset;

  it('loads every structure, converted from psi4 order to wiki', async () => {
    ds = await loadDataset(datasetPath(name));
    expect(ds.format).toBe('matrix-stack');
    expect(ds.fileOrbitalOrders).toEqual(['psi4']);
    expect(ds.unit).toBe('hartree');
    expect(ds.samples).toHaveLength(structures);
    const s = ds.samples[0];
    expect(s.structure.numbers).toEqual(numbers);
    expect(s.blocks.H.length).toBe(n * n);
    expect(s.convention).toBe('wiki');
  });

  it('the on-site overlap of an H atom p shell is the identity', () => {
    const s = ds.samples[1];
    const S = denseMatrix(s, 'S');
    const off = atomOrbitalOffsets(s.atomShells);
    const h = numbers.indexOf(1);
    const p0 = off[h] + 2; // H shells s, s, p
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(S[(p0 + a) * n + p0 + b] - (a === b ? 1 : 0))).toBeLessThan(1e-10);
  });

  it('eigenvalues of (H, S) equal psi4 orbital energies to 1e-8 Eh', () => {
    for (const k of eigen) expectEigenvaluesMatch(ds.samples[k]);
  });

  it('⟨s|p⟩ and ⟨s|d⟩ overlaps follow the wiki real spherical harmonics (p = y, z, x)', () => {
    for (const k of [0, Math.floor(structures / 2)]) for (const [h, heavy] of pairs) expectSpdDirections(ds.samples[k], h, heavy);
  });
});
