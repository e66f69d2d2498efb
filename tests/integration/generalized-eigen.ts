/**
 * Test-only reference solver for the symmetric-definite pencil (H, S), independent of any production code:
 * Cholesky S = LLᵀ, then cyclic Jacobi rotations on L⁻¹HL⁻ᵀ (slow, O(n³) per sweep, but simple and accurate).
 */
/** Ascending eigenvalues of H c = ε S c for n × n row-major symmetric H and positive-definite S. */
export function generalizedEigenvalues(H: Float64Array, S: Float64Array, n: number): number[] {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = S[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(sum) : sum / L[j * n + j];
    }
  }
  // X = L⁻¹ H (forward substitution, column by column), then A = L⁻¹ Xᵀ = L⁻¹ H L⁻ᵀ (H symmetric).
  const solveLower = (B: Float64Array): Float64Array => {
    const X = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < n; i++) {
        let sum = B[i * n + c];
        for (let k = 0; k < i; k++) sum -= L[i * n + k] * X[k * n + c];
        X[i * n + c] = sum / L[i * n + i];
      }
    }
    return X;
  };
  const X = solveLower(H);
  const Xt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Xt[i * n + j] = X[j * n + i];
  const A = solveLower(Xt);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i] = 0.5 * (A[i * n + j] + A[j * n + i]);

  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => A[i * n + i]).sort((a, b) => a - b);
}
