/**
 * Density of states with Gaussian smearing on a k-mesh (DESIGN.md §4):
 *   D(E) = g_s Σ_k w_k Σ_n exp(−(E − ε_nk)²/2σ²) / (σ√(2π)),
 * states per unit energy per cell (g_s = 2 spin-unpolarised, equal weights), so that ∫D dE = g_s · nBands.
 */
import { HamError } from '../contracts/errors.ts';
import { kpointCount, type KEigenvalues } from './bands.ts';

export interface DosOptions {
  /** Gaussian standard deviation σ, in the unit of the eigenvalues (> 0). */
  sigma: number;
  spinDegeneracy?: number;
}

/** D(E) at each energy of `energies`. */
export function densityOfStates(bands: KEigenvalues, energies: Float64Array, opts: DosOptions): Float64Array {
  const { sigma } = opts;
  if (!(sigma > 0)) throw new HamError('E_INPUT', `the Gaussian smearing σ must be positive (got ${sigma})`);
  const nK = kpointCount(bands);
  const norm = (opts.spinDegeneracy ?? 2) / (nK * sigma * Math.sqrt(2 * Math.PI));
  const out = new Float64Array(energies.length);
  // Beyond 8σ a Gaussian is below 1e-14 of its peak: skip it.
  const cut = 8 * sigma;
  for (const eps of bands.eigenvalues) {
    for (let g = 0; g < energies.length; g++) {
      const x = energies[g] - eps;
      if (Math.abs(x) < cut) out[g] += Math.exp((-0.5 * x * x) / (sigma * sigma));
    }
  }
  for (let g = 0; g < out.length; g++) out[g] *= norm;
  return out;
}

/** n equally spaced energies from `from` to `to` inclusive. */
export function energyGrid(from: number, to: number, n: number): Float64Array {
  if (!(n >= 2 && to > from)) throw new HamError('E_INPUT', `an energy grid needs n ≥ 2 points and to > from (got ${n}, ${from} … ${to})`);
  return Float64Array.from({ length: n }, (_, g) => from + ((to - from) * g) / (n - 1));
}
