import { describe, expect, it } from 'vitest';
import {
  cellFromParameters, det3, dot, invert3, norm, perpendicularHeights, vecMat,
} from '../../../core/structure/cell.ts';
import type { Mat3 } from '../../../core/structure/structure.ts';

const deg = (a: [number, number, number], b: [number, number, number]): number =>
  (Math.acos(dot(a, b) / (norm(a) * norm(b))) * 180) / Math.PI;

describe('cell geometry', () => {
  it('builds a triclinic cell whose lengths and angles are the parameters', () => {
    const cell = cellFromParameters(4, 5, 6, 75, 85, 95)!;
    expect(cell[0][1]).toBe(0);
    expect(cell[0][2]).toBe(0);
    expect(cell[1][2]).toBe(0);
    expect(cell.map(norm).map((x) => +x.toFixed(12))).toEqual([4, 5, 6]);
    expect(deg(cell[1], cell[2])).toBeCloseTo(75, 10);
    expect(deg(cell[0], cell[2])).toBeCloseTo(85, 10);
    expect(deg(cell[0], cell[1])).toBeCloseTo(95, 10);
  });

  it('keeps right angles exact and rejects angles that cannot close', () => {
    expect(cellFromParameters(2, 3, 4, 90, 90, 90)).toEqual([[2, 0, 0], [0, 3, 0], [0, 0, 4]]);
    expect(cellFromParameters(1, 1, 1, 120, 120, 120)).toBeUndefined();
    expect(cellFromParameters(0, 1, 1, 90, 90, 90)).toBeUndefined();
  });

  it('inverts cells and gives the perpendicular heights V / |a_j × a_k|', () => {
    const cell: Mat3 = [[3, 0, 0], [2, 1, 0], [0.5, 0.3, 2]];
    const inv = invert3(cell)!;
    const f = vecMat(vecMat([0.3, -1.2, 2.5], cell), inv);
    [0.3, -1.2, 2.5].forEach((x, k) => expect(f[k]).toBeCloseTo(x, 14));
    expect(det3(cell)).toBeCloseTo(6, 14);
    const h = perpendicularHeights(cell);
    expect(h[2]).toBeCloseTo(2, 14);
    expect(h[0]).toBeCloseTo(6 / Math.hypot(2, -4, 0.1), 14); // a2 × a3 = (2, −4, 0.1)
    expect(invert3([[1, 0, 0], [2, 0, 0], [0, 0, 1]])).toBeUndefined();
  });
});
