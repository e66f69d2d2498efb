/**
 * The generalised symmetric eigenproblem H C = S C E of a molecule (float64, dense): Cholesky of S in real
 * arithmetic (symmetric-eigen.ts) when S is well conditioned, else the canonical orthogonalisation of the Hermitian
 * solver (hermitian-eigen.ts, dropping overlap eigenvalues below `threshold` relative to the largest, DeepH's
 * `ill_project` and quantum-chemistry codes' treatment of near-linear dependence), whose Householder reflections
 * stay real for real input, so the eigenvectors are real either way.
 */
import { HamError } from '../contracts/errors.ts';
import { DEFAULT_OVERLAP_THRESHOLD, generalizedHermitianEigen } from './hermitian-eigen.ts';
import { choleskySymmetricEigen, transpose } from './symmetric-eigen.ts';

export interface GeneralizedEigenvalues {
  /** Eigenvalues, ascending, length m (m = n − dropped). */
  values: Float64Array;
  n: number;
  m: number;
  /** Overlap eigenvalues dropped as linearly dependent. */
  dropped: number;
}

export interface GeneralizedEigen extends GeneralizedEigenvalues {
  /** Eigenvectors as columns, row-major n × m, normalised so that Cᵀ S C = 1. */
  vectors: Float64Array;
}

export function generalizedEigen(H: Float64Array, S: Float64Array, n: number, threshold = DEFAULT_OVERLAP_THRESHOLD): GeneralizedEigen {
  return solve(H, S, n, threshold, true) as GeneralizedEigen;
}

/** The eigenvalues alone (orbital energies): without eigenvectors the QL iteration and back-transformations are skipped. */
export function generalizedEigenvalues(H: Float64Array, S: Float64Array, n: number, threshold = DEFAULT_OVERLAP_THRESHOLD): GeneralizedEigenvalues {
  return solve(H, S, n, threshold, false);
}

function solve(H: Float64Array, S: Float64Array, n: number, threshold: number, vectors: boolean): GeneralizedEigenvalues & { vectors?: Float64Array } {
  if (H.length !== n * n || S.length !== n * n) throw new HamError('E_INPUT', `H and S must be ${n}×${n}`);
  const real = choleskySymmetricEigen(H, S, n, threshold, vectors);
  if (real) return { values: real.values, vectors: real.vectors && transpose(real.vectors, n), n, m: n, dropped: 0 };
  const zero = new Float64Array(n * n);
  const r = generalizedHermitianEigen({ n, re: H, im: zero }, { n, re: S, im: zero }, { vectors, threshold });
  if (!r.vectors) return { values: r.values, n, m: r.m, dropped: r.dropped };
  const V = r.vectors;
  const C = new Float64Array(n * r.m);
  for (let j = 0; j < r.m; j++) for (let i = 0; i < n; i++) C[i * r.m + j] = V.re[j * n + i];
  return { values: r.values, vectors: C, n, m: r.m, dropped: r.dropped };
}
