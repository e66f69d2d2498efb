/** Heatmap pixels, hover cells and cell edges: the pure parts of the matrix and structure views. */
import { describe, expect, it } from 'vitest';
import { heatmapPixels, heatmapScale } from '../../../renderer/composables/heatmap.ts';
import { cellInView, fullView, panBy, zoomAt } from '../../../renderer/composables/view-window.ts';
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

  it('maps a hover position to its matrix cell, in the whole view and zoomed in', () => {
    const all = fullView(24);
    expect(cellInView(all, 24, 0, 0)).toEqual({ row: 0, col: 0 });
    expect(cellInView(all, 24, 0.99, 0.5)).toEqual({ row: 12, col: 23 });
    expect(cellInView(all, 24, 1, 0.5)).toBeUndefined();
    expect(cellInView(all, 24, -0.1, 0.5)).toBeUndefined();
    const zoomed = { x0: 10, y0: 4, size: 6 };
    expect(cellInView(zoomed, 24, 0.5, 0.5)).toEqual({ row: 7, col: 13 });
  });

  it('zooms about the pointer, pans, and stays inside the matrix', () => {
    const z = zoomAt(fullView(100), 100, 0.25, 0.75, 0.5);
    expect(z.size).toBe(50);
    // The entry under the pointer (25, 75) stays under it.
    expect(z.x0 + 0.25 * z.size).toBeCloseTo(25, 12);
    expect(z.y0 + 0.75 * z.size).toBeCloseTo(75, 12);
    expect(zoomAt(z, 100, 0.5, 0.5, 10)).toEqual(fullView(100));
    let tiny = fullView(100);
    for (let k = 0; k < 40; k++) tiny = zoomAt(tiny, 100, 0.5, 0.5, 0.5);
    expect(tiny.size).toBe(4);
    const p = panBy(z, 100, 0.5, 0);
    expect(p.x0).toBeCloseTo(0, 12); // 12.5 − 25, clamped to the left edge
    expect(panBy(z, 100, -2, -2)).toEqual({ x0: 50, y0: 50, size: 50 });
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
