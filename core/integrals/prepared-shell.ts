/**
 * A contracted shell made ready for integrals: each function is φ_m(r) = Σ_k w_k r^l Y_lm(r̂) e^(−α_k r²) about its
 * centre, with Y_lm the orthonormal "wiki" harmonic (solid-harmonics.ts) and weights w_k that already include the
 * primitive and the contraction normalisation, so ⟨φ_m|φ_m⟩ = 1 as in psi4 (which normalises the contraction).
 *
 * Basis-file coefficients d_k multiply normalised primitives (Gaussian94 convention). As ∫ Y_lm² dΩ = 1, the
 * one-centre overlap of two primitives is the same for every m:
 *   J_l(p) = ∫ r^(2l) Y_lm² e^(−p r²) d³r = ∫₀^∞ r^(2l+2) e^(−p r²) dr = (2l+1)!! √π / (2^(l+2) p^(l+3/2)),
 * the standard Gaussian moment ∫₀^∞ r^(2n) e^(−p r²) dr = (2n−1)!! √π / (2^(n+1) p^(n+½)) with n = l+1. Hence
 * w_k = d_k / √J_l(2α_k), then all w_k divided by √(Σ_kk' w_k w_k' J_l(α_k + α_k')), the contracted self-overlap.
 */
import { HamError } from '../contracts/errors.ts';
import type { GaussianShell } from '../basis/gaussian-basis.ts';
import { cartesianPowers, solidHarmonicTable, type SolidHarmonicTable } from './solid-harmonics.ts';

export interface PreparedShell {
  l: number;
  /** Primitive exponents, bohr⁻². */
  exponents: Float64Array;
  /** Weights of the unnormalised primitives r^l Y_lm e^(−α r²), normalisation included. */
  weights: Float64Array;
  /** Smallest exponent: the most diffuse primitive bounds the screening of a shell pair. */
  minExponent: number;
  /** Cartesian monomials of degree l (flat [a, b, c, …]) and r^l Y_lm in terms of them, kept here for the loops. */
  powers: Int32Array;
  harmonics: SolidHarmonicTable;
}

function oneCentreOverlap(l: number, p: number): number {
  let doubleFactorial = 1;
  for (let k = 2 * l + 1; k > 1; k -= 2) doubleFactorial *= k;
  return (doubleFactorial * Math.sqrt(Math.PI)) / (2 ** (l + 2) * p ** (l + 1.5));
}

export function prepareShell(shell: GaussianShell): PreparedShell {
  const { l, exponents, coefficients } = shell;
  if (!Number.isInteger(l) || l < 0 || exponents.length === 0 || exponents.length !== coefficients.length
    || exponents.some((a) => !(a > 0 && Number.isFinite(a)))) {
    throw new HamError('E_INPUT', `invalid Gaussian shell (l = ${l}, ${exponents.length} exponents, ${coefficients.length} coefficients)`);
  }
  const nPrim = exponents.length;
  const weights = Float64Array.from(coefficients, (d, k) => d / Math.sqrt(oneCentreOverlap(l, 2 * exponents[k])));
  let selfOverlap = 0;
  for (let i = 0; i < nPrim; i++) {
    for (let j = 0; j < nPrim; j++) {
      selfOverlap += weights[i] * weights[j] * oneCentreOverlap(l, exponents[i] + exponents[j]);
    }
  }
  if (!(selfOverlap > 0 && Number.isFinite(selfOverlap))) {
    throw new HamError('E_NUMERIC', `contracted shell with l = ${l} has norm² ${selfOverlap}; check its coefficients`);
  }
  const scale = 1 / Math.sqrt(selfOverlap);
  for (let i = 0; i < nPrim; i++) weights[i] *= scale;
  return {
    l, exponents: Float64Array.from(exponents), weights, minExponent: Math.min(...exponents),
    powers: cartesianPowers(l), harmonics: solidHarmonicTable(l),
  };
}
