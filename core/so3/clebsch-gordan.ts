/**
 * Real Clebsch–Gordan coefficients C^{l1 l2 L}_{m1 m2 M} in the "wiki" real basis (DESIGN.md §3, §5).
 *
 * Properties (all tested):
 *  - intertwining: (D_l1 ⊗ D_l2) C^L = C^L D_L, with D the real Wigner matrices of wigner.ts; so the Wigner–Eckart
 *    block H_{m1 m2} = Σ_M C_{m1 m2 M} x_M rotates as D_l1 H D_l2ᵀ when x rotates as D_L x;
 *  - orthonormality: for fixed (l1, l2), the (2l1+1)(2l2+1) × Σ_L (2L+1) matrix [C^{|l1−l2|} … C^{l1+l2}], rows
 *    (m1, m2), is orthogonal; in particular Σ_{m1 m2} C_{m1 m2 M} C_{m1 m2 M'} = δ_MM';
 *  - real-valued, with entries that are zero by symmetry stored as exact zeros.
 * Sign convention (each C^L is fixed only up to sign by the above):
 *  - l1 + l2 + L even: C_{0 0 0} > 0. Equivalently Σ_{m1 m2} C_{m1 m2 M} Y_l1m1(r) Y_l2m2(r) = +c Y_LM(r) with c > 0
 *    (evaluate at r = ẑ, where only m = 0 harmonics are non-zero); so C^{l l 0} = δ_{m1 m2}/sqrt(2l+1) and
 *    C^{0 l l} = C^{l 0 l} = identity.
 *  - l1 + l2 + L odd (C_{0 0 0} = 0 there): the first non-zero entry in row-major (m1, m2, M) order is positive; so
 *    C^{1 1 1}_{abc} = ε_abc / sqrt(2) (the cross product / sqrt 2; the wiki order (y, z, x) is cyclic in x, y, z).
 *
 * Construction: the standard complex coefficients ⟨l1 m1 l2 m2|L M⟩ (Condon–Shortley convention) from Racah's
 * closed formula (G. Racah, Phys. Rev. 62, 438 (1942); Varshalovich et al., "Quantum Theory of Angular Momentum",
 * ch. 8), exact in BigInt rationals before one square root, then changed to the real basis Y_real = U Y_complex
 * (Wikipedia, "Spherical harmonics", real form): C_real = (Ū_l1 ⊗ Ū_l2) C U_Lᵀ, which is real up to one global phase
 * (a power of i) that is divided out. Unitary changes of basis keep orthonormality.
 */
import { HamError } from '../contracts/errors.ts';
import { addRational, factorial, mulRational, rational, rationalToNumber, type Rational } from './rational.ts';

/** Largest l1 and l2 served (L then runs up to 2·CG_LMAX); matches the harmonics table's SH_LMAX. */
export const CG_LMAX = 6;

export interface ClebschGordan {
  l1: number;
  l2: number;
  L: number;
  /** [2l1 + 1, 2l2 + 1, 2L + 1]. */
  shape: readonly [number, number, number];
  /** Row-major C[m1 + l1][m2 + l2][M + L]. */
  data: Float64Array;
}

/** Entries below this (relative to 1) are rounding residue of the basis change; true CG entries are far larger. */
const ZERO_THRESHOLD = 1e-13;

const cache = new Map<string, Float64Array>();

/** C^{l1 l2 L}; computed once per (l1, l2, L) and cached; each call returns a fresh copy of the data. */
export function clebschGordan(l1: number, l2: number, L: number): ClebschGordan {
  for (const [name, value] of [['l1', l1], ['l2', l2]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > CG_LMAX) {
      throw new HamError('E_INPUT', `Clebsch–Gordan: ${name} must be an integer in 0…${CG_LMAX}, got ${value}`);
    }
  }
  if (!Number.isInteger(L) || L < Math.abs(l1 - l2) || L > l1 + l2) {
    throw new HamError('E_INPUT', `Clebsch–Gordan: L = ${L} is not in |l1 − l2|…l1 + l2 = ${Math.abs(l1 - l2)}…${l1 + l2}`);
  }
  const key = `${l1},${l2},${L}`;
  let data = cache.get(key);
  if (!data) {
    data = realClebschGordan(l1, l2, L);
    cache.set(key, data);
  }
  return { l1, l2, L, shape: [2 * l1 + 1, 2 * l2 + 1, 2 * L + 1], data: data.slice() };
}

