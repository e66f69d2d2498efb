/**
 * Wigner D matrices for the real "wiki" harmonics: D_l(R) is defined by Y_l(R r) = D_l(R) Y_l(r), so that
 * D_l(R1 R2) = D_l(R1) D_l(R2), D_l is orthogonal, and a Hamiltonian block between shells l_a, l_b rotates as
 * H_rot = D_la(R) H D_lb(R)ᵀ (DESIGN.md §3, §5).
 *
 * Method: the Ivanic–Ruedenberg recursion (J. Ivanic, K. Ruedenberg, J. Phys. Chem. 100, 6342 (1996); corrections
 * J. Phys. Chem. A 102, 9099 (1998)), which builds D_l from D_{l−1} and D_1 as polynomials in the entries of R.
 * Chosen over fitting D from sampled harmonics because it is exact up to float64 rounding with no linear solve,
 * costs O((2l+1)²) per degree, and works for every l (the CG tests need D_L up to L = 12, beyond the harmonics
 * table). Being independent of the harmonics table, it also lets the tests check table and D against each other.
 * The recursion's real harmonics have l = 1 ordered (y, z, x) with positive signs, i.e. our basis; the tests
 * confirm Y(R r) = D Y(r) for every l of the table.
 */
import { HamError } from '../contracts/errors.ts';
import { assertRotation } from './rotation.ts';

/** D_l(R) as a row-major (2l + 1)×(2l + 1) Float64Array, rows and columns m = −l…l. R is row-major 3×3. */
export function wignerD(l: number, R: ArrayLike<number>): Float64Array {
  return wignerDUpTo(l, R)[l];
}

/** [D_0(R), D_1(R), …, D_lmax(R)], each row-major; one recursion serves all degrees. */
export function wignerDUpTo(lmax: number, R: ArrayLike<number>): Float64Array[] {
  if (!Number.isInteger(lmax) || lmax < 0) {
    throw new HamError('E_INPUT', `Wigner D: l must be a non-negative integer, got ${lmax}`);
  }
  assertRotation(R);
  const out: Float64Array[] = [Float64Array.of(1)];
  if (lmax === 0) return out;
  // D_1 = R with rows and columns permuted to (y, z, x): Y_1(r) ∝ (r_y, r_z, r_x).
  const perm = [1, 2, 0];
  const d1 = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) d1[3 * i + j] = R[3 * perm[i] + perm[j]];
  out.push(d1);
  for (let l = 2; l <= lmax; l++) out.push(nextDegree(l, d1, out[l - 1]));
  return out;
}

/**
 * Block-diagonal diag(D_l1, D_l2, …) for a list of shells, row-major with side Σ(2l + 1): rotates a whole
 * orbital-basis matrix as H_rot = D H Dᵀ when the shells are listed in orbital order.
 */
export function blockDiagonalD(ls: readonly number[], R: ArrayLike<number>): Float64Array {
  for (const l of ls) {
    if (!Number.isInteger(l) || l < 0) throw new HamError('E_INPUT', `shell l must be a non-negative integer, got ${l}`);
  }
  const blocks = wignerDUpTo(Math.max(0, ...ls), R);
  const n = ls.reduce((sum, l) => sum + 2 * l + 1, 0);
  const out = new Float64Array(n * n);
  let offset = 0;
  for (const l of ls) {
    const w = 2 * l + 1;
    const d = blocks[l];
    for (let i = 0; i < w; i++) out.set(d.subarray(i * w, (i + 1) * w), (offset + i) * n + offset);
    offset += w;
  }
  return out;
}

/** One Ivanic–Ruedenberg step: D_l from D_{l−1} (`prev`) and D_1 (`d1`), with the paper's u, v, w and P, U, V, W. */
function nextDegree(l: number, d1: Float64Array, prev: Float64Array): Float64Array {
  const w = 2 * l + 1;
  const wp = 2 * l - 1;
  const r1 = (i: number, j: number): number => d1[3 * (i + 1) + (j + 1)];
  const rp = (m: number, n: number): number => prev[wp * (m + l - 1) + (n + l - 1)];
  // P^i_{μ m'}: the one place where D_{l−1} and D_1 are combined.
  const P = (i: number, mu: number, n: number): number => {
    if (n === l) return r1(i, 1) * rp(mu, l - 1) - r1(i, -1) * rp(mu, -l + 1);
    if (n === -l) return r1(i, 1) * rp(mu, -l + 1) + r1(i, -1) * rp(mu, l - 1);
    return r1(i, 0) * rp(mu, n);
  };
  const out = new Float64Array(w * w);
  for (let m = -l; m <= l; m++) {
    const am = Math.abs(m);
    const m0 = m === 0 ? 1 : 0;
    for (let n = -l; n <= l; n++) {
      const denom = Math.abs(n) < l ? (l + n) * (l - n) : 2 * l * (2 * l - 1);
      const u = Math.sqrt(((l + m) * (l - m)) / denom);
      const v = 0.5 * Math.sqrt(((1 + m0) * (l + am - 1) * (l + am)) / denom) * (1 - 2 * m0);
      const wc = -0.5 * Math.sqrt(((l - am - 1) * (l - am)) / denom) * (1 - m0);
      let value = 0;
      if (u !== 0) value += u * P(0, m, n);
      if (v !== 0) {
        let V: number;
        if (m === 0) V = P(1, 1, n) + P(-1, -1, n);
        else if (m > 0) V = P(1, m - 1, n) * Math.sqrt(1 + (m === 1 ? 1 : 0)) - (m === 1 ? 0 : P(-1, -m + 1, n));
        else V = (m === -1 ? 0 : P(1, m + 1, n)) + P(-1, -m - 1, n) * Math.sqrt(1 + (m === -1 ? 1 : 0));
        value += v * V;
      }
      if (wc !== 0) {
        const W = m > 0 ? P(1, m + 1, n) + P(-1, -m - 1, n) : P(1, m - 1, n) - P(-1, -m + 1, n);
        value += wc * W;
      }
      out[w * (m + l) + (n + l)] = value;
    }
  }
  return out;
}
