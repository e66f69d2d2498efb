/**
 * Target normalisation (DESIGN.md §5): per block type and Wigner–Eckart group (shell pair, L), the training-set mean
 * of the invariant L = 0 coefficients (L > 0 means are zero by symmetry and kept at zero so the model stays
 * equivariant) and the RMS deviation; likewise mean and std of the trace labels T_ab = ‖H_ab‖²_F per shell pair.
 * The network predicts normalised values; the model file stores these statistics.
 */
import { blockData, type HamiltonianSample } from '../datasets/sample.ts';
import { projectBlock } from './block-plan.ts';
import type { BlockType } from './block-types.ts';
import { canonicalBlocks } from './canonical-blocks.ts';

export interface TypeNormalization {
  /** Per coefficient, network order. */
  coefMean: Float64Array;
  coefStd: Float64Array;
  /** Per shell pair of the plan. */
  traceMean: Float64Array;
  traceStd: Float64Array;
  count: number;
}

/** Coefficients (network order) and traces (plan shell-pair order) of one block. */
export function blockTargets(type: BlockType, block: ArrayLike<number>): { coef: Float64Array; trace: Float64Array } {
  const x = projectBlock(type.plan, block);
  const coef = new Float64Array(x.length);
  x.forEach((v, k) => { coef[type.netIndex[k]] = v; });
  const trace = new Float64Array(type.plan.shellPairs.length);
  const pairIndex = new Map(type.plan.shellPairs.map(([a, b], p) => [`${a},${b}`, p]));
  let k = 0;
  for (const g of type.plan.groups) {
    const p = pairIndex.get(`${g.a},${g.b}`)!;
    for (let M = 0; M <= 2 * g.L; M++, k++) trace[p] += x[k] * x[k];
  }
  return { coef, trace };
}

export function computeNormalization(samples: readonly HamiltonianSample[], types: Map<string, BlockType>): Map<string, TypeNormalization> {
  const acc = new Map<string, { coefs: Float64Array[]; traces: Float64Array[] }>();
  for (const s of samples) {
    for (const { block, typeKey } of canonicalBlocks(s)) {
      const type = types.get(typeKey);
      if (!type) continue;
      const t = blockTargets(type, blockData(s.blocks, 'H', block));
      const a = acc.get(typeKey) ?? { coefs: [], traces: [] };
      a.coefs.push(t.coef);
      a.traces.push(t.trace);
      acc.set(typeKey, a);
    }
  }
  const out = new Map<string, TypeNormalization>();
  for (const [key, type] of types) {
    const a = acc.get(key);
    const nc = type.plan.nCoefficients;
    const np = type.plan.shellPairs.length;
    const norm: TypeNormalization = {
      coefMean: new Float64Array(nc), coefStd: new Float64Array(nc).fill(1),
      traceMean: new Float64Array(np), traceStd: new Float64Array(np).fill(1), count: a?.coefs.length ?? 0,
    };
    if (a && a.coefs.length > 0) {
      const n = a.coefs.length;
      // Means of L = 0 coefficients only (the first lOffsets[1] entries of the network order).
      for (let k = 0; k < type.lOffsets[1]; k++) norm.coefMean[k] = a.coefs.reduce((s, c) => s + c[k], 0) / n;
      // RMS per group: a group's 2L+1 coefficients share one scale, so rotations keep their relative weights.
      for (let L = 0; L + 1 < type.lOffsets.length; L++) {
        const width = 2 * L + 1;
        for (let start = type.lOffsets[L]; start < type.lOffsets[L + 1]; start += width) {
          let ss = 0;
          for (const c of a.coefs) for (let M = 0; M < width; M++) ss += (c[start + M] - norm.coefMean[start + M]) ** 2;
          const std = Math.sqrt(ss / (n * width));
          for (let M = 0; M < width; M++) norm.coefStd[start + M] = std > 0 ? std : 1;
        }
      }
      for (let p = 0; p < np; p++) {
        const mean = a.traces.reduce((s, t) => s + t[p], 0) / n;
        const std = Math.sqrt(a.traces.reduce((s, t) => s + (t[p] - mean) ** 2, 0) / n);
        norm.traceMean[p] = mean;
        norm.traceStd[p] = std > 0 ? std : 1;
      }
    }
    out.set(key, norm);
  }
  return out;
}
