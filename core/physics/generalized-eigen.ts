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

export interface GeneralizedEigen {
  /** Eigenvalues, ascending, length m (m = n − dropped). */
  values: Float64Array;
  /** Eigenvectors as columns, row-major n × m, normalised so that Cᵀ S C = 1. */
  vectors: Float64Array;
  n: number;
  m: number;
  /** Overlap eigenvalues dropped as linearly dependent. */
  dropped: number;
}

export function generalizedEigen(H: Float64Array, S: Float64Array, n: number, threshold = DEFAULT_OVERLAP_THRESHOLD): GeneralizedEigen {
  if (H.length !== n * n || S.length !== n * n) throw new HamError('E_INPUT', `H and S must be ${n}×${n}`);
  const real = choleskySymmetricEigen(H, S, n, threshold);
  if (real) return { values: real.values, vectors: transpose(real.vectors!, n), n, m: n, dropped: 0 };
  const zero = new Float64Array(n * n);
  const r = generalizedHermitianEigen({ n, re: H, im: zero }, { n, re: S, im: zero }, { vectors: true, threshold });
  const V = r.vectors!;
  const C = new Float64Array(n * r.m);
  for (let j = 0; j < r.m; j++) for (let i = 0; i < n; i++) C[i * r.m + j] = V.re[j * n + i];
  return { values: r.values, vectors: C, n, m: r.m, dropped: r.dropped };
}

