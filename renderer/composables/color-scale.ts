/**
 * Diverging colour scale for matrix heatmaps (H, S, errors): blue for negative, white at zero, red for positive,
 * symmetric about zero so that sign is readable at a glance; optionally symmetric-logarithmic (linear within
 * ±linthresh, logarithmic beyond, as matplotlib's SymLogNorm) because Hamiltonian entries span five decades.
 */
export interface ColorScaleOptions {
  /** |value| mapped to full colour. */
  max: number;
  /** Symmetric-log threshold; undefined for a linear scale. */
  linthresh?: number;
}

/** Position in [−1, 1] of a value on the scale (clamped). */
export function scalePosition(value: number, { max, linthresh }: ColorScaleOptions): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  const s = Math.sign(value);
  const a = Math.min(Math.abs(value), max);
  if (linthresh === undefined || linthresh >= max) return (s * a) / max;
  const f = (x: number) => (x <= linthresh ? x / linthresh : 1 + Math.log10(x / linthresh));
  return (s * f(a)) / f(max);
}

/** RGB (0–255) for a position in [−1, 1]: white at 0, (33, 102, 172) at −1, (178, 24, 43) at +1 (ColorBrewer RdBu). */
export function divergingColor(t: number): [number, number, number] {
  const end = t < 0 ? [33, 102, 172] : [178, 24, 43];
  const u = Math.min(Math.abs(t), 1);
  return [0, 1, 2].map((k) => Math.round(255 + (end[k] - 255) * u)) as [number, number, number];
}
