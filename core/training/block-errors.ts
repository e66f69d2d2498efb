/**
 * Entrywise Hamiltonian errors of a prediction against a reference (DESIGN.md §7): mean |Ĥ − H| over every entry
 * of the reference's stored blocks (for a molecule, all n × n entries), split into on-site (atom-diagonal) and
 * off-site blocks. A block the prediction lacks (beyond its cutoff) counts as predicted zero.
 */
import { blockIndex, blockKey, isOnsite, type SampleBlocks } from '../datasets/sample.ts';

export interface BlockErrors {
  sumAbs: number;
  count: number;
  onsiteSumAbs: number;
  onsiteCount: number;
  maxAbs: number;
}

export function blockErrors(pred: SampleBlocks, ref: SampleBlocks): BlockErrors {
  const index = blockIndex(pred);
  const out: BlockErrors = { sumAbs: 0, count: 0, onsiteSumAbs: 0, onsiteCount: 0, maxAbs: 0 };
  for (let b = 0; b < ref.i.length; b++) {
    const p = index.get(blockKey(ref.i[b], ref.j[b], ref.R.subarray(3 * b, 3 * b + 3)));
    const r0 = ref.offsets[b];
    const size = ref.offsets[b + 1] - r0;
    const p0 = p === undefined ? -1 : pred.offsets[p];
    const onsite = isOnsite(ref, b);
    for (let k = 0; k < size; k++) {
      const d = Math.abs((p0 < 0 ? 0 : pred.H[p0 + k]) - ref.H[r0 + k]);
      out.sumAbs += d;
      if (onsite) out.onsiteSumAbs += d;
      if (d > out.maxAbs) out.maxAbs = d;
    }
    out.count += size;
    if (onsite) out.onsiteCount += size;
  }
  return out;
}

export interface MaeSummary {
  mae: number;
  maeOnsite: number;
  maeOffsite: number;
  maxAbs: number;
}

/** Per-structure MAEs averaged over structures (the QH9 protocol). */
export function averageMae(errors: readonly BlockErrors[]): MaeSummary {
  const n = Math.max(errors.length, 1);
  return {
    mae: errors.reduce((a, e) => a + e.sumAbs / e.count, 0) / n,
    maeOnsite: errors.reduce((a, e) => a + e.onsiteSumAbs / Math.max(e.onsiteCount, 1), 0) / n,
    maeOffsite: errors.reduce((a, e) => a + (e.sumAbs - e.onsiteSumAbs) / Math.max(e.count - e.onsiteCount, 1), 0) / n,
    maxAbs: errors.reduce((a, e) => Math.max(a, e.maxAbs), 0),
  };
}
