/**
 * Wigner D for real harmonics (core/so3/wigner.ts) and rotation helpers (core/so3/rotation.ts).
 * Defining property Y(R r) = D(R) Y(r) against the independently derived harmonics table (l ≤ 6); group laws and
 * orthogonality up to l = 12 (the CG tests need D_L for L ≤ 12); explicit matrices for l = 1 and a 90° turn.
 * Tolerance: 1e-13 absolute on entries of order 1 (observed ≈ 1e-15 to 5e-15).
 */
import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import {
  assertRotation,
  blockDiagonalD,
  randomRotation,
  rotationFromAxisAngle,
  SH_LMAX,
  sphericalHarmonics,
  wignerD,
  wignerDUpTo,
} from '../../../core/so3/index.ts';
import { identity, matmul, maxAbsDiff, rotate, transpose } from './linalg.ts';

const TOL = 1e-13;
const L_TESTED = 12;

function rotations(seed: number, n: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => randomRotation(rng));
}

describe('rotation helpers', () => {
  it('rotationFromAxisAngle: 90° about z sends x to y; 120° about (1,1,1) cycles x → y → z', () => {
    expect(maxAbsDiff(rotate(rotationFromAxisAngle([0, 0, 2], Math.PI / 2), [1, 0, 0]), [0, 1, 0])).toBeLessThan(1e-15);
    const R = rotationFromAxisAngle([1, 1, 1], (2 * Math.PI) / 3);
    expect(maxAbsDiff(R, [0, 0, 1, 1, 0, 0, 0, 1, 0])).toBeLessThan(1e-15);
  });

  it('randomRotation gives proper rotations with Haar moments E[tr R] = 0, E[(tr R)²] = 1 (2000 draws, ±0.1)', () => {
    const all = rotations(21, 2000);
    let sum = 0;
    let sumSquares = 0;
    for (const R of all) {
      assertRotation(R);
      const trace = R[0] + R[4] + R[8];
      sum += trace;
      sumSquares += trace * trace;
    }
    expect(Math.abs(sum / all.length)).toBeLessThan(0.1);
    expect(Math.abs(sumSquares / all.length - 1)).toBeLessThan(0.1);
  });

  it('assertRotation rejects reflections, non-orthogonal matrices and wrong sizes with E_INPUT', () => {
    for (const bad of [[1, 0, 0, 0, 1, 0, 0, 0, -1], [1, 0.01, 0, 0, 1, 0, 0, 0, 1], [1, 0, 0, 1]]) {
      expect(() => assertRotation(bad)).toThrow(HamError);
      expect(() => wignerD(2, bad)).toThrow(/rotation/);
    }
  });
});

