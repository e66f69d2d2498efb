/**
 * The generalised symmetric eigenproblem H C = S C E of a molecule (float64, dense), by the standard reduction: S is
 * diagonalised, eigenvectors with overlap eigenvalues below `threshold` (relative to the largest) are dropped — the
 * near-linear-dependence treatment of DeepH's `ill_project` and of quantum-chemistry codes' canonical
 * orthogonalisation — and H is solved in the orthonormal basis X = U s^{-1/2}. Linear algebra by ml-matrix
 * (symmetric EVD: Householder tridiagonalisation + QL, the JAMA algorithms).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { HamError } from '../contracts/errors.ts';

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

function symmetricEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const evd = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const order = values.map((_, k) => k).sort((x, y) => values[x] - values[y]);
  const V = evd.eigenvectorMatrix;
  return { values: order.map((k) => values[k]), vectors: V.subMatrixColumn(order) };
}

/** Overlap eigenvalues below this fraction of the largest are near-linear dependences of an exact S, and dropped. */
export const DEFAULT_OVERLAP_THRESHOLD = 1e-8;

export function generalizedEigen(H: Float64Array, S: Float64Array, n: number, threshold = DEFAULT_OVERLAP_THRESHOLD): GeneralizedEigen {
  if (H.length !== n * n || S.length !== n * n) throw new HamError('E_INPUT', `H and S must be ${n}×${n}`);
  const toMatrix = (x: Float64Array) => new Matrix(Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * n, (i + 1) * n))));
  const s = symmetricEigen(toMatrix(S));
  const smax = s.values[n - 1];
  if (!(s.values[0] > -1e-10 * Math.abs(smax)) || !(smax > 0)) {
    throw new HamError('E_NUMERIC', `the overlap matrix is not positive definite (smallest eigenvalue ${s.values[0].toExponential(3)})`);
  }
  const keep = s.values.map((v, k) => (v > threshold * smax ? k : -1)).filter((k) => k >= 0);
  const m = keep.length;
  // X = U_keep diag(s^-1/2): columns orthonormal in the S metric.
  const X = new Matrix(n, m);
  keep.forEach((k, c) => {
    const f = 1 / Math.sqrt(s.values[k]);
    for (let i = 0; i < n; i++) X.set(i, c, s.vectors.get(i, k) * f);
  });
  const Hm = toMatrix(H);
  const Ht = X.transpose().mmul(Hm).mmul(X);
  const h = symmetricEigen(Ht.add(Ht.transpose()).mul(0.5));
  const C = X.mmul(h.vectors);
  return { values: Float64Array.from(h.values), vectors: Float64Array.from(C.to1DArray()), n, m, dropped: n - m };
}
