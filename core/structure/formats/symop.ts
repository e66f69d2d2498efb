/**
 * Crystallographic symmetry operations in the xyz notation of CIF (`-x+1/2, y, z-y`), acting on fractional
 * coordinates: f' = W f + t.
 */
import type { Mat3, Vec3 } from '../structure.ts';
import { formatError, type Where } from './text.ts';

export interface SymOp {
  /** Row k gives coordinate k of the image as a combination of (x, y, z). */
  rotation: Mat3;
  translation: Vec3;
}

// One signed term: optional coefficient (integer, decimal or fraction), optional '*', optional variable.
const TERM = /([+-]?)(\d+(?:\.\d*)?|\.\d+)?(?:\/(\d+))?\*?([xyz])?/y;

export function parseSymop(text: string, at: Where): SymOp {
  const parts = text.toLowerCase().replace(/\s+/g, '').split(',');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw formatError(`symmetry operation '${text}' does not have three comma-separated parts`, at);
  }
  const rotation: Mat3 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const translation: Vec3 = [0, 0, 0];
  parts.forEach((part, row) => {
    TERM.lastIndex = 0;
    while (TERM.lastIndex < part.length) {
      const start = TERM.lastIndex;
      const m = TERM.exec(part);
      const [, sign, num, den, variable] = m ?? [];
      const bad = !m || TERM.lastIndex === start || (num === undefined && variable === undefined)
        || (den !== undefined && (num === undefined || Number(den) === 0));
      if (bad) {
        throw formatError(`cannot read symmetry operation '${text}' at '${part.slice(start)}'`, at);
      }
      const magnitude = (num === undefined ? 1 : Number(num)) / (den === undefined ? 1 : Number(den));
      const value = sign === '-' ? -magnitude : magnitude;
      if (variable === undefined) translation[row] += value;
      else rotation[row]['xyz'.indexOf(variable)] += value;
    }
  });
  return { rotation, translation };
}

export function applySymop(op: SymOp, f: Vec3): Vec3 {
  const w = op.rotation;
  return [0, 1, 2].map((k) => w[k][0] * f[0] + w[k][1] * f[1] + w[k][2] * f[2] + op.translation[k]) as Vec3;
}
