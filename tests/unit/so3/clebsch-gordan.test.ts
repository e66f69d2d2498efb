/**
 * Real Clebsch–Gordan coefficients (core/so3/clebsch-gordan.ts): known tensors (dot and cross products, identity
 * couplings), the Gaunt relation with an independent closed form of ⟨l1 0 l2 0|L 0⟩, orthogonality, intertwining
 * with the Wigner matrices, the documented sign convention and caching.
 * Tolerance: 1e-14 absolute (entries ≤ 1; observed ≤ 1e-15).
 */
import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import {
  CG_LMAX,
  clebschGordan,
  randomRotation,
  sphericalHarmonics,
  wignerD,
} from '../../../core/so3/index.ts';
import { identity, matmul, maxAbsDiff, transpose } from './linalg.ts';

const TOL = 1e-14;

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** |⟨l1 0 l2 0|L 0⟩| for l1 + l2 + L = 2g even (Edmonds, "Angular Momentum in Quantum Mechanics", §3.7). */
function cgZeroMagnitude(l1: number, l2: number, L: number): number {
  const g = (l1 + l2 + L) / 2;
  return (
    Math.sqrt(2 * L + 1) *
    Math.sqrt((factorial(2 * g - 2 * l1) * factorial(2 * g - 2 * l2) * factorial(2 * g - 2 * L)) / factorial(2 * g + 1)) *
    (factorial(g) / (factorial(g - l1) * factorial(g - l2) * factorial(g - L)))
  );
}

/** Σ_{m1 m2} C_{m1 m2 M} u_{m1} v_{m2}: the coupled vector of length 2L + 1. */
function couple(l1: number, l2: number, L: number, u: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const { data } = clebschGordan(l1, l2, L);
  const [n2, n3] = [2 * l2 + 1, 2 * L + 1];
  const out = new Float64Array(n3);
  for (let a = 0; a < u.length; a++) for (let b = 0; b < n2; b++) for (let c = 0; c < n3; c++) out[c] += data[(a * n2 + b) * n3 + c] * u[a] * v[b];
  return out;
}

/** Max |(D_l1 ⊗ D_l2) C − C D_L| for one rotation. */
function intertwiningError(l1: number, l2: number, L: number, R: Float64Array): number {
  const { data: C } = clebschGordan(l1, l2, L);
  const [n1, n2, n3] = [2 * l1 + 1, 2 * l2 + 1, 2 * L + 1];
  const [D1, D2, DL] = [wignerD(l1, R), wignerD(l2, R), wignerD(L, R)];
  // (D1 ⊗ D2) C as two contractions: first over m2 (per m1 slice), then over m1.
  const t = new Float64Array(n1 * n2 * n3);
  for (let a = 0; a < n1; a++) t.set(matmul(D2, C.subarray(a * n2 * n3, (a + 1) * n2 * n3), n2, n2, n3), a * n2 * n3);
  const left = matmul(D1, t, n1, n1, n2 * n3);
  const right = matmul(C, DL, n1 * n2, n3, n3);
  return maxAbsDiff(left, right);
}

describe('known couplings', () => {
  it('C^{000} = 1, C^{l l 0} = δ/sqrt(2l + 1) (dot product), C^{0 l l} = C^{l 0 l} = I, for l ≤ 6', () => {
    expect(Array.from(clebschGordan(0, 0, 0).data)).toEqual([1]);
    for (let l = 0; l <= CG_LMAX; l++) {
      const w = 2 * l + 1;
      const dot = identity(w).map((v) => v / Math.sqrt(w));
      expect(maxAbsDiff(clebschGordan(l, l, 0).data, dot)).toBeLessThan(TOL);
      expect(maxAbsDiff(clebschGordan(0, l, l).data, identity(w))).toBeLessThan(TOL);
      expect(maxAbsDiff(clebschGordan(l, 0, l).data, identity(w))).toBeLessThan(TOL);
    }
  });

  it('C^{111} couples two vectors (wiki order y, z, x) to their cross product / sqrt(2)', () => {
    const [u, v] = [[0.3, -1.1, 2.0], [1.7, 0.4, -0.6]]; // (x, y, z)
    const cross = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const wiki = (r: number[]): number[] => [r[1], r[2], r[0]];
    const expected = wiki(cross).map((c) => c / Math.SQRT2);
    expect(maxAbsDiff(couple(1, 1, 1, wiki(u), wiki(v)), expected)).toBeLessThan(TOL);
  });

  it('C^{112} couples r ⊗ r to sqrt(8π/15) r² Y_2(r) (the traceless symmetric part, positive sign)', () => {
    const r = [0.3, -1.1, 2.0];
    const wiki = [r[1], r[2], r[0]];
    const r2 = r[0] ** 2 + r[1] ** 2 + r[2] ** 2;
    const expected = Array.from(sphericalHarmonics(2, r)).map((y) => Math.sqrt((8 * Math.PI) / 15) * r2 * y);
    expect(maxAbsDiff(couple(1, 1, 2, wiki, wiki), expected)).toBeLessThan(TOL);
  });

  it('Gaunt: Σ C Y_l1(r) Y_l2(r) = sqrt((2l1+1)(2l2+1)/(4π(2L+1))) |⟨l1 0 l2 0|L 0⟩| Y_L(r), all even paths with L ≤ 6', () => {
    const r = [0.8, -0.5, 0.35];
    let paths = 0;
    for (let l1 = 0; l1 <= CG_LMAX; l1++) {
      for (let l2 = 0; l2 <= CG_LMAX; l2++) {
        for (let L = Math.abs(l1 - l2); L <= Math.min(l1 + l2, 6); L += 2) {
          const c = Math.sqrt(((2 * l1 + 1) * (2 * l2 + 1)) / (4 * Math.PI * (2 * L + 1))) * cgZeroMagnitude(l1, l2, L);
          const expected = Array.from(sphericalHarmonics(L, r)).map((y) => c * y);
          expect(maxAbsDiff(couple(l1, l2, L, sphericalHarmonics(l1, r), sphericalHarmonics(l2, r)), expected)).toBeLessThan(TOL);
          paths++;
        }
      }
    }
    expect(paths).toBeGreaterThan(60);
  });
});