/** ⟨j1 m1 j2 m2 | J M⟩ by Racah's formula; the caller guarantees the triangle rule and |m| ≤ j. */
function complexClebschGordan(j1: number, m1: number, j2: number, m2: number, J: number): number {
  const M = m1 + m2;
  if (Math.abs(M) > J) return 0;
  let sum: Rational = rational(0n);
  const kMin = Math.max(0, j2 - J - m1, j1 - J + m2);
  const kMax = Math.min(j1 + j2 - J, j1 - m1, j2 + m2);
  for (let k = kMin; k <= kMax; k++) {
    const denominator =
      factorial(k) * factorial(j1 + j2 - J - k) * factorial(j1 - m1 - k) * factorial(j2 + m2 - k) *
      factorial(J - j2 + m1 + k) * factorial(J - j1 - m2 + k);
    sum = addRational(sum, rational(k % 2 === 0 ? 1n : -1n, denominator));
  }
  if (sum.n === 0n) return 0;
  const prefactor = rational(
    BigInt(2 * J + 1) * factorial(J + j1 - j2) * factorial(J - j1 + j2) * factorial(j1 + j2 - J) *
      factorial(J + M) * factorial(J - M) * factorial(j1 - m1) * factorial(j1 + m1) * factorial(j2 - m2) *
      factorial(j2 + m2),
    factorial(j1 + j2 + J + 1),
  );
  const magnitude = Math.sqrt(rationalToNumber(mulRational(prefactor, mulRational(sum, sum))));
  return sum.n < 0n ? -magnitude : magnitude;
}

/** One non-zero entry U[m_real, m_complex] = re + i·im of the unitary map Y_real = U Y_complex. */
interface UEntry {
  m: number;
  re: number;
  im: number;
}

/**
 * Row m of U (Wikipedia's real form; the complex Y_l^m carry the Condon–Shortley phase, the real ones none):
 * m > 0: (Y^{−m} + (−1)^m Y^m)/√2;  m < 0: i (Y^{m} − (−1)^m Y^{−m})/√2;  m = 0: Y^0.
 */
function uRow(m: number): UEntry[] {
  const h = Math.SQRT1_2;
  const s = m % 2 === 0 ? 1 : -1;
  if (m > 0) return [{ m: -m, re: h, im: 0 }, { m, re: s * h, im: 0 }];
  if (m < 0) return [{ m, re: 0, im: h }, { m: -m, re: 0, im: -s * h }];
  return [{ m: 0, re: 1, im: 0 }];
}

function realClebschGordan(l1: number, l2: number, L: number): Float64Array {
  const [n1, n2, n3] = [2 * l1 + 1, 2 * l2 + 1, 2 * L + 1];
  const complexCG = new Float64Array(n1 * n2); // ⟨l1 m1 l2 m2 | L, m1 + m2⟩
  for (let m1 = -l1; m1 <= l1; m1++) {
    for (let m2 = -l2; m2 <= l2; m2++) complexCG[(m1 + l1) * n2 + m2 + l2] = complexClebschGordan(l1, m1, l2, m2, L);
  }
  const re = new Float64Array(n1 * n2 * n3);
  const im = new Float64Array(n1 * n2 * n3);
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      for (let c = 0; c < n3; c++) {
        // Σ conj(U1[a, m1]) conj(U2[b, m2]) ⟨l1 m1 l2 m2|L M⟩ U_L[c, M], with M = m1 + m2.
        let sr = 0;
        let si = 0;
        for (const u1 of uRow(a - l1)) {
          for (const u2 of uRow(b - l2)) {
            const M = u1.m + u2.m;
            const u3 = uRow(c - L).find((e) => e.m === M);
            if (!u3) continue;
            const cg = complexCG[(u1.m + l1) * n2 + u2.m + l2];
            // (conj u1 · conj u2) · u3, complex products written out.
            const pr = u1.re * u2.re - u1.im * u2.im;
            const pi = -(u1.re * u2.im + u1.im * u2.re);
            sr += cg * (pr * u3.re - pi * u3.im);
            si += cg * (pr * u3.im + pi * u3.re);
          }
        }
        re[(a * n2 + b) * n3 + c] = sr;
        im[(a * n2 + b) * n3 + c] = si;
      }
    }
  }
  return fixPhaseAndSign(re, im, n2, n3, l1, l2, L);
}

/** Divides out the global phase, zeroes rounding residue and applies the sign convention of the file header. */
function fixPhaseAndSign(
  re: Float64Array, im: Float64Array, n2: number, n3: number, l1: number, l2: number, L: number,
): Float64Array {
  let big = 0;
  for (let i = 1; i < re.length; i++) if (Math.hypot(re[i], im[i]) > Math.hypot(re[big], im[big])) big = i;
  const norm = Math.hypot(re[big], im[big]);
  const [pr, pi] = [re[big] / norm, -im[big] / norm]; // conj of the phase of the largest entry
  const out = new Float64Array(re.length);
  for (let i = 0; i < re.length; i++) {
    const real = re[i] * pr - im[i] * pi;
    const imag = re[i] * pi + im[i] * pr;
    if (Math.abs(imag) > ZERO_THRESHOLD) {
      throw new HamError('E_INTERNAL', `Clebsch–Gordan (${l1}, ${l2}, ${L}) is not real after the phase fix`);
    }
    out[i] = Math.abs(real) < ZERO_THRESHOLD ? 0 : real;
  }
  const centre = (l1 * n2 + l2) * n3 + L; // entry m1 = m2 = M = 0
  const reference = (l1 + l2 + L) % 2 === 0 ? out[centre] : out.find((v) => v !== 0) ?? 0;
  if (reference < 0) for (let i = 0; i < out.length; i++) if (out[i] !== 0) out[i] = -out[i]; // no −0 entries
  return out;
}
