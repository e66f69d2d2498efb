/**
 * Test data for the crystal physics: random Hermitian matrices, dense complex algebra for residual checks, and a
 * small synthetic crystal (two atoms with s and p shells on a 2D hexagonal cell) whose blocks obey
 * H_ji(−R) = H_ij(R)ᵀ like a dataset's, with an overlap that keeps S(k) positive definite.
 */
import { expect } from 'vitest';
import { HamError, type ErrorCode } from '../../../core/contracts/errors.ts';
import { BlockListBuilder } from '../../../core/datasets/block-builder.ts';
import type { HamiltonianSample } from '../../../core/datasets/sample.ts';
import type { ComplexMatrix, ComplexVectors } from '../../../core/physics/hermitian-eigen.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import type { Mat3, Structure, Vec3 } from '../../../core/structure/structure.ts';

/** Hermitian n × n with entries uniform in ±scale/2 and `diag` added on the diagonal. */
export function randomHermitian(n: number, rng: Rng, scale = 1, diag = 0): ComplexMatrix {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      const x = scale * (rng.uniform() - 0.5) + (a === b ? diag : 0);
      const y = a === b ? 0 : scale * (rng.uniform() - 0.5);
      re[a * n + b] = x;
      re[b * n + a] = x;
      im[a * n + b] = y;
      im[b * n + a] = -y;
    }
  }
  return { n, re, im };
}

/** A x_j for vector j of X. */
export function matVec(A: ComplexMatrix, X: ComplexVectors, j: number): { re: Float64Array; im: Float64Array } {
  const { n } = A;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < n; c++) {
      const [ar, ai, xr, xi] = [A.re[i * n + c], A.im[i * n + c], X.re[j * n + c], X.im[j * n + c]];
      re[i] += ar * xr - ai * xi;
      im[i] += ar * xi + ai * xr;
    }
  }
  return { re, im };
}

/** x_aᴴ y for complex vectors given as (re, im) pairs. */
export function innerProduct(xr: ArrayLike<number>, xi: ArrayLike<number>, yr: ArrayLike<number>, yi: ArrayLike<number>): [number, number] {
  let sr = 0;
  let si = 0;
  for (let i = 0; i < xr.length; i++) {
    sr += xr[i] * yr[i] + xi[i] * yi[i];
    si += xr[i] * yi[i] - xi[i] * yr[i];
  }
  return [sr, si];
}

export function vector(X: ComplexVectors, j: number): { re: Float64Array; im: Float64Array } {
  return { re: X.re.subarray(j * X.length, (j + 1) * X.length), im: X.im.subarray(j * X.length, (j + 1) * X.length) };
}

/** The error a call throws, checked to be a HamError with `code` whose message matches `fragment`. */
export function expectHamError(fn: () => unknown, code: ErrorCode, fragment: string | RegExp): HamError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HamError);
  const err = caught as HamError;
  expect(err.code).toBe(code);
  expect(err.message).toMatch(fragment);
  return err;
}

/** The graphene dataset's 3×3 supercell: 60° between a1 and a2, 12 Å along z. */
export const GRAPHENE_CELL: Mat3 = [[7.38, 0, 0], [3.69, 6.391267479929157, 0], [0, 0, 12]];

/** The undisplaced graphene 3×3 cell with its 18 atoms (a = 2.46 Å, layer at z = 6 Å). */
export function graphene3x3(): Structure {
  const positions: Vec3[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (const s of [0, 1 / 3]) {
        const [f1, f2] = [(i + s) / 3, (j + s) / 3];
        positions.push([f1 * GRAPHENE_CELL[0][0] + f2 * GRAPHENE_CELL[1][0], f2 * GRAPHENE_CELL[1][1], 6]);
      }
    }
  }
  return { numbers: positions.map(() => 6), positions, cell: GRAPHENE_CELL, pbc: [true, true, true] };
}

const NEIGHBOURS: Vec3[] = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, -1, 0]];

/**
 * Two atoms with shells s and p (8 orbitals) on a 60° hexagonal cell (a = 2.46 Å, 10 Å vacuum); H(R) random
 * (eV scale), S(R) = 1 on-site plus small random overlaps, for R = 0 and the nearest cells in both directions.
 */
export function syntheticCrystal(seed = 7): HamiltonianSample {
  const rng = new Rng(seed);
  const shells = [[0, 1], [0, 1]];
  const no = 4;
  const random = (scale: number) => Float64Array.from({ length: no * no }, () => scale * (rng.uniform() - 0.5));
  const transpose = (x: Float64Array) => Float64Array.from({ length: no * no }, (_, p) => x[(p % no) * no + Math.floor(p / no)]);
  const builder = new BlockListBuilder();
  for (const R of NEIGHBOURS) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const zero = R.every((r) => r === 0);
        if (zero && j < i) continue; // (j, i, 0) is the transpose of (i, j, 0)
        const H = random(2);
        const S = random(0.12);
        if (zero && i === j) {
          // On-site: symmetric, S = 1 + small.
          for (let a = 0; a < no; a++) {
            for (let b = 0; b < a; b++) [H[b * no + a], S[b * no + a]] = [H[a * no + b], S[a * no + b]];
            S[a * no + a] = 1;
          }
          builder.add(i, i, R, H, S);
          continue;
        }
        builder.add(i, j, R, H, S);
        builder.add(j, i, [-R[0], -R[1], -R[2]], transpose(H), transpose(S));
      }
    }
  }
  const a = 2.46;
  const cell: Mat3 = [[a, 0, 0], [a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 10]];
  return {
    id: 'synthetic/hex-sp',
    structure: { numbers: [6, 6], positions: [[0, 0, 5], [a / 2, a / (2 * Math.sqrt(3)), 5]], cell, pbc: [true, true, true] },
    atomShells: shells,
    unit: 'eV',
    convention: 'wiki',
    blocks: builder.build(),
    references: {},
  };
}