describe('orthogonality and intertwining', () => {
  it('for every l1, l2 ≤ 6 the (m1, m2) × (L, M) matrix over all L is orthogonal (QᵀQ = QQᵀ = I)', () => {
    for (let l1 = 0; l1 <= CG_LMAX; l1++) {
      for (let l2 = 0; l2 <= CG_LMAX; l2++) {
        const rows = (2 * l1 + 1) * (2 * l2 + 1);
        const Q = new Float64Array(rows * rows);
        let col = 0;
        for (let L = Math.abs(l1 - l2); L <= l1 + l2; L++) {
          const { data } = clebschGordan(l1, l2, L);
          const w = 2 * L + 1;
          for (let i = 0; i < rows; i++) for (let M = 0; M < w; M++) Q[i * rows + col + M] = data[i * w + M];
          col += w;
        }
        expect(col).toBe(rows);
        const Qt = transpose(Q, rows, rows);
        expect(maxAbsDiff(matmul(Qt, Q, rows, rows, rows), identity(rows))).toBeLessThan(TOL);
        expect(maxAbsDiff(matmul(Q, Qt, rows, rows, rows), identity(rows))).toBeLessThan(TOL);
      }
    }
  });

  it('(D_l1 ⊗ D_l2) C = C D_L for all l1, l2 ≤ 4 and every L (3 rotations)', () => {
    const rng = new Rng(31);
    const Rs = [randomRotation(rng), randomRotation(rng), randomRotation(rng)];
    let worst = 0;
    for (let l1 = 0; l1 <= 4; l1++) {
      for (let l2 = 0; l2 <= 4; l2++) {
        for (let L = Math.abs(l1 - l2); L <= l1 + l2; L++) for (const R of Rs) worst = Math.max(worst, intertwiningError(l1, l2, L, R));
      }
    }
    expect(worst).toBeLessThan(TOL);
  });

  it('intertwining spot checks up to l1, l2 = 6 and L = 12', () => {
    const R = randomRotation(new Rng(32));
    for (const [l1, l2, L] of [[6, 6, 0], [6, 6, 5], [6, 6, 12], [5, 6, 7], [6, 3, 4], [2, 6, 8], [5, 5, 10], [6, 1, 6]]) {
      expect(intertwiningError(l1, l2, L, R)).toBeLessThan(TOL);
    }
  });
});

describe('conventions, caching and errors', () => {
  it('sign: C_{000} > 0 when l1 + l2 + L is even, else the first non-zero entry (row-major) is > 0', () => {
    for (let l1 = 0; l1 <= CG_LMAX; l1++) {
      for (let l2 = 0; l2 <= CG_LMAX; l2++) {
        for (let L = Math.abs(l1 - l2); L <= l1 + l2; L++) {
          const { data, shape } = clebschGordan(l1, l2, L);
          const centre = (l1 * shape[1] + l2) * shape[2] + L;
          if ((l1 + l2 + L) % 2 === 0) expect(data[centre]).toBeGreaterThan(0);
          else {
            expect(data[centre]).toBe(0);
            expect(data.find((v) => v !== 0)).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('even paths are symmetric under swapping the inputs: C^{l2 l1 L}_{m2 m1 M} = C^{l1 l2 L}_{m1 m2 M}', () => {
    for (const [l1, l2, L] of [[1, 2, 1], [2, 3, 3], [1, 3, 4], [4, 2, 4]]) {
      const a = clebschGordan(l1, l2, L);
      const b = clebschGordan(l2, l1, L);
      const [n1, n2, n3] = a.shape;
      let worst = 0;
      for (let i = 0; i < n1; i++) {
        for (let j = 0; j < n2; j++) {
          for (let k = 0; k < n3; k++) worst = Math.max(worst, Math.abs(a.data[(i * n2 + j) * n3 + k] - b.data[(j * n1 + i) * n3 + k]));
        }
      }
      expect(worst).toBeLessThan(TOL);
    }
  });

  it('returns shape and l values, and a fresh copy each call (the cache cannot be corrupted)', () => {
    const first = clebschGordan(2, 3, 4);
    expect(first.shape).toEqual([5, 7, 9]);
    expect([first.l1, first.l2, first.L]).toEqual([2, 3, 4]);
    expect(first.data.length).toBe(5 * 7 * 9);
    const saved = Array.from(first.data);
    first.data.fill(42);
    expect(Array.from(clebschGordan(2, 3, 4).data)).toEqual(saved);
  });

  it('rejects l above 6, L outside the triangle and non-integers with E_INPUT', () => {
    for (const [l1, l2, L] of [[7, 0, 7], [1, 1, 3], [2, 1, 0], [-1, 1, 0], [1.5, 1, 1]]) {
      expect(() => clebschGordan(l1, l2, L)).toThrow(HamError);
    }
    expect(() => clebschGordan(1, 1, 3)).toThrow(/not in \|l1 − l2\|…l1 \+ l2 = 0…2/);
  });
});
