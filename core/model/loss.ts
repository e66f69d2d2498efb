/**
 * Training loss (DESIGN.md §5; reference/tracegrad.md): L = L_H + λ · stopgrad(L_H / L_T) · L_T, with L_H the
 * weighted mean squared error of the normalised Wigner–Eckart coefficients (an orthogonal change of basis of the
 * block entries; weights from graph-batch.ts lossWeights) and L_T that of the normalised trace labels T_ab = ‖H_ab‖²_F. The stop-gradient ratio keeps the trace
 * term on the scale of the H term whatever their units (the paper's balanced loss).
 *
 * With kind 'rmse+mae', L_H = RMSE + MAE of the same weighted coefficients (as nablaDFT trains QHNet): the MAE part
 * pulls on every entry alike, so training aims at the entrywise MAE the models are judged by rather than at the few
 * largest errors that dominate a squared loss. Its weights σ/σ̄ make the MAE part the raw-unit L1 error up to scale.
 */
import * as tf from '../runtime/tf.ts';
import type { GraphBatch } from './graph-batch.ts';
import type { GroupPrediction } from './hamiltonian-net.ts';

/** Identity whose gradient is zero (tfjs has no stop_gradient op). */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as Parameters<typeof tf.customGrad>[0]);

export interface LossParts {
  total: tf.Scalar;
  hamiltonian: tf.Scalar;
  trace?: tf.Scalar;
}

export type LossKind = 'mse' | 'rmse+mae';
export const LOSS_KINDS: readonly LossKind[] = ['mse', 'rmse+mae'];

/**
 * `onsiteWeight` multiplies the weights of on-site groups: on-site blocks are ~2 % of a crystal's entries, so an
 * entrywise loss hardly sees them, yet they set the band energies (a shift of every on-site p_z level moves the π bands).
 */
export function trainingLoss(batch: GraphBatch, pred: GroupPrediction[], lambda: number, kind: LossKind = 'mse', onsiteWeight = 1): LossParts {
  let sse: tf.Tensor = tf.scalar(0);
  let sae: tf.Tensor = tf.scalar(0);
  let n = 0;
  let tse: tf.Tensor = tf.scalar(0);
  let nt = 0;
  batch.groups.forEach((g, k) => {
    const err = pred[k].coef.sub(tf.tensor2d(g.coef!, pred[k].coef.shape));
    const w = g.type.onsite && onsiteWeight !== 1 ? tf.tensor1d(g.weight!).mul(onsiteWeight) : tf.tensor1d(g.weight!);
    sse = sse.add(err.square().mul(w).sum());
    if (kind === 'rmse+mae') sae = sae.add(err.abs().mul(w).sum());
    n += g.coef!.length;
    const tr = pred[k].trace;
    if (tr) {
      tse = tse.add(tr.sub(tf.tensor2d(g.trace!, tr.shape)).square().sum());
      nt += g.trace!.length;
    }
  });
  const mse = sse.div(Math.max(n, 1));
  // sqrt has an infinite derivative at 0; the floor only matters for a perfect fit.
  const hamiltonian = (kind === 'mse' ? mse : mse.add(1e-20).sqrt().add(sae.div(Math.max(n, 1)))) as tf.Scalar;
  if (nt === 0 || lambda === 0) return { total: hamiltonian, hamiltonian };
  const trace = tse.div(nt) as tf.Scalar;
  const ratio = stopGradient(hamiltonian.div(trace.add(1e-12)));
  return { total: hamiltonian.add(ratio.mul(trace).mul(lambda)) as tf.Scalar, hamiltonian, trace };
}
