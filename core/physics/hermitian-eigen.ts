/**
 * Dense complex Hermitian eigenproblems in float64: A c = ε c, the generalised H C = S C E of a Bloch Hamiltonian
 * (DESIGN.md §4), and the Löwdin orthogonalisation S^{-1/2} H S^{-1/2}.
 *
 * Not the real 2n×2n embedding [[Re, −Im], [Im, Re]] with ml-matrix's symmetric EVD (the tests use it as an
 * independent reference): measured here, that EVD alone takes 1.3 s for n = 234 (a 468² embedding) and 89 s for
 * n = 1000, twice per k-point (S and H), and it returns each eigenvalue twice with an arbitrary real basis of the
 * doubled eigenspace, from which n independent complex vectors would have to be picked. Instead the textbook route
 * (Golub & Van Loan §8.3; LAPACK's zheev): Householder reduction to Hermitian tridiagonal form T = Qᴴ A Q, a
 * diagonal unitary D that makes DᴴTD real, the implicit QL iteration on that real tridiagonal matrix, and
 * back-transformation c = Q D z — on flat typed arrays with contiguous inner loops (eigenvectors stored as rows).
 */
import { HamError } from '../contracts/errors.ts';

/** Overlap eigenvalues below this fraction of the largest are near-linear dependences of an exact S, and dropped. */
export const DEFAULT_OVERLAP_THRESHOLD = 1e-8;

/** A dense complex n × n matrix, row-major, real and imaginary parts apart. */
export interface ComplexMatrix {
  n: number;
  re: Float64Array;
  im: Float64Array;
}

/** `count` complex vectors of `length` entries; vector j is [j·length, (j+1)·length) of re and im. */
export interface ComplexVectors {
  count: number;
  length: number;
  re: Float64Array;
  im: Float64Array;
}

export interface HermitianEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors in the order of `values` (only when requested). */
  vectors?: ComplexVectors;
}

export interface EigenOptions {
  /** Compute eigenvectors too (the QL iteration and back-transformation then cost O(n³) instead of O(n²)). */
  vectors?: boolean;
}

const MAX_QL_ITERATIONS = 60;
const BACK_TRANSFORM_BLOCK = 32;

interface Tridiagonal {
  d: Float64Array;
  /** Complex sub-diagonal T[k+1, k], k = 0 … n−2. */
  eRe: Float64Array;
  eIm: Float64Array;
  /** Householder vectors v_k (acting on indices k+1 … n−1, stored from offset k·n) and τ_k: H_k = 1 − τ_k v vᴴ. */
  vRe: Float64Array;
  vIm: Float64Array;
  tau: Float64Array;
}

/**
 * T = H_{n−3} … H_0 A H_0 … H_{n−3}, using and overwriting only the lower triangle of a working copy. Each
 * reflector maps column k below the diagonal onto β e₁ with β = −e^{iθ}‖x‖ (θ the phase of x₀, so no cancellation);
 * the trailing block is updated as B ← B − v wᴴ − w vᴴ with p = τBv, w = p − (τ vᴴp / 2) v.
 */
