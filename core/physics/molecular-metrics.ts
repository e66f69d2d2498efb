/**
 * Molecular metrics of a predicted Hamiltonian against a reference (DESIGN.md §7, the QH9/QHNet protocol): with the
 * reference overlap S, solve H C = S C E for both; `maeEpsOcc` is the mean |ε_pred − ε_ref| over occupied orbitals
 * (closed shell: n_electrons / 2 lowest) and `psiSimilarity` the mean over occupied orbitals of
 * |⟨c_pred, c_ref⟩| / (‖c_pred‖ ‖c_ref‖) for the AO coefficient vectors (sign-invariant).
 */
import { HamError } from '../contracts/errors.ts';
import { generalizedEigen, type GeneralizedEigen } from './generalized-eigen.ts';

/** Doubly occupied orbitals of a neutral closed-shell molecule in an all-electron basis. */
export function occupiedOrbitals(numbers: readonly number[], charge = 0): number {
  const electrons = numbers.reduce((a, z) => a + z, 0) - charge;
  if (electrons % 2 !== 0) throw new HamError('E_INPUT', `${electrons} electrons: only closed-shell molecules are supported`);
  return electrons / 2;
}

export interface OrbitalComparison {
  maeEpsOcc: number;
  psiSimilarity: number;
  pred: GeneralizedEigen;
  ref: GeneralizedEigen;
}

export function compareOrbitals(Hpred: Float64Array, Href: Float64Array, S: Float64Array, n: number, nOcc: number): OrbitalComparison {
  const pred = generalizedEigen(Hpred, S, n);
  const ref = generalizedEigen(Href, S, n);
  let epsErr = 0;
  let sim = 0;
  for (let k = 0; k < nOcc; k++) {
    epsErr += Math.abs(pred.values[k] - ref.values[k]);
    let dot = 0;
    let np = 0;
    let nr = 0;
    for (let i = 0; i < n; i++) {
      const a = pred.vectors[i * pred.m + k];
      const b = ref.vectors[i * ref.m + k];
      dot += a * b; np += a * a; nr += b * b;
    }
    sim += Math.abs(dot) / Math.sqrt(np * nr);
  }
  return { maeEpsOcc: epsErr / nOcc, psiSimilarity: sim / nOcc, pred, ref };
}
