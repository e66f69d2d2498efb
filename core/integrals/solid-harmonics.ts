/**
 * Cartesian → real-spherical transform for the integral loops: r^l Y_lm(r̂) as a sparse combination of the
 * monomials x^a y^b z^c of degree l, with Y_lm the project's "wiki" harmonics (m = −l…l, no Condon–Shortley
 * phase, orthonormal on the unit sphere) taken from the generated table core/so3/spherical-harmonics.generated.ts.
 * That table lists Y_lm as a homogeneous degree-l polynomial of the unit vector, so the same coefficients give
 * the solid harmonic r^l Y_lm in x, y, z.
 */
import { HamError } from '../contracts/errors.ts';
import { SH_LMAX, SH_TERMS } from '../so3/spherical-harmonics.generated.ts';

/** Sparse expansion of the 2l+1 functions of one l: function k uses terms offsets[k] … offsets[k+1]−1. */
export interface SolidHarmonicTable {
  l: number;
  offsets: Int32Array;
  /** Index of the monomial in cartesianPowers(l). */
  carts: Int32Array;
  coefs: Float64Array;
}

/**
 * Monomials x^a y^b z^c with a+b+c = l, ordered a = l…0, then b = l−a…0; the index of (a, b, c) is s(s+1)/2 + c
 * with s = l − a. Returned flat as [a0, b0, c0, a1, …].
 */
export function cartesianPowers(l: number): Int32Array {
  const out = new Int32Array(3 * numCartesian(l));
  let k = 0;
  for (let a = l; a >= 0; a--) {
    for (let b = l - a; b >= 0; b--) {
      out[k++] = a;
      out[k++] = b;
      out[k++] = l - a - b;
    }
  }
  return out;
}

export function numCartesian(l: number): number {
  return ((l + 1) * (l + 2)) / 2;
}

function buildTable(l: number): SolidHarmonicTable {
  if (!Number.isInteger(l) || l < 0 || l > SH_LMAX) {
    throw new HamError('E_UNSUPPORTED_ELEMENT', `Gaussian shells need l ≤ ${SH_LMAX}, got l = ${l}`);
  }
  const offsets = new Int32Array(2 * l + 2);
  const carts: number[] = [];
  const coefs: number[] = [];
  SH_TERMS[l].forEach((terms, k) => {
    for (const [coefficient, a, , c] of terms) {
      const s = l - a;
      carts.push((s * (s + 1)) / 2 + c);
      coefs.push(coefficient);
    }
    offsets[k + 1] = carts.length;
  });
  return { l, offsets, carts: Int32Array.from(carts), coefs: Float64Array.from(coefs) };
}

const tables: SolidHarmonicTable[] = [];

/** The table for l, built once. */
export function solidHarmonicTable(l: number): SolidHarmonicTable {
  return (tables[l] ??= buildTable(l));
}
