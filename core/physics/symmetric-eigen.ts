/**
 * Real symmetric eigenproblems in float64: the real case of hermitian-eigen.ts (same Householder reduction, the
 * shared implicit QL iteration, same back-transformation) in real arithmetic. A molecule's H and S are real; fed
 * to the complex routines with a zero imaginary part they cost about four multiplications for each one here.
 */
import { dependentCount, tridiagonalQL } from './hermitian-eigen.ts';

const BACK_TRANSFORM_BLOCK = 32;

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as rows (row j belongs to values[j]), only when requested. */
  vectors?: Float64Array;
}

/**
 * Eigen-decomposition of a real symmetric n × n matrix (row-major; only its lower triangle is read): Householder
 * reflections H_k = 1 − τ v vᵀ take it to tridiagonal form (each maps column k below the diagonal onto β e₁ with
 * β = −sign(x₀)‖x‖; the trailing block is updated as B ← B − v wᵀ − w vᵀ, p = τBv, w = p − (τ vᵀp / 2) v).
 */
export function symmetricEigen(A: Float64Array, n: number, vectors = false): SymmetricEigen {
  const a = Float64Array.from(A);
  const V = new Float64Array(n * n); // v_k on indices k+1 … n−1, stored from offset k·n
  const tau = new Float64Array(n);
  const e = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const L = n - k - 1;
    const base = k + 1;
    const vo = k * n;
    let tail = 0;
    for (let r = 1; r < L; r++) tail += a[(base + r) * n + k] ** 2;
    const x0 = a[base * n + k];
    if (tail === 0) {
      e[k] = x0;
      continue; // already tridiagonal in this column (τ = 0)
    }
    const alpha = Math.sqrt(tail + x0 * x0);
    const sign = x0 >= 0 ? 1 : -1;
    e[k] = -sign * alpha;
    V[vo] = x0 + sign * alpha;
    for (let r = 1; r < L; r++) V[vo + r] = a[(base + r) * n + k];
    const t = 1 / (alpha * (alpha + Math.abs(x0))); // 2 / vᵀv
    tau[k] = t;
    p.fill(0, 0, L);
    for (let r = 0; r < L; r++) {
      const row = (base + r) * n + base;
      const vr = V[vo + r];
      let s = a[row + r] * vr;
      for (let c = 0; c < r; c++) {
        const b = a[row + c];
        s += b * V[vo + c];
        p[c] += b * vr;
      }
      p[r] += s;
    }
    let vp = 0;
    for (let r = 0; r < L; r++) {
      p[r] *= t;
      vp += V[vo + r] * p[r];
    }
    const K = (t * vp) / 2;
    for (let r = 0; r < L; r++) p[r] -= K * V[vo + r];
    for (let r = 0; r < L; r++) {
      const row = (base + r) * n + base;
      const vr = V[vo + r];
      const wr = p[r];
      for (let c = 0; c <= r; c++) a[row + c] -= vr * p[c] + wr * V[vo + c];
    }
  }
  if (n >= 2) e[n - 2] = a[(n - 1) * n + n - 2];
  const d = Float64Array.from({ length: n }, (_, k) => a[k * n + k]);
  const Z = vectors ? new Float64Array(n * n) : undefined;
  if (Z) for (let k = 0; k < n; k++) Z[k * n + k] = 1;
  tridiagonalQL(d, e, Z);
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (k) => d[k]);
  if (!Z) return { values };
  // c = Q z with Q = H_0 … H_{n−3}, applied last reflector first, vectors in cache-sized blocks.
  const out = new Float64Array(n * n);
  order.forEach((src, j) => out.set(Z.subarray(src * n, (src + 1) * n), j * n));
  for (let j0 = 0; j0 < n; j0 += BACK_TRANSFORM_BLOCK) {
    const j1 = Math.min(n, j0 + BACK_TRANSFORM_BLOCK);
    for (let k = n - 3; k >= 0; k--) {
      const t = tau[k];
      if (t === 0) continue;
      const vo = k * n;
      const L = n - k - 1;
      for (let j = j0; j < j1; j++) {
        const yo = j * n + k + 1;
        let s = 0;
        for (let r = 0; r < L; r++) s += V[vo + r] * out[yo + r];
        s *= t;
        for (let r = 0; r < L; r++) out[yo + r] -= V[vo + r] * s;
      }
    }
  }
  return { values, vectors: out };
}