function tridiagonalize(A: ComplexMatrix): Tridiagonal {
  const { n } = A;
  const ar = Float64Array.from(A.re);
  const ai = Float64Array.from(A.im);
  const vRe = new Float64Array(n * n);
  const vIm = new Float64Array(n * n);
  const tau = new Float64Array(n);
  const eRe = new Float64Array(Math.max(n - 1, 0));
  const eIm = new Float64Array(Math.max(n - 1, 0));
  const pRe = new Float64Array(n);
  const pIm = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const L = n - k - 1;
    const base = k + 1; // first row/column of the trailing block
    const vo = k * n;
    let tail = 0;
    for (let r = 1; r < L; r++) {
      const x = (base + r) * n + k;
      tail += ar[x] * ar[x] + ai[x] * ai[x];
    }
    const x0r = ar[base * n + k];
    const x0i = ai[base * n + k];
    if (tail === 0) {
      eRe[k] = x0r;
      eIm[k] = x0i;
      continue; // already tridiagonal in this column: H_k = 1 (τ = 0)
    }
    const abs0 = Math.hypot(x0r, x0i);
    const alpha = Math.sqrt(tail + abs0 * abs0);
    const [phr, phi] = abs0 > 0 ? [x0r / abs0, x0i / abs0] : [1, 0];
    eRe[k] = -phr * alpha;
    eIm[k] = -phi * alpha;
    vRe[vo] = phr * (abs0 + alpha);
    vIm[vo] = phi * (abs0 + alpha);
    for (let r = 1; r < L; r++) {
      vRe[vo + r] = ar[(base + r) * n + k];
      vIm[vo + r] = ai[(base + r) * n + k];
    }
    const t = 1 / (alpha * (alpha + abs0)); // 2 / vᴴv
    tau[k] = t;

    // p = τ B v from the lower triangle: row r contributes B_rc v_c to p_r and conj(B_rc) v_r to p_c (c < r).
    pRe.fill(0, 0, L);
    pIm.fill(0, 0, L);
    for (let r = 0; r < L; r++) {
      const row = (base + r) * n + base;
      const vr = vRe[vo + r];
      const vi = vIm[vo + r];
      let sr = ar[row + r] * vr;
      let si = ar[row + r] * vi;
      for (let c = 0; c < r; c++) {
        const br = ar[row + c];
        const bi = ai[row + c];
        const ur = vRe[vo + c];
        const ui = vIm[vo + c];
        sr += br * ur - bi * ui;
        si += br * ui + bi * ur;
        pRe[c] += br * vr + bi * vi;
        pIm[c] += br * vi - bi * vr;
      }
      pRe[r] += sr;
      pIm[r] += si;
    }
    let vhp = 0; // vᴴp is real for Hermitian B
    for (let r = 0; r < L; r++) {
      pRe[r] *= t;
      pIm[r] *= t;
      vhp += vRe[vo + r] * pRe[r] + vIm[vo + r] * pIm[r];
    }
    const K = (t * vhp) / 2;
    for (let r = 0; r < L; r++) {
      pRe[r] -= K * vRe[vo + r];
      pIm[r] -= K * vIm[vo + r];
    }
    // B ← B − v wᴴ − w vᴴ on the lower triangle (w in p); the diagonal stays real.
    for (let r = 0; r < L; r++) {
      const row = (base + r) * n + base;
      const vr = vRe[vo + r];
      const vi = vIm[vo + r];
      const wr = pRe[r];
      const wi = pIm[r];
      for (let c = 0; c < r; c++) {
        const ur = vRe[vo + c];
        const ui = vIm[vo + c];
        const qr = pRe[c];
        const qi = pIm[c];
        ar[row + c] -= vr * qr + vi * qi + wr * ur + wi * ui;
        ai[row + c] -= vi * qr - vr * qi + wi * ur - wr * ui;
      }
      ar[row + r] -= 2 * (vr * wr + vi * wi);
    }
  }
  if (n >= 2) {
    eRe[n - 2] = ar[(n - 1) * n + n - 2];
    eIm[n - 2] = ai[(n - 1) * n + n - 2];
  }
  const d = new Float64Array(n);
  for (let k = 0; k < n; k++) d[k] = ar[k * n + k];
  return { d, eRe, eIm, vRe, vIm, tau };
}

/**
 * Implicit QL with Wilkinson's shift on the real symmetric tridiagonal (d, e), e[i] coupling i and i+1 (the QL
 * form of Golub & Van Loan's implicit symmetric QR step; EISPACK's tql2). Eigenvalues replace d; when Z is given
 * (rows = vectors, initially 1), the rotations are accumulated into its rows so that row j becomes the eigenvector
 * of d[j].
 */
