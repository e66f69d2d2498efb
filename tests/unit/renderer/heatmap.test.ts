/** Heatmap pixels, hover cells and cell edges: the pure parts of the matrix and structure views. */
import { describe, expect, it } from 'vitest';
import { cellAt, heatmapPixels, heatmapScale } from '../../../renderer/composables/heatmap.ts';
import { cellEdges } from '../../../renderer/composables/structure-shapes.ts';

describe('heatmap', () => {
  it('colours each entry on the symmetric scale, row-major', () => {
    const m = [1, 0, 0, -1];
    const px = heatmapPixels(m, 2, heatmapScale(m, false));
    expect([...px.subarray(0, 4)]).toEqual([178, 24, 43, 255]);
    expect([...px.subarray(4, 8)]).toEqual([255, 255, 255, 255]);
    expect([...px.subarray(12, 16)]).toEqual([33, 102, 172, 255]);
  });

  it('symmetric-log keeps small entries visible', () => {
    // Green channel of the second entry (0.01 of the largest): nearly white on a linear scale, clearly red on symlog.
    const m = [1, 1e-2, 1e-2, 1];
    const green = (symlog: boolean) => heatmapPixels(m, 2, heatmapScale(m, symlog))[5];
    expect(green(false)).toBeGreaterThan(250);
    expect(green(true)).toBeLessThan(150);
  });

  it('maps a hover position to its matrix cell', () => {
    expect(cellAt(0, 0, 24)).toEqual({ row: 0, col: 0 });
    expect(cellAt(0.99, 0.5, 24)).toEqual({ row: 12, col: 23 });
    expect(cellAt(1, 0.5, 24)).toBeUndefined();
    expect(cellAt(-0.1, 0.5, 24)).toBeUndefined();
  });
});

describe('cell edges', () => {
  it('are the 12 edges of the parallelepiped', () => {
    const edges = cellEdges([[2, 0, 0], [0, 3, 0], [0, 0, 4]]);
    expect(edges).toHaveLength(12);
    const lengths = edges.map(([a, b]) => Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2])).sort();
    expect(lengths).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
  });
});
