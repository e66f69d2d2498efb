/**
 * The crystal band error of DESIGN.md §4/§7: mean |ε_pred − ε_ref| over the reference eigenvalues within ±window
 * (default 2 eV) of the reference Fermi level, band by band (sorted index) on the same k-points. With `predShift`
 * the predicted eigenvalues are compared after subtracting it (E_F,pred − E_F,ref: bands relative to each Fermi level).
 */
import { HamError } from '../contracts/errors.ts';
import { kpointCount, type KEigenvalues } from './bands.ts';

export interface BandError {
  /** Mean absolute deviation, in the unit of the eigenvalues. */
  mae: number;
  /** Largest absolute deviation among the compared eigenvalues. */
  max: number;
  /** Number of (k, band) eigenvalues compared. */
  count: number;
}

export function bandError(pred: KEigenvalues, ref: KEigenvalues, fermiLevel: number, window = 2, predShift = 0): BandError {
  const nK = kpointCount(ref);
  if (kpointCount(pred) !== nK) throw new HamError('E_INPUT', `predicted bands have ${kpointCount(pred)} k-points, the reference ${nK}`);
  let sum = 0;
  let max = 0;
  let count = 0;
  for (let q = 0; q < nK; q++) {
    for (let b = 0; b < ref.nBands; b++) {
      const e = ref.eigenvalues[q * ref.nBands + b];
      if (Math.abs(e - fermiLevel) > window) continue;
      if (b >= pred.nBands) throw new HamError('E_INPUT', `reference band ${b + 1} lies within ±${window} of E_F but the prediction has only ${pred.nBands} bands`);
      const d = Math.abs(pred.eigenvalues[q * pred.nBands + b] - predShift - e);
      sum += d;
      max = Math.max(max, d);
      count++;
    }
  }
  if (count === 0) throw new HamError('E_INPUT', `no reference eigenvalue lies within ±${window} of the Fermi level ${fermiLevel}`);
  return { mae: sum / count, max, count };
}
