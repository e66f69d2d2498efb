/** The eigen-solver against psi4: eigenvalues of the stored (H, S) equal psi4's orbital energies (psi4 1.3.2). */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../core/datasets/load.ts';
import { denseMatrix, orbitalCount } from '../../core/datasets/sample.ts';
import { generalizedEigen } from '../../core/physics/generalized-eigen.ts';
import { compareOrbitals, occupiedOrbitals } from '../../core/physics/molecular-metrics.ts';
import { datasetPath } from '../helpers/datasets.ts';

describe('generalised eigenproblem H C = S C E', async () => {
  const ethanol = await loadDataset(datasetPath('ethanol-pbe-def2svp'));
  const sample = ethanol.samples[3];
  const n = orbitalCount(sample);
  const H = denseMatrix(sample, 'H');
  const S = denseMatrix(sample, 'S');

  it('reproduces psi4 orbital energies of ethanol to 1e-9 Eh, with Cᵀ S C = 1 and small residuals', () => {
    const { values, vectors, m, dropped } = generalizedEigen(H, S, n);
    expect(dropped).toBe(0);
    const ref = sample.references.orbitalEnergies!;
    values.forEach((v, k) => expect(Math.abs(v - ref[k])).toBeLessThan(1e-9));
    let worstOrth = 0;
    let worstRes = 0;
    for (const k of [0, 5, 12, 40, 71]) {
      const c = Array.from({ length: n }, (_, i) => vectors[i * m + k]);
      const Sc = Array.from({ length: n }, (_, i) => c.reduce((a, cj, j) => a + S[i * n + j] * cj, 0));
      const Hc = Array.from({ length: n }, (_, i) => c.reduce((a, cj, j) => a + H[i * n + j] * cj, 0));
      worstOrth = Math.max(worstOrth, Math.abs(c.reduce((a, ci, i) => a + ci * Sc[i], 0) - 1));
      worstRes = Math.max(worstRes, ...Hc.map((h, i) => Math.abs(h - values[k] * Sc[i])));
    }
    expect(worstOrth).toBeLessThan(1e-10);
    expect(worstRes).toBeLessThan(1e-9);
  });

  it('a perfect prediction has zero orbital-energy error and similarity 1; a perturbed one does not', () => {
    const nOcc = occupiedOrbitals(sample.structure.numbers);
    expect(nOcc).toBe(13);
    const same = compareOrbitals(H, H, S, n, nOcc);
    expect(same.maeEpsOcc).toBeLessThan(1e-12);
    expect(same.psiSimilarity).toBeCloseTo(1, 12);
    const Hp = H.map((v, k) => v + 1e-3 * Math.sin(k));
    const sym = Hp.map((_, k) => 0.5 * (Hp[k] + Hp[(k % n) * n + Math.floor(k / n)]));
    const off = compareOrbitals(sym, H, S, n, nOcc);
    expect(off.maeEpsOcc).toBeGreaterThan(1e-5);
    expect(off.psiSimilarity).toBeLessThan(1);
  });

  it('refuses an overlap that is not positive definite', () => {
    const bad = S.map((v, k) => (k === 0 ? -1 : v));
    expect(() => generalizedEigen(H, bad, n)).toThrow(/not positive definite/);
  });
});
