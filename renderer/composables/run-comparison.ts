/**
 * Side-by-side comparison of runs (the app's counterpart of `hamstudio runs compare`): best and last validation
 * MAE, at which epoch, how far each got. Only runs that report the same unit can share an axis.
 */
import type { RunInfo } from '../../core/contracts/api.ts';

export interface ComparisonRow {
  id: string;
  title: string;
  status: RunInfo['status'];
  epochs: number;
  best: number;
  bestEpoch: number;
  last: number;
}

export interface RunComparison {
  unit: string;
  /** Best validation MAE first. */
  rows: ComparisonRow[];
  /** Runs left out: no validation epochs yet, or another unit. */
  excluded: { title: string; reason: string }[];
}

export function compareRuns(runs: readonly RunInfo[]): RunComparison {
  const withCurves = runs.filter((r) => r.curve.length > 0 && r.unit);
  const unit = withCurves[0]?.unit ?? '';
  const excluded = runs.filter((r) => !withCurves.includes(r)).map((r) => ({ title: r.title, reason: 'no finished epoch yet' }));
  const rows: ComparisonRow[] = [];
  for (const r of withCurves) {
    if (r.unit !== unit) {
      excluded.push({ title: r.title, reason: `reports ${r.unit}, not ${unit}` });
      continue;
    }
    const best = r.curve.reduce((a, p) => (p.valMae < a.valMae ? p : a));
    rows.push({ id: r.id, title: r.title, status: r.status, epochs: r.curve.at(-1)!.epoch, best: best.valMae, bestEpoch: best.epoch, last: r.curve.at(-1)!.valMae });
  }
  rows.sort((a, b) => a.best - b.best);
  return { unit, rows, excluded };
}