/** S = L Lᵀ (L lower triangular, from S's lower triangle), or undefined when a pivot is not positive. */
function cholesky(S: Float64Array, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/** L⁻¹ B by forward substitution on rows (B n × n, row-major). */
function forwardSubstitute(L: Float64Array, B: Float64Array, n: number): Float64Array {
  const X = Float64Array.from(B);
  for (let i = 0; i < n; i++) {
    const io = i * n;
    for (let k = 0; k < i; k++) {
      const l = L[io + k];
      const ko = k * n;
      for (let c = 0; c < n; c++) X[io + c] -= l * X[ko + c];
    }
    const dInv = 1 / L[io + i];
    for (let c = 0; c < n; c++) X[io + c] *= dInv;
  }
  return X;
}

/**
 * A sufficient test, at n³/6 multiplications instead of an eigen-decomposition, that S = L Lᵀ has no overlap
 * eigenvalue at or below threshold · s_max: s_min = 1/‖L⁻¹‖₂² ≥ 1/‖L⁻¹‖_F² and s_max ≤ ‖S‖_∞ (max row sum of |S|).
 */
function clearlyIndependent(S: Float64Array, L: Float64Array, n: number, threshold: number): boolean {
  let normInf = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(S[i * n + j]);
    normInf = Math.max(normInf, row);
  }
  // L⁻¹ row by row: X_ij = −(Σ_{k=j}^{i−1} L_ik X_kj) / L_ii, X_ii = 1 / L_ii.
  const X = new Float64Array(n * n);
  let frobenius2 = 0;
  for (let i = 0; i < n; i++) {
    const dInv = 1 / L[i * n + i];
    X[i * n + i] = dInv;
    frobenius2 += dInv * dInv;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += L[i * n + k] * X[k * n + j];
      const x = -s * dInv;
      X[i * n + j] = x;
      frobenius2 += x * x;
    }
  }
  return 1 / frobenius2 > threshold * normInf;
}

/** Aᵀ of a square row-major matrix. */
export function transpose(A: Float64Array, n: number): Float64Array {
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) T[j * n + i] = A[i * n + j];
  return T;
}

/**
 * H C = S C E for real symmetric H and an S with no overlap eigenvalue below threshold · (largest): S = L Lᵀ, the
 * ordinary problem L⁻¹ H L⁻ᵀ V = V E, C = L⁻ᵀ V (LAPACK's dsygv), eigenvectors as rows with Cᵀ S C = 1.
 * Undefined when S has directions to drop: that needs the canonical orthogonalisation of hermitian-eigen.ts.
 */
export function choleskySymmetricEigen(H: Float64Array, S: Float64Array, n: number, threshold: number, vectors = true): SymmetricEigen | undefined {
  const L = cholesky(S, n);
  if (!L) return undefined;
  if (!clearlyIndependent(S, L, n, threshold) && dependentCount(symmetricEigen(S, n).values, threshold) > 0) return undefined;
  // L⁻¹ H L⁻ᵀ = L⁻¹ (L⁻¹ H)ᵀ since H = Hᵀ.
  const h = symmetricEigen(forwardSubstitute(L, transpose(forwardSubstitute(L, H, n), n), n), n, vectors);
  if (!h.vectors) return h;
  const C = h.vectors;
  // Lᵀ c = v for each vector row, by back substitution.
  for (let j = 0; j < n; j++) {
    const o = j * n;
    for (let k = n - 1; k >= 0; k--) {
      const c = C[o + k] / L[k * n + k];
      C[o + k] = c;
      for (let i = 0; i < k; i++) C[o + i] -= L[k * n + i] * c;
    }
  }
  return h;
}
