/**
 * Entrywise Hamiltonian (or overlap) errors of a prediction against a reference (DESIGN.md §7): mean |Ĥ − H| over
 * every entry of the reference's stored blocks (for a molecule, all n × n entries), split into on-site
 * (atom-diagonal) and off-site blocks, and — for showing where a model is wrong — by block type (on-site per
 * element, off-site per element pair) and, within each, by shell pair (angular momenta l1–l2). A block the
 * prediction lacks (beyond its cutoff) counts as predicted zero.
 */
import { blockIndex, blockKey, isOnsite, matrixEntries, type MatrixName, type SampleBlocks } from '../datasets/sample.ts';
import { offsiteKey, onsiteKey } from '../model/block-types.ts';

export interface BlockErrors {
  sumAbs: number;
  count: number;
  onsiteSumAbs: number;
  onsiteCount: number;
  maxAbs: number;
}

/** Each block of `ref` with the start of the same (i, j, R) block in `pred`'s entries, or −1 when `pred` lacks it. */
function* matchedBlocks(pred: SampleBlocks, ref: SampleBlocks): Generator<{ b: number; p0: number }> {
  const index = blockIndex(pred);
  for (let b = 0; b < ref.i.length; b++) {
    const p = index.get(blockKey(ref.i[b], ref.j[b], ref.R.subarray(3 * b, 3 * b + 3)));
    yield { b, p0: p === undefined ? -1 : pred.offsets[p] };
  }
}

export function blockErrors(pred: SampleBlocks, ref: SampleBlocks): BlockErrors {
  const [P, Q] = [pred.H, ref.H];
  const out: BlockErrors = { sumAbs: 0, count: 0, onsiteSumAbs: 0, onsiteCount: 0, maxAbs: 0 };
  for (const { b, p0 } of matchedBlocks(pred, ref)) {
    const r0 = ref.offsets[b];
    const size = ref.offsets[b + 1] - r0;
    const onsite = isOnsite(ref, b);
    for (let k = 0; k < size; k++) {
      const d = Math.abs((p0 < 0 ? 0 : P[p0 + k]) - Q[r0 + k]);
      out.sumAbs += d;
      if (onsite) out.onsiteSumAbs += d;
      if (d > out.maxAbs) out.maxAbs = d;
    }
    out.count += size;
    if (onsite) out.onsiteCount += size;
  }
  return out;
}

/** Errors of one block type (`shells` null) or of one shell pair within it. */
export interface BlockTypeError {
  /** The model's block-type key (core/model/block-types.ts): "on:6", "off:1-6". */
  type: string;
  onsite: boolean;
  /** Atomic numbers of the row and column atoms; off-site the lower first. */
  zRow: number;
  zCol: number;
  /** Angular momenta (row, column) of the shell pair, oriented as zRow, zCol (l1 ≤ l2 when the elements agree). */
  shells: [number, number] | null;
  sumAbs: number;
  count: number;
  maxAbs: number;
}

/** l of each orbital of an atom with these shells (basis order, 2l+1 functions a shell). */
const orbitalLs = (ls: readonly number[]) => ls.flatMap((l) => Array<number>(2 * l + 1).fill(l));

/**
 * Errors by block type and shell pair, in that order of keys (types sorted, each followed by its shell pairs).
 * The whole-type rows add up to `blockErrors` (same entries, same sums).
 */
export function blockErrorsByType(pred: SampleBlocks, ref: SampleBlocks, numbers: readonly number[], atomShells: readonly (readonly number[])[], which: MatrixName = 'H'): BlockTypeError[] {
  const [P, Q] = [matrixEntries(pred, which), matrixEntries(ref, which)];
  const ls = atomShells.map(orbitalLs);
  const rows = new Map<string, BlockTypeError>();
  const row = (type: string, onsite: boolean, zRow: number, zCol: number, shells: [number, number] | null) => {
    const key = shells ? `${type}|${shells[0]},${shells[1]}` : type;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { type, onsite, zRow, zCol, shells, sumAbs: 0, count: 0, maxAbs: 0 }));
    return r;
  };
  const add = (r: BlockTypeError, d: number) => {
    r.sumAbs += d;
    r.count++;
    if (d > r.maxAbs) r.maxAbs = d;
  };
  for (const { b, p0 } of matchedBlocks(pred, ref)) {
    const [i, j] = [ref.i[b], ref.j[b]];
    const onsite = isOnsite(ref, b);
    const swap = numbers[i] > numbers[j];
    const [zRow, zCol] = swap ? [numbers[j], numbers[i]] : [numbers[i], numbers[j]];
    const type = onsite ? onsiteKey(zRow) : offsiteKey(zRow, zCol);
    const whole = row(type, onsite, zRow, zCol, null);
    const r0 = ref.offsets[b];
    const nc = ls[j].length;
    for (let k = 0; k < ref.offsets[b + 1] - r0; k++) {
      const d = Math.abs((p0 < 0 ? 0 : P[p0 + k]) - Q[r0 + k]);
      let [l1, l2] = [ls[i][Math.floor(k / nc)], ls[j][k % nc]];
      if (swap || (zRow === zCol && l1 > l2)) [l1, l2] = [l2, l1];
      add(whole, d);
      add(row(type, onsite, zRow, zCol, [l1, l2]), d);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
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