export function tridiagonalQL(d: Float64Array, e: Float64Array, Z?: Float64Array): void {
  const n = d.length;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      while (m < n - 1 && Math.abs(e[m]) > Number.EPSILON * (Math.abs(d[m]) + Math.abs(d[m + 1]))) m++;
      if (m === l) break;
      if (iter === MAX_QL_ITERATIONS) throw new HamError('E_NUMERIC', `the tridiagonal QL iteration did not converge (eigenvalue ${l + 1} of ${n})`);
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) break; // the block splits: deflate and start over
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (Z) {
          const z0 = i * n;
          const z1 = z0 + n;
          for (let k = 0; k < n; k++) {
            const a = Z[z0 + k];
            const bb = Z[z1 + k];
            Z[z1 + k] = s * a + c * bb;
            Z[z0 + k] = c * a - s * bb;
          }
        }
      }
      if (i >= l) {
        d[i + 1] -= p;
        e[m] = 0;
        continue;
      }
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Eigen-decomposition of a Hermitian matrix; only the lower triangle of A is read. */
export function hermitianEigen(A: ComplexMatrix, opts: EigenOptions = {}): HermitianEigen {
  const { n } = A;
  if (A.re.length !== n * n || A.im.length !== n * n) throw new HamError('E_INPUT', `a ${n}×${n} matrix needs ${n * n} entries`);
  const T = tridiagonalize(A);
  // D = diag(δ) with δ_{k+1} = δ_k e_k/|e_k| makes DᴴTD real with off-diagonal |e_k|.
  const e = new Float64Array(n);
  const dRe = new Float64Array(n);
  const dIm = new Float64Array(n);
  if (n > 0) dRe[0] = 1;
  for (let k = 0; k + 1 < n; k++) {
    const a = Math.hypot(T.eRe[k], T.eIm[k]);
    e[k] = a;
    const [ur, ui] = a > 0 ? [T.eRe[k] / a, T.eIm[k] / a] : [1, 0];
    dRe[k + 1] = dRe[k] * ur - dIm[k] * ui;
    dIm[k + 1] = dRe[k] * ui + dIm[k] * ur;
  }
  const Z = opts.vectors ? new Float64Array(n * n) : undefined;
  if (Z) for (let k = 0; k < n; k++) Z[k * n + k] = 1;
  tridiagonalQL(T.d, e, Z);
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => T.d[x] - T.d[y]);
  const values = Float64Array.from(order, (k) => T.d[k]);
  if (!Z) return { values };

  // c = Q D z with Q = H_0 H_1 … H_{n−3}: apply H_{n−3} first. Vectors go in blocks so that a block stays in cache
  // while every reflector passes over it (one pass over the reflectors per block instead of per vector).
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  order.forEach((src, j) => {
    for (let i = 0; i < n; i++) {
      re[j * n + i] = dRe[i] * Z[src * n + i];
      im[j * n + i] = dIm[i] * Z[src * n + i];
    }
  });
  for (let j0 = 0; j0 < n; j0 += BACK_TRANSFORM_BLOCK) {
    const j1 = Math.min(n, j0 + BACK_TRANSFORM_BLOCK);
    for (let k = n - 3; k >= 0; k--) {
      const t = T.tau[k];
      if (t === 0) continue;
      const vo = k * n;
      const L = n - k - 1;
      for (let j = j0; j < j1; j++) {
        const yo = j * n + k + 1;
        let sr = 0; // vᴴ y
        let si = 0;
        for (let r = 0; r < L; r++) {
          const vr = T.vRe[vo + r];
          const vi = T.vIm[vo + r];
          sr += vr * re[yo + r] + vi * im[yo + r];
          si += vr * im[yo + r] - vi * re[yo + r];
        }
        sr *= t;
        si *= t;
        for (let r = 0; r < L; r++) {
          const vr = T.vRe[vo + r];
          const vi = T.vIm[vo + r];
          re[yo + r] -= vr * sr - vi * si;
          im[yo + r] -= vr * si + vi * sr;
        }
      }
    }
  }
  return { values, vectors: { count: n, length: n, re, im } };
}

/** M_ab = x_aᴴ A x_b for the vectors x of X (A full, n × n): the matrix of A in the basis X. */
function congruence(A: ComplexMatrix, X: ComplexVectors): ComplexMatrix {
  const { n } = A;
  const m = X.count;
  // Y_b = A x_b, each entry a contiguous row of A times x_b.
  const yRe = new Float64Array(m * n);
  const yIm = new Float64Array(m * n);
  for (let b = 0; b < m; b++) {
    const xo = b * n;
    for (let i = 0; i < n; i++) {
      const ro = i * n;
      let sr = 0;
      let si = 0;
      for (let c = 0; c < n; c++) {
        const ar = A.re[ro + c];
        const ai = A.im[ro + c];
        const xr = X.re[xo + c];
        const xi = X.im[xo + c];
        sr += ar * xr - ai * xi;
        si += ar * xi + ai * xr;
      }
      yRe[xo + i] = sr;
      yIm[xo + i] = si;
    }
  }
  const re = new Float64Array(m * m);
  const im = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let sr = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        const xr = X.re[a * n + i];
        const xi = X.im[a * n + i];
        const yr = yRe[b * n + i];
        const yi = yIm[b * n + i];
        sr += xr * yr + xi * yi;
        si += xr * yi - xi * yr;
      }
      // Hermitian by construction; mirroring (and a real diagonal) keeps it exactly so.
      re[a * m + b] = sr;
      re[b * m + a] = sr;
      im[a * m + b] = a === b ? 0 : si;
      im[b * m + a] = a === b ? 0 : -si;
    }
  }
  return { n: m, re, im };
}

