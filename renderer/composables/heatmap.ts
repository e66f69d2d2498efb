/**
 * Pixels of a matrix heatmap: one RGBA pixel per entry (row-major, row i at the top), coloured on the diverging
 * scale of color-scale.ts, linear or symmetric-log. The component scales the image up without smoothing.
 */
import { divergingColor, scalePosition, type ColorScaleOptions } from './color-scale.ts';

/** Symmetric-log threshold relative to the largest |entry|: three decades stay linear, the rest logarithmic. */
export const SYMLOG_RELATIVE_THRESHOLD = 1e-3;

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) m = Math.max(m, Math.abs(values[k]));
  return m;
}

export function heatmapScale(values: ArrayLike<number>, symlog: boolean): ColorScaleOptions {
  const max = maxAbs(values);
  return symlog ? { max, linthresh: max * SYMLOG_RELATIVE_THRESHOLD } : { max };
}

export function heatmapPixels(values: ArrayLike<number>, n: number, scale: ColorScaleOptions): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(new ArrayBuffer(4 * n * n));
  for (let k = 0; k < n * n; k++) {
    const [r, g, b] = divergingColor(scalePosition(values[k], scale));
    rgba.set([r, g, b, 255], 4 * k);
  }
  return rgba;
}