describe('wignerD', () => {
  const Rs = rotations(22, 12);

  it('D_1(R) is R with rows and columns in (y, z, x) order', () => {
    for (const R of Rs) {
      const p = [1, 2, 0];
      const expected = p.flatMap((i) => p.map((j) => R[3 * i + j]));
      expect(maxAbsDiff(wignerD(1, R), expected)).toBe(0);
    }
  });

  it('D_2 for 90° about z is the signed permutation xy → −xy, yz → xz, z² → z², xz → −yz, x²−y² → −(x²−y²)', () => {
    // Y(R r) with R r = (−y, x, z): rows give Y_m(R r) in terms of Y(r), order (xy, yz, 3z²−r², xz, x²−y²).
    const expected = [
      -1, 0, 0, 0, 0,
      0, 0, 0, 1, 0,
      0, 0, 1, 0, 0,
      0, -1, 0, 0, 0,
      0, 0, 0, 0, -1,
    ];
    expect(maxAbsDiff(wignerD(2, rotationFromAxisAngle([0, 0, 1], Math.PI / 2)), expected)).toBeLessThan(1e-15);
  });

  it('Y_l(R r) = D_l(R) Y_l(r) for l = 0…6 (12 rotations × 4 directions)', () => {
    const rng = new Rng(23);
    let worst = 0;
    for (const R of Rs) {
      for (let k = 0; k < 4; k++) {
        const r = [rng.normal(), rng.normal(), rng.normal()];
        for (let l = 0; l <= SH_LMAX; l++) {
          const w = 2 * l + 1;
          const predicted = matmul(wignerD(l, R), sphericalHarmonics(l, r), w, w, 1);
          worst = Math.max(worst, maxAbsDiff(predicted, sphericalHarmonics(l, rotate(R, r))));
        }
      }
    }
    expect(worst).toBeLessThan(TOL);
  });

  it('D(identity) = I, D(R) is orthogonal, D(Rᵀ) = D(R)ᵀ and D(R1 R2) = D(R1) D(R2) for l ≤ 12', () => {
    const I3 = identity(3);
    const identityDs = wignerDUpTo(L_TESTED, I3);
    for (let i = 0; i + 1 < Rs.length; i += 2) {
      const [R1, R2] = [Rs[i], Rs[i + 1]];
      const [D1s, D2s] = [wignerDUpTo(L_TESTED, R1), wignerDUpTo(L_TESTED, R2)];
      const D12s = wignerDUpTo(L_TESTED, matmul(R1, R2, 3, 3, 3));
      const DTs = wignerDUpTo(L_TESTED, transpose(R1, 3, 3));
      for (let l = 0; l <= L_TESTED; l++) {
        const w = 2 * l + 1;
        expect(maxAbsDiff(identityDs[l], identity(w))).toBe(0);
        expect(maxAbsDiff(matmul(transpose(D1s[l], w, w), D1s[l], w, w, w), identity(w))).toBeLessThan(TOL);
        expect(maxAbsDiff(DTs[l], transpose(D1s[l], w, w))).toBeLessThan(TOL);
        expect(maxAbsDiff(D12s[l], matmul(D1s[l], D2s[l], w, w, w))).toBeLessThan(TOL);
      }
    }
  });

  it('wignerD(l) equals entry l of wignerDUpTo; negative or fractional l throw E_INPUT', () => {
    const R = Rs[0];
    const all = wignerDUpTo(6, R);
    for (let l = 0; l <= 6; l++) expect(Array.from(wignerD(l, R))).toEqual(Array.from(all[l]));
    expect(() => wignerD(-1, R)).toThrow(HamError);
    expect(() => wignerD(1.5, R)).toThrow(/non-negative integer/);
  });
});

describe('blockDiagonalD', () => {
  it('rotates a covariant "Hamiltonian" H(r) = y(r) y(r)ᵀ, y = shells\' harmonics stacked: H(R r) = D H(r) Dᵀ', () => {
    const ls = [0, 0, 1, 2, 1, 3];
    const n = ls.reduce((s, l) => s + 2 * l + 1, 0);
    const stacked = (r: number[]): Float64Array => Float64Array.from(ls.flatMap((l) => Array.from(sphericalHarmonics(l, r))));
    const r = [0.3, -1.2, 0.7];
    const H = matmul(stacked(r), stacked(r), n, 1, n);
    for (const R of rotations(24, 4)) {
      const D = blockDiagonalD(ls, R);
      const y = stacked(rotate(R, r));
      const expected = matmul(y, y, n, 1, n);
      expect(maxAbsDiff(matmul(matmul(D, H, n, n, n), transpose(D, n, n), n, n, n), expected)).toBeLessThan(TOL);
    }
  });

  it('places D_l blocks on the diagonal and zeros elsewhere', () => {
    const R = rotations(25, 1)[0];
    const D = blockDiagonalD([1, 0, 2], R);
    const n = 9;
    const expected = new Float64Array(n * n);
    const put = (block: Float64Array, offset: number, w: number): void => {
      for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) expected[(offset + i) * n + offset + j] = block[i * w + j];
    };
    put(wignerD(1, R), 0, 3);
    put(wignerD(0, R), 3, 1);
    put(wignerD(2, R), 4, 5);
    expect(Array.from(D)).toEqual(Array.from(expected));
    expect(blockDiagonalD([], R).length).toBe(0);
    expect(() => blockDiagonalD([1, -2], R)).toThrow(HamError);
  });
});
