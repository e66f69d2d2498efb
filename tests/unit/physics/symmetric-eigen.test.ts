/**
 * The real symmetric solver against ml-matrix's EVD (an independent implementation) and its defining identities;
 * its generalised Cholesky route declines an overlap with a direction to drop, which generalized-eigen.ts then
 * hands to the canonical orthogonalisation.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { generalizedEigen, generalizedEigenvalues } from '../../../core/physics/generalized-eigen.ts';
import { choleskySymmetricEigen, symmetricEigen } from '../../../core/physics/symmetric-eigen.ts';
import { Rng } from '../../../core/runtime/rng.ts';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
  return A;
}

function checkDecomposition(A: Float64Array, n: number): void {
  const { values, vectors } = symmetricEigen(A, n, true);
  const M = new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n))));
  const ref = [...new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues].sort((a, b) => a - b);
  const scale = Math.max(1, ...ref.map(Math.abs));
  ref.forEach((v, k) => expect(Math.abs(values[k] - v)).toBeLessThan(1e-12 * scale));
  for (let j = 0; j < n; j++) {
    const v = vectors!.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += A[i * n + k] * v[k];
      expect(Math.abs(av - values[j] * v[i])).toBeLessThan(1e-12 * scale);
    }
    for (let k = 0; k <= j; k++) {
      const dot = v.reduce((s, x, i) => s + x * vectors![k * n + i], 0);
      expect(Math.abs(dot - (k === j ? 1 : 0))).toBeLessThan(1e-12);
    }
  }
}

describe('symmetricEigen', () => {
  it('equals ml-matrix’s eigenvalues with A v = λ v and orthonormal vectors (random, n = 1, 2, 40)', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 40]) checkDecomposition(randomSymmetric(n, rng), n);
  });

  it('handles columns that are already reduced (tridiagonal and diagonal input) and a 3-fold eigenvalue', () => {
    const n = 6;
    const T = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      T[i * n + i] = i - 2;
      if (i + 1 < n) T[i * n + i + 1] = T[(i + 1) * n + i] = 0.5 * (i % 2 === 0 ? 1 : -1);
    }
    checkDecomposition(T, n);
    const D = new Float64Array(n * n);
    [2, 2, 2, -1, 0, 5].forEach((v, i) => { D[i * n + i] = v; });
    checkDecomposition(D, n);
  });
});

describe('choleskySymmetricEigen', () => {
  it('declines an overlap with a linearly dependent direction; generalizedEigen then drops it', () => {
    const rng = new Rng(5);
    const n = 5;
    // Five functions of which the last is the sum of the first two: S = B Bᵀ has rank 4.
    const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    B[4] = B[0].map((x, k) => x + B[1][k]);
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = B[i].reduce((s, x, k) => s + x * B[j][k], 0);
    const H = randomSymmetric(n, rng);
    expect(choleskySymmetricEigen(H, S, n, 1e-8)).toBeUndefined();
    expect(generalizedEigen(H, S, n).dropped).toBe(1);
  });

  it('decides near-dependence by S\'s eigenvalues even where Cholesky succeeds (S = B Bᵀ, s_min/s_max from 1e-11 to 1e-5)', () => {
    const rng = new Rng(6);
    const n = 6;
    const H = randomSymmetric(n, rng);
    const B0 = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    const dir = Array.from({ length: n }, () => rng.normal());
    const seen = new Set<boolean>();
    for (const eps of [1e-5, 1e-3, 1e-2]) {
      // The last function is the sum of the first two plus eps · a random direction: s_min/s_max ~ eps².
      const B = B0.map((row) => [...row]);
      B[n - 1] = B[0].map((x, k) => x + B[1][k] + eps * dir[k]);
      const S = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = B[i].reduce((a, x, k) => a + x * B[j][k], 0);
      const s = symmetricEigen(S, n).values;
      const dependent = s[0] <= 1e-8 * s[n - 1];
      seen.add(dependent);
      const chol = choleskySymmetricEigen(H, S, n, 1e-8);
      expect(chol === undefined).toBe(dependent);
      const full = generalizedEigen(H, S, n);
      expect(full.dropped).toBe(dependent ? 1 : 0);
      // Orbital energies alone: the same numbers as with eigenvectors, on either route.
      expect(Array.from(generalizedEigenvalues(H, S, n).values)).toEqual(Array.from(full.values));
    }
    expect([...seen].sort()).toEqual([false, true]);
  });
});
