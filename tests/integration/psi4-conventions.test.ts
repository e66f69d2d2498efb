/**
 * The decisive convention check (formats-and-conventions.md §4.1): psi4 recomputed some conformers in rotated
 * frames. After our psi4 → wiki conversion, H_rot = D(R) H_src D(R)ᵀ and S_rot = D S Dᵀ must hold to SCF precision
 * (psi4-notes.md measured ≤ 1.6e-11 Eh), with D the block-diagonal real Wigner matrices of core/so3. A wrong
 * permutation or sign fails by ~1 Eh, which the negative control shows.
 */
import { describe, expect, it } from 'vitest';
import { convertMatrix } from '../../core/basis/conventions.ts';
import { loadDataset } from '../../core/datasets/load.ts';
import { denseMatrix, type HamiltonianSample } from '../../core/datasets/sample.ts';
import { npyToFloat64, readNpy } from '../../core/io/npy.ts';
import { blockDiagonalD } from '../../core/so3/index.ts';
import { datasetPath } from '../helpers/datasets.ts';

function rotate(M: Float64Array, D: Float64Array, n: number): Float64Array {
  const tmp = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const d = D[i * n + k];
    if (d !== 0) for (let j = 0; j < n; j++) tmp[i * n + j] += d * M[k * n + j];
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += tmp[i * n + k] * D[j * n + k];
    out[i * n + j] = s;
  }
  return out;
}

const maxAbsDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);

for (const molecule of ['water', 'ethanol']) {
  describe(`psi4 order → wiki, proved on ${molecule} rotated recomputations`, async () => {
    const src = await loadDataset(datasetPath(`${molecule}-pbe-def2svp`));
    const rotDir = datasetPath(`${molecule}-pbe-def2svp-rotated`);
    const rot = await loadDataset(rotDir);
    const R = npyToFloat64(readNpy(`${rotDir}/rotations.npy`));
    const index = npyToFloat64(readNpy(`${rotDir}/source_index.npy`));
    const shellsOf = (s: HamiltonianSample) => s.atomShells.flat();

    rot.samples.forEach((sample, k) => {
      it(`conformer ${index[k]} in rotation ${k}: H and S rotate by D(R)`, () => {
        const source = src.samples[index[k]];
        const ls = shellsOf(sample);
        const n = ls.reduce((a, l) => a + 2 * l + 1, 0);
        const D = blockDiagonalD(ls, R.subarray(9 * k, 9 * k + 9));
        const dH = maxAbsDiff(rotate(denseMatrix(source, 'H'), D, n), denseMatrix(sample, 'H'));
        const dS = maxAbsDiff(rotate(denseMatrix(source, 'S'), D, n), denseMatrix(sample, 'S'));
        expect(dH).toBeLessThan(1e-9);
        expect(dS).toBeLessThan(1e-12);
      });
    });

    it('negative control: reading psi4 matrices as if they were wiki order breaks the rotation law by > 0.1 Eh', () => {
      const sample = rot.samples[0];
      const ls = shellsOf(sample);
      const n = ls.reduce((a, l) => a + 2 * l + 1, 0);
      const D = blockDiagonalD(ls, R.subarray(0, 9));
      const naive = (s: HamiltonianSample) => convertMatrix(denseMatrix(s, 'H'), ls, 'wiki', 'psi4');
      expect(maxAbsDiff(rotate(naive(src.samples[index[0]]), D, n), naive(sample))).toBeGreaterThan(0.1);
    });
  });
}