/** The conjugate transpose of a rows × cols row-major complex array. */
function adjoint(re: Float64Array, im: Float64Array, rows: number, cols: number): { re: Float64Array; im: Float64Array } {
  const out = { re: new Float64Array(rows * cols), im: new Float64Array(rows * cols) };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out.re[c * rows + r] = re[r * cols + c];
      out.im[c * rows + r] = -im[r * cols + c];
    }
  }
  return out;
}

/**
 * How many overlap eigenvalues (ascending) are near-linear dependences, s ≤ threshold · s_max — dropped as
 * DeepH's ill_project and generalized-eigen.ts do. E_NUMERIC when S is not positive (semi)definite beyond what is
 * dropped: a predicted S may have slightly negative eigenvalues in its near-dependent directions, which the
 * threshold then covers.
 */
export function dependentCount(s: Float64Array, threshold: number): number {
  const smax = s[s.length - 1];
  if (!(s[0] > -Math.max(1e-10, threshold) * Math.abs(smax)) || !(smax > 0)) {
    throw new HamError('E_NUMERIC', `the overlap matrix is not positive definite (smallest eigenvalue ${s[0].toExponential(3)})`);
  }
  let count = 0;
  while (count < s.length && !(s[count] > threshold * smax)) count++;
  return count;
}

/** S = U s Uᴴ and the S-orthonormal vectors x_c = u_c / √s_c of the overlap eigenvalues that are kept. */
function overlapBasis(S: ComplexMatrix, threshold: number): { U: ComplexVectors; s: Float64Array; X: ComplexVectors } {
  const { values: s, vectors } = hermitianEigen(S, { vectors: true });
  const U = vectors as ComplexVectors;
  const n = S.n;
  const first = dependentCount(s, threshold);
  const m = n - first;
  const X: ComplexVectors = { count: m, length: n, re: new Float64Array(m * n), im: new Float64Array(m * n) };
  for (let c = 0; c < m; c++) {
    const f = 1 / Math.sqrt(s[first + c]);
    for (let i = 0; i < n; i++) {
      X.re[c * n + i] = U.re[(first + c) * n + i] * f;
      X.im[c * n + i] = U.im[(first + c) * n + i] * f;
    }
  }
  return { U, s, X };
}

/** S = L Lᴴ, L lower triangular (from S's lower triangle), or undefined when a pivot is not positive. */
function cholesky(S: ComplexMatrix): ComplexMatrix | undefined {
  const { n } = S;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sr = S.re[i * n + j]; // S_ij − Σ_{k<j} L_ik conj(L_jk)
      let si = S.im[i * n + j];
      for (let k = 0; k < j; k++) {
        const [ar, ai, br, bi] = [re[i * n + k], im[i * n + k], re[j * n + k], im[j * n + k]];
        sr -= ar * br + ai * bi;
        si -= ai * br - ar * bi;
      }
      if (i === j) {
        if (!(sr > 0)) return undefined;
        re[i * n + i] = Math.sqrt(sr);
      } else {
        re[i * n + j] = sr / re[j * n + j];
        im[i * n + j] = si / re[j * n + j];
      }
    }
  }
  return { n, re, im };
}

/** L⁻¹ B by forward substitution, row by row (rows of B contiguous). */
function forwardSubstitute(L: ComplexMatrix, B: ComplexMatrix): ComplexMatrix {
  const { n } = L;
  const re = Float64Array.from(B.re);
  const im = Float64Array.from(B.im);
  for (let i = 0; i < n; i++) {
    const io = i * n;
    for (let k = 0; k < i; k++) {
      const [lr, li] = [L.re[io + k], L.im[io + k]];
      const ko = k * n;
      for (let c = 0; c < n; c++) {
        re[io + c] -= lr * re[ko + c] - li * im[ko + c];
        im[io + c] -= lr * im[ko + c] + li * re[ko + c];
      }
    }
    const d = L.re[io + i];
    for (let c = 0; c < n; c++) {
      re[io + c] /= d;
      im[io + c] /= d;
    }
  }
  return { n, re, im };
}

/** Solves Lᴴ c = v for each vector v (in place): c_k = v_k / L_kk, then v_i −= conj(L_ki) c_k for i < k. */
function backSubstituteAdjoint(L: ComplexMatrix, V: ComplexVectors): void {
  const { n } = L;
  for (let j = 0; j < V.count; j++) {
    const o = j * n;
    for (let k = n - 1; k >= 0; k--) {
      const d = L.re[k * n + k];
      const cr = V.re[o + k] / d;
      const ci = V.im[o + k] / d;
      V.re[o + k] = cr;
      V.im[o + k] = ci;
      for (let i = 0; i < k; i++) {
        const [lr, li] = [L.re[k * n + i], L.im[k * n + i]];
        V.re[o + i] -= lr * cr + li * ci;
        V.im[o + i] -= lr * ci - li * cr;
      }
    }
  }
}

