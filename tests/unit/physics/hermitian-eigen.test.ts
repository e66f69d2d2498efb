/**
 * The dense Hermitian solvers against independent references: ml-matrix's real symmetric EVD of the 2n×2n
 * embedding [[Re, −Im], [Im, Re]] (its eigenvalues are ours, each twice), generalized-eigen.ts on the real
 * symmetric case and on the embedded pencil, and the defining identities (residuals, CᴴSC = 1).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { generalizedEigen } from '../../../core/physics/generalized-eigen.ts';
import {
  generalizedHermitianEigen, hermitianEigen, lowdinOrthogonalize, type ComplexMatrix,
} from '../../../core/physics/hermitian-eigen.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import { expectHamError, innerProduct, matVec, randomHermitian, vector } from './fixtures.ts';

/** [[Re, −Im], [Im, Re]] as a dense real 2n × 2n row-major array. */
function embed(A: ComplexMatrix): Float64Array {
  const { n } = A;
  const m = 2 * n;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * m + j] = A.re[i * n + j];
      out[i * m + n + j] = -A.im[i * n + j];
      out[(n + i) * m + j] = A.im[i * n + j];
      out[(n + i) * m + n + j] = A.re[i * n + j];
    }
  }
  return out;
}

/** Every other eigenvalue of the embedding (each Hermitian eigenvalue appears twice). */
function embeddedEigenvalues(A: ComplexMatrix): number[] {
  const m = 2 * A.n;
  const e = embed(A);
  const M = new Matrix(Array.from({ length: m }, (_, i) => Array.from(e.subarray(i * m, (i + 1) * m))));
  const values = [...new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues].sort((a, b) => a - b);
  return values.filter((_, k) => k % 2 === 0);
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, k) => Math.abs(x - b[k])));

/** Largest |A c_j − ε_j S c_j| (S = 1 when absent) and largest |c_iᴴ S c_j − δ_ij|. */
function checkPairs(A: ComplexMatrix, values: Float64Array, C: NonNullable<ReturnType<typeof hermitianEigen>['vectors']>, S?: ComplexMatrix) {
  let residual = 0;
  let orthonormality = 0;
  for (let j = 0; j < C.count; j++) {
    const Ac = matVec(A, C, j);
    const Sc = S ? matVec(S, C, j) : vector(C, j);
    for (let i = 0; i < A.n; i++) residual = Math.max(residual, Math.hypot(Ac.re[i] - values[j] * Sc.re[i], Ac.im[i] - values[j] * Sc.im[i]));
    for (let i = 0; i < C.count; i++) {
      const ci = vector(C, i);
      const [re, im] = innerProduct(ci.re, ci.im, Sc.re, Sc.im);
      orthonormality = Math.max(orthonormality, Math.hypot(re - (i === j ? 1 : 0), im));
    }
  }
  return { residual, orthonormality };
}

