/**
 * Rows of the per-block-type error table: each block type (on-site per element, off-site per element pair) and
 * the shell pairs within it, H beside S when the model predicts S (crystals); in block-type order or by H MAE.
 */
import type { BlockTypeErrors, ErrorStats, MatrixErrors } from '../../core/contracts/api.ts';
import { lLetter } from './orbital-label.ts';

export interface ErrorRow {
  key: string;
  /** "on-site O", "off-site H–O". */
  block: string;
  /** "s–p", or "all" for the whole block type. */
  shells: string;
  whole: boolean;
  H: ErrorStats;
  S?: ErrorStats;
}

export type ErrorSort = 'type' | 'mae';

const rowKey = (t: BlockTypeErrors) => `${t.onsite ? 'on' : 'off'}:${t.elements.join('-')}|${t.shells?.join(',') ?? ''}`;

export function errorRows(errors: { H: MatrixErrors; S?: MatrixErrors }, sort: ErrorSort, shellPairs = true): ErrorRow[] {
  const s = new Map(errors.S?.byType.map((t) => [rowKey(t), t]));
  const rows = errors.H.byType
    .filter((t) => shellPairs || t.shells === null)
    .map((t): ErrorRow => ({
      key: rowKey(t),
      block: `${t.onsite ? 'on-site' : 'off-site'} ${t.elements.join('–')}`,
      shells: t.shells ? t.shells.map(lLetter).join('–') : 'all',
      whole: t.shells === null,
      H: t,
      S: s.get(rowKey(t)),
    }));
  return sort === 'mae' ? [...rows].sort((a, b) => b.H.mae - a.H.mae) : rows;
}

/** An error in its display unit (μEh, meV): three significant digits, whole numbers from 100; S in exponent form. */
export function formatErrorValue(value: number, unit: string): string {
  if (!unit) return value.toExponential(2);
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} ${unit}`;
}