export interface GeneralizedHermitianEigen extends HermitianEigen {
  n: number;
  /** Number of eigenpairs, n − dropped. */
  m: number;
  /** Overlap eigenvalues dropped as linearly dependent. */
  dropped: number;
}

export interface GeneralizedOptions extends EigenOptions {
  /** Overlap eigenvalues below threshold · (largest) are dropped; default DEFAULT_OVERLAP_THRESHOLD. */
  threshold?: number;
}

/**
 * H C = S C E for Hermitian H and positive-definite S, with Cᴴ S C = 1. The overlap spectrum decides the route:
 * - nothing to drop: S = L Lᴴ and the ordinary problem L⁻¹ H L⁻ᴴ V = V E, C = L⁻ᴴ V (LAPACK's zhegv; about half
 *   the work of the route below, which needs S's eigenvectors);
 * - near-dependent directions: the ordinary problem XᴴHX V = V E in the S-orthonormal basis X of the kept overlap
 *   eigenvectors (overlapBasis), C = X V, m = n − dropped eigenpairs.
 */
export function generalizedHermitianEigen(H: ComplexMatrix, S: ComplexMatrix, opts: GeneralizedOptions = {}): GeneralizedHermitianEigen {
  const { n } = H;
  if (S.n !== n) throw new HamError('E_INPUT', `H is ${n}×${n} but S is ${S.n}×${S.n}`);
  const threshold = opts.threshold ?? DEFAULT_OVERLAP_THRESHOLD;
  const L = dependentCount(hermitianEigen(S).values, threshold) === 0 ? cholesky(S) : undefined;
  if (L) {
    const W = forwardSubstitute(L, H);
    // L⁻¹ H L⁻ᴴ = L⁻¹ (L⁻¹ H)ᴴ since H = Hᴴ.
    const h = hermitianEigen(forwardSubstitute(L, { n, ...adjoint(W.re, W.im, n, n) }), opts);
    if (h.vectors) backSubstituteAdjoint(L, h.vectors);
    return { ...h, n, m: n, dropped: 0 };
  }
  const { X } = overlapBasis(S, threshold);
  const m = X.count;
  const h = hermitianEigen(congruence(H, X), opts);
  if (!h.vectors) return { values: h.values, n, m, dropped: n - m };
  const V = h.vectors;
  const C: ComplexVectors = { count: m, length: n, re: new Float64Array(m * n), im: new Float64Array(m * n) };
  for (let j = 0; j < m; j++) {
    const co = j * n;
    for (let a = 0; a < m; a++) {
      const vr = V.re[j * m + a];
      const vi = V.im[j * m + a];
      const xo = a * n;
      for (let i = 0; i < n; i++) {
        const xr = X.re[xo + i];
        const xi = X.im[xo + i];
        C.re[co + i] += vr * xr - vi * xi;
        C.im[co + i] += vr * xi + vi * xr;
      }
    }
  }
  return { values: h.values, vectors: C, n, m, dropped: n - m };
}

/**
 * The Löwdin-orthogonalised S^{-1/2} H S^{-1/2} = U (XᴴHX) Uᴴ with X = U s^{-1/2}: symmetric orthogonalisation
 * keeps each new orbital closest to its original one, so orbital order and meaning carry over. Needs every overlap
 * eigenvalue above threshold · (largest) — a dropped direction has no Löwdin orbital (E_NUMERIC otherwise).
 */
export function lowdinOrthogonalize(H: ComplexMatrix, S: ComplexMatrix, threshold = DEFAULT_OVERLAP_THRESHOLD): ComplexMatrix {
  if (S.n !== H.n) throw new HamError('E_INPUT', `H is ${H.n}×${H.n} but S is ${S.n}×${S.n}`);
  const { U, s, X } = overlapBasis(S, threshold);
  if (X.count < H.n) {
    throw new HamError('E_NUMERIC', `S(k) is nearly singular (smallest eigenvalue ${s[0].toExponential(3)} of ${s[H.n - 1].toExponential(3)}); the Löwdin orthogonalisation needs all ${H.n} orbitals`);
  }
  // (U M Uᴴ)_ij = y_iᴴ M y_j with y_i[a] = conj(U_ia): the rows of the adjoint of the eigenvector rows.
  return congruence(congruence(H, X), { count: H.n, length: H.n, ...adjoint(U.re, U.im, H.n, H.n) });
}
