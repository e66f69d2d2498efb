/** How many snapshots a DFT time budget buys, as the fine-tuning job itself cuts them (core/training/finetune.ts). */
import type { FinetuneEstimate } from '../../core/contracts/api.ts';

/** Bounds of the app's snapshot count (the API's validator accepts 4…500). */
export const MIN_SNAPSHOTS = 4;
export const MAX_SNAPSHOTS = 500;

export function snapshotsForBudget(e: FinetuneEstimate, minutes: number): number {
  const affordable = Math.floor(minutes * e.snapshotsPerMinute);
  return Math.min(MAX_SNAPSHOTS, Math.max(MIN_SNAPSHOTS, affordable));
}