describe('hermitianEigen', () => {
  it('matches the eigenvalues of the real 2n×2n embedding (ml-matrix) and satisfies A c = ε c, CᴴC = 1', () => {
    const A = randomHermitian(40, new Rng(11));
    const { values, vectors } = hermitianEigen(A, { vectors: true });
    expect(maxDiff(values, embeddedEigenvalues(A))).toBeLessThan(1e-12);
    expect([...values].every((v, k) => k === 0 || v >= values[k - 1])).toBe(true);
    const { residual, orthonormality } = checkPairs(A, values, vectors!);
    expect(residual).toBeLessThan(1e-12);
    expect(orthonormality).toBeLessThan(1e-12);
  });

  it('gives the same values without vectors', () => {
    const A = randomHermitian(25, new Rng(3), 2);
    expect(maxDiff(hermitianEigen(A).values, hermitianEigen(A, { vectors: true }).values)).toBe(0);
  });

  it('resolves a 4-fold degenerate eigenvalue (as graphene’s folded Dirac point) with orthonormal vectors', () => {
    // A = U diag(λ) Uᴴ with U unitary (eigenvectors of a random Hermitian matrix) and λ = (−1, 0.5 ×4, 2, 3).
    const U = hermitianEigen(randomHermitian(7, new Rng(5)), { vectors: true }).vectors!;
    const lambda = [-1, 0.5, 0.5, 0.5, 0.5, 2, 3];
    const n = 7;
    const A: ComplexMatrix = { n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let a = 0; a < n; a++) {
          const [ur, ui, vr, vi] = [U.re[a * n + i], U.im[a * n + i], U.re[a * n + j], -U.im[a * n + j]];
          A.re[i * n + j] += lambda[a] * (ur * vr - ui * vi);
          A.im[i * n + j] += lambda[a] * (ur * vi + ui * vr);
        }
      }
    }
    const { values, vectors } = hermitianEigen(A, { vectors: true });
    expect(maxDiff(values, lambda)).toBeLessThan(1e-13);
    const { residual, orthonormality } = checkPairs(A, values, vectors!);
    expect(residual).toBeLessThan(1e-13);
    expect(orthonormality).toBeLessThan(1e-13);
  });

  it('handles n = 1, an already tridiagonal matrix and a zero matrix', () => {
    expect([...hermitianEigen({ n: 1, re: Float64Array.of(-2.5), im: Float64Array.of(0) }).values]).toEqual([-2.5]);
    // Tridiagonal with complex off-diagonals (no Householder step): eigenvalues from the embedding.
    const n = 4;
    const T: ComplexMatrix = { n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
    [1, -2, 0.5, 3].forEach((d, k) => { T.re[k * n + k] = d; });
    [[0.3, 0.4], [-1, 0.2], [0, 0.7]].forEach(([r, i], k) => {
      T.re[(k + 1) * n + k] = r; T.im[(k + 1) * n + k] = i; T.re[k * n + k + 1] = r; T.im[k * n + k + 1] = -i;
    });
    const t = hermitianEigen(T, { vectors: true });
    expect(maxDiff(t.values, embeddedEigenvalues(T))).toBeLessThan(1e-14);
    expect(checkPairs(T, t.values, t.vectors!).residual).toBeLessThan(1e-14);
    const zero = hermitianEigen({ n: 3, re: new Float64Array(9), im: new Float64Array(9) }, { vectors: true });
    expect([...zero.values]).toEqual([0, 0, 0]);
    expect(checkPairs({ n: 3, re: new Float64Array(9), im: new Float64Array(9) }, zero.values, zero.vectors!).orthonormality).toBeLessThan(1e-15);
  });
});

