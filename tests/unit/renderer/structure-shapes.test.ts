/** What the 3D view draws beside the atoms: the cell's 12 edges and one label per atom with its orbital count. */
import { describe, expect, it } from 'vitest';
import { atomLabels, cellEdges } from '../../../renderer/composables/structure-shapes.ts';

describe('structure shapes', () => {
  it('labels each atom with its name and orbital count, or its name alone when the basis does not cover it', () => {
    const positions: [number, number, number][] = [[0, 0, 0.1], [0, 0.76, -0.47], [0, -0.76, -0.47]];
    const water = { symbols: ['O', 'H', 'H'], positions, orbitals: { basis: 'def2-SVP', count: 24, perAtom: [14, 5, 5] } };
    expect(atomLabels(water)).toEqual([{ text: 'O1 · 14', position: positions[0] }, { text: 'H2 · 5', position: positions[1] }, { text: 'H3 · 5', position: positions[2] }]);
    expect(atomLabels({ ...water, orbitals: { basis: 'def2-SVP', count: null, reason: 'no basis for U' } }).map((l) => l.text)).toEqual(['O1', 'H2', 'H3']);
  });

  it('draws the 12 edges of a cell, each one lattice vector long', () => {
    const cell: [[number, number, number], [number, number, number], [number, number, number]] = [[7.38, 0, 0], [3.69, 6.3913, 0], [0, 0, 12]];
    const edges = cellEdges(cell);
    expect(edges).toHaveLength(12);
    const lengths = edges.map(([a, b]) => Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]).toFixed(3)).sort();
    expect(new Set(lengths)).toEqual(new Set(['12.000', '7.380']));
  });
});
