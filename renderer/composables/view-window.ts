/**
 * Zoom and pan of a square matrix view: the visible window is `size` entries wide starting at (x0, y0), in matrix
 * units, always inside the matrix and at least MIN_SIZE entries wide. Pure functions, so the heatmap's interaction is
 * tested without a browser.
 */
export interface ViewWindow {
  x0: number;
  y0: number;
  size: number;
}

const MIN_SIZE = 4;

export const fullView = (n: number): ViewWindow => ({ x0: 0, y0: 0, size: n });

function clamp(v: ViewWindow, n: number): ViewWindow {
  const size = Math.min(n, Math.max(Math.min(MIN_SIZE, n), v.size));
  const inside = (x: number) => Math.min(Math.max(x, 0), n - size);
  return { x0: inside(v.x0), y0: inside(v.y0), size };
}

/** Zoom by `factor` (< 1 zooms in) keeping the entry under the pointer (fractions fx, fy of the view) in place. */
export function zoomAt(v: ViewWindow, n: number, fx: number, fy: number, factor: number): ViewWindow {
  const size = v.size * factor;
  const px = v.x0 + fx * v.size;
  const py = v.y0 + fy * v.size;
  return clamp({ x0: px - fx * size, y0: py - fy * size, size }, n);
}

/** Move the view by a drag of (dfx, dfy) fractions of its width (dragging right shows what is left). */
export function panBy(v: ViewWindow, n: number, dfx: number, dfy: number): ViewWindow {
  return clamp({ x0: v.x0 - dfx * v.size, y0: v.y0 - dfy * v.size, size: v.size }, n);
}

/** The matrix cell under a point given as fractions (0…1) of the view, or undefined outside the matrix. */
export function cellInView(v: ViewWindow, n: number, fx: number, fy: number): { row: number; col: number } | undefined {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return undefined;
  const row = Math.floor(v.y0 + fy * v.size);
  const col = Math.floor(v.x0 + fx * v.size);
  return row < n && col < n ? { row, col } : undefined;
}
