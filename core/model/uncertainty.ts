/**
 * Model uncertainty without an ensemble (issue "Guided fine-tuning", sampling): a TraceGrad model predicts the
 * invariant traces T_ab = ‖H_ab‖²_F of every block twice — by its trace head, and implicitly through the block it
 * decodes. Where the structure is unlike the training data the two disagree; the mean |ΔT| in units of the
 * training spread of T (the trace normalisation) ranks candidate structures for labelling, most uncertain first.
 */
import * as tf from '../runtime/tf.ts';
import { HamError } from '../contracts/errors.ts';
import type { Structure } from '../structure/structure.ts';
import { assembleBlock } from './block-plan.ts';
import type { HamiltonianModel } from './hamiltonian-model.ts';
import { blockTargets } from './normalization.ts';
import { edgeBoundedGroups } from './predict-crystal.ts';

/** Mean normalised |trace head − trace of the decoded block| per structure, over all its blocks and shell pairs. */
export function traceDisagreement(model: HamiltonianModel, structures: readonly Structure[], batchSize = 16): number[] {
  if (model.arch.arch === 'baseline') throw new HamError('E_INPUT', 'uncertainty from trace disagreement needs a model with a trace head (arch trace or tracegrad)');
  const out: number[] = [];
  for (const graphs of edgeBoundedGroups(structures.map((s) => model.graph(s)), (g) => g.src.length, batchSize)) {
    const batch = model.batch(graphs.map((graph) => ({ graph })), false);
    const pred = tf.tidy(() => model.net.forward(batch).map((p) => ({ coef: p.coef.dataSync() as Float32Array, trace: p.trace!.dataSync() as Float32Array })));
    const sum = new Float64Array(graphs.length);
    const count = new Float64Array(graphs.length);
    batch.groups.forEach((g, k) => {
      const nm = model.normalization.get(g.type.key)!;
      const { nCoefficients: nc, shellPairs } = g.type.plan;
      const np = shellPairs.length;
      g.rows.forEach((_, r) => {
        const raw = new Float64Array(nc);
        for (let c = 0; c < nc; c++) raw[c] = pred[k].coef[r * nc + g.type.netIndex[c]] * nm.coefStd[g.type.netIndex[c]] + nm.coefMean[g.type.netIndex[c]];
        const decoded = blockTargets(g.type, assembleBlock(g.type.plan, raw)).trace;
        for (let p = 0; p < np; p++) {
          const head = pred[k].trace[r * np + p];
          sum[g.sample[r]] += Math.abs(head - (decoded[p] - nm.traceMean[p]) / nm.traceStd[p]);
          count[g.sample[r]] += 1;
        }
      });
    });
    graphs.forEach((_, s) => out.push(sum[s] / Math.max(count[s], 1)));
  }
  return out;
}