describe('generalizedHermitianEigen', () => {
  const rng = new Rng(21);
  const n = 30;
  const H = randomHermitian(n, rng, 4);
  const S = randomHermitian(n, rng, 0.2, 1); // diagonally dominant: positive definite

  it('satisfies H c = ε S c and Cᴴ S C = 1, and equals the embedded real pencil solved by generalized-eigen.ts', () => {
    const r = generalizedHermitianEigen(H, S, { vectors: true });
    expect(r.dropped).toBe(0);
    expect(r.m).toBe(n);
    const { residual, orthonormality } = checkPairs(H, r.values, r.vectors!, S);
    expect(residual).toBeLessThan(1e-11);
    expect(orthonormality).toBeLessThan(1e-12);
    // ([[Hr, −Hi], [Hi, Hr]], [[Sr, −Si], [Si, Sr]]) is a real symmetric-definite pencil with each eigenvalue twice.
    const real = generalizedEigen(embed(H), embed(S), 2 * n);
    expect(maxDiff(r.values, Array.from(real.values).filter((_, k) => k % 2 === 0))).toBeLessThan(1e-11);
  });

  it('agrees with generalized-eigen.ts on a real symmetric problem (Im = 0)', () => {
    const Hr: ComplexMatrix = { n, re: H.re, im: new Float64Array(n * n) };
    const Sr: ComplexMatrix = { n, re: S.re, im: new Float64Array(n * n) };
    const r = generalizedHermitianEigen(Hr, Sr);
    expect(maxDiff(r.values, generalizedEigen(Hr.re, Sr.re, n).values)).toBeLessThan(1e-12);
  });

  it('drops a near-linear dependence of the basis (as DeepH’s ill_project) and reports it', () => {
    // Orbital 1 := orbital 0 + 1e-6 · (something): S gets one eigenvalue ~1e-12 relative, below the 1e-8 threshold.
    const m = 6;
    const base = randomHermitian(m, new Rng(8), 0.3, 1);
    const Hm = randomHermitian(m, new Rng(9), 2);
    const B = new Float64Array(m * m); // real basis change: row 1 = row 0 + 1e-6 e_1
    for (let k = 0; k < m; k++) B[k * m + k] = 1;
    B[1 * m + 0] = 1;
    B[1 * m + 1] = 1e-6;
    const transform = (A: ComplexMatrix): ComplexMatrix => { // B A Bᵀ
      const out: ComplexMatrix = { n: m, re: new Float64Array(m * m), im: new Float64Array(m * m) };
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
        out.re[i * m + j] += B[i * m + a] * A.re[a * m + b] * B[j * m + b];
        out.im[i * m + j] += B[i * m + a] * A.im[a * m + b] * B[j * m + b];
      }
      return out;
    };
    const r = generalizedHermitianEigen(transform(Hm), transform(base), { vectors: true });
    expect(r.dropped).toBe(1);
    expect(r.m).toBe(m - 1);
    expect(r.vectors!.count).toBe(m - 1);
    // The remaining problem is the original one without orbital 1's independent part: its eigenvalues lie within
    // the original spectrum (interlacing), and CᴴSC = 1 still holds.
    const full = generalizedHermitianEigen(Hm, base).values;
    r.values.forEach((v, k) => {
      expect(v).toBeGreaterThanOrEqual(full[k] - 1e-8);
      expect(v).toBeLessThanOrEqual(full[k + 1] + 1e-8);
    });
    expect(checkPairs(transform(Hm), r.values, r.vectors!, transform(base)).orthonormality).toBeLessThan(1e-6);
  });

  it('the projection route (one direction dropped) equals the Cholesky route on the rest when that direction is decoupled', () => {
    // H = H' ⊕ (5), S = S' ⊕ (1e-12): the dropped overlap eigenvector is exactly the extra orbital.
    const k = 8;
    const [Hp, Sp] = [randomHermitian(k, new Rng(41), 3), randomHermitian(k, new Rng(42), 0.3, 1)];
    const grow = (A: ComplexMatrix, last: number): ComplexMatrix => {
      const out: ComplexMatrix = { n: k + 1, re: new Float64Array((k + 1) ** 2), im: new Float64Array((k + 1) ** 2) };
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) [out.re[i * (k + 1) + j], out.im[i * (k + 1) + j]] = [A.re[i * k + j], A.im[i * k + j]];
      out.re[(k + 1) ** 2 - 1] = last;
      return out;
    };
    const projected = generalizedHermitianEigen(grow(Hp, 5), grow(Sp, 1e-12));
    const direct = generalizedHermitianEigen(Hp, Sp);
    expect([projected.dropped, direct.dropped]).toEqual([1, 0]);
    expect(maxDiff(projected.values, direct.values)).toBeLessThan(1e-12);
  });

  it('refuses an overlap that is not positive definite (E_NUMERIC)', () => {
    const bad = randomHermitian(5, new Rng(2), 0.1, 1);
    bad.re[0] = -0.5;
    expectHamError(() => generalizedHermitianEigen(randomHermitian(5, new Rng(4)), bad), 'E_NUMERIC', /not positive definite/);
  });
});

describe('lowdinOrthogonalize', () => {
  it('is Hermitian with the generalised eigenvalues, and is H itself when S = 1', () => {
    const rng = new Rng(31);
    const H = randomHermitian(12, rng, 3);
    const S = randomHermitian(12, rng, 0.3, 1);
    const L = lowdinOrthogonalize(H, S);
    let asym = 0;
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) asym = Math.max(asym, Math.hypot(L.re[i * 12 + j] - L.re[j * 12 + i], L.im[i * 12 + j] + L.im[j * 12 + i]));
    expect(asym).toBe(0);
    expect(maxDiff(hermitianEigen(L).values, generalizedHermitianEigen(H, S).values)).toBeLessThan(1e-12);
    const I: ComplexMatrix = { n: 12, re: new Float64Array(144), im: new Float64Array(144) };
    for (let k = 0; k < 12; k++) I.re[k * 13] = 1;
    const same = lowdinOrthogonalize(H, I);
    expect(maxDiff(same.re, H.re)).toBeLessThan(1e-14);
    expect(maxDiff(same.im, H.im)).toBeLessThan(1e-14);
  });

  it('refuses a nearly singular S (a Löwdin orbital per original orbital is impossible): E_NUMERIC', () => {
    const S: ComplexMatrix = { n: 2, re: Float64Array.of(1, 1, 1, 1 + 1e-10), im: new Float64Array(4) };
    expectHamError(() => lowdinOrthogonalize(randomHermitian(2, new Rng(1)), S), 'E_NUMERIC', /nearly singular/);
  });
});
