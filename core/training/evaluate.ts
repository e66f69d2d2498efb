/**
 * Evaluation of a model on a dataset with the metrics of DESIGN.md §7, in the dataset's unit: entrywise H MAE
 * (all, on-site, off-site) per structure averaged over structures, and for molecules the occupied orbital-energy
 * MAE and wavefunction similarity, solving with the reference overlap.
 */
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { denseMatrix, orbitalCount, type HamiltonianSample } from '../datasets/sample.ts';
import type { HamiltonianModel } from '../model/hamiltonian-model.ts';
import { compareOrbitals, occupiedOrbitals } from '../physics/molecular-metrics.ts';
import { elementSymbol } from '../structure/elements.ts';
import { isPeriodic } from '../structure/structure.ts';
import { averageMae, blockErrors, type BlockErrors } from './block-errors.ts';

export interface EvaluationResult {
  n_structures: number;
  unit: EnergyUnit;
  mae_H: number;
  mae_H_onsite: number;
  mae_H_offsite: number;
  max_abs_H: number;
  mae_eps_occ?: number;
  psi_similarity?: number;
  seconds_per_structure: number;
}

/** The dataset must use the model's unit and, per element, the model's shells. */
export function checkCompatible(model: HamiltonianModel, samples: readonly HamiltonianSample[], source: string): void {
  for (const s of samples) {
    if (s.unit !== model.arch.unit) throw new HamError('E_BASIS_MISMATCH', `${s.id} is in ${s.unit}, the model predicts in ${model.arch.unit}`, { file: source });
    s.structure.numbers.forEach((z, a) => {
      const want = model.arch.shells[String(z)];
      if (!want) throw new HamError('E_UNSUPPORTED_ELEMENT', `${s.id}: ${elementSymbol(z)} is not covered by the model (${model.arch.elements.map(elementSymbol).join(', ')})`, { file: source });
      if (want.join(',') !== s.atomShells[a].join(',')) {
        throw new HamError('E_BASIS_MISMATCH', `${s.id}: ${elementSymbol(z)} has shells l = [${s.atomShells[a]}] in the data but [${want}] in the model (${model.arch.basis})`, { file: source });
      }
    });
  }
}

export function evaluate(model: HamiltonianModel, samples: readonly HamiltonianSample[], batchSize = 16): EvaluationResult {
  const errors: BlockErrors[] = [];
  let eps = 0;
  let psi = 0;
  let nMol = 0;
  let seconds = 0;
  for (let k = 0; k < samples.length; k += batchSize) {
    const chunk = samples.slice(k, k + batchSize);
    const t0 = performance.now();
    const graphs = chunk.map((s) => model.graph(s.structure));
    const pred = model.predictBlocks(model.batch(graphs.map((graph) => ({ graph })), false), graphs);
    seconds += (performance.now() - t0) / 1000;
    chunk.forEach((s, d) => {
      errors.push(blockErrors(pred[d], s.blocks));
      if (isPeriodic(s.structure) || !s.blocks.S) return;
      const n = orbitalCount(s);
      const predSample = { ...s, blocks: pred[d] };
      const cmp = compareOrbitals(denseMatrix(predSample, 'H'), denseMatrix(s, 'H'), denseMatrix(s, 'S'), n, occupiedOrbitals(s.structure.numbers));
      eps += cmp.maeEpsOcc;
      psi += cmp.psiSimilarity;
      nMol++;
    });
  }
  const mae = averageMae(errors);
  return {
    n_structures: samples.length, unit: model.arch.unit,
    mae_H: mae.mae, mae_H_onsite: mae.maeOnsite, mae_H_offsite: mae.maeOffsite, max_abs_H: mae.maxAbs,
    ...(nMol > 0 ? { mae_eps_occ: eps / nMol, psi_similarity: psi / nMol } : {}),
    seconds_per_structure: seconds / Math.max(samples.length, 1),
  };
}
