import { describe, expect, it } from 'vitest';
import { neighborList } from '../../../core/structure/neighbors.ts';
import type { Structure } from '../../../core/structure/structure.ts';
import { supercell } from '../../../core/structure/supercell.ts';

const a = 2.46;
const graphene: Structure = {
  numbers: [6, 6], positions: [[0, 0, 6], [a / 2, a / (2 * Math.sqrt(3)), 6]],
  cell: [[a, 0, 0], [a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 12]], pbc: [true, true, true],
};

describe('supercell', () => {
  it('repeats atoms and cell; every atom keeps three nearest neighbours at 1.42 Å', () => {
    const s = supercell(graphene, [4, 3, 1]);
    expect(s.numbers).toHaveLength(24);
    expect(s.cell![0][0]).toBeCloseTo(4 * a, 12);
    expect(s.cell![1][1]).toBeCloseTo(3 * (a * Math.sqrt(3)) / 2, 12);
    const nl = neighborList(s, 1.5);
    expect(nl.i.length).toBe(3 * 24);
    for (const d of nl.dist) expect(d).toBeCloseTo(a / Math.sqrt(3), 12);
  });

  it('refuses a molecule and bad repetitions', () => {
    expect(() => supercell({ numbers: [1], positions: [[0, 0, 0]] }, [2, 2, 2])).toThrow(/needs a cell/);
    expect(() => supercell(graphene, [0, 1, 1])).toThrow(/positive integers/);
  });
});
