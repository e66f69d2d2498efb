/**
 * The Fermi level from the electron count (DESIGN.md §4): μ such that g_s Σ_k w_k Σ_n f((ε_nk − μ)/W) = N_e with
 * Fermi–Dirac occupations f(x) = 1/(1 + eˣ) of width W (GPAW's FermiDirac(width), 0.02 eV for the graphene
 * set), spin degeneracy g_s = 2 for spin-unpolarised bands and equal k-weights unless given. The count is monotone
 * in μ, so bisection converges unconditionally.
 */
import { HamError } from '../contracts/errors.ts';
import { kpointCount, type KEigenvalues } from './bands.ts';

/** Smearing assumed for reference Fermi levels when counting electrons (GPAW's FermiDirac(0.02) of our data). */
export const REFERENCE_SMEARING_EV = 0.02;

export interface FermiOptions {
  /** Fermi–Dirac width W, in the unit of the eigenvalues (> 0). */
  width: number;
  /** Per-k-point weights summing to 1; default uniform. */
  weights?: Float64Array;
  /** Electrons per band and k-point when full; default 2. */
  spinDegeneracy?: number;
}

export function uniformWeights(nK: number): Float64Array {
  return new Float64Array(nK).fill(1 / nK);
}

/** Electrons held by the bands at chemical potential μ. */
export function electronCount(bands: KEigenvalues, mu: number, opts: FermiOptions): number {
  const nK = kpointCount(bands);
  const w = opts.weights ?? uniformWeights(nK);
  let total = 0;
  for (let q = 0; q < nK; q++) {
    let occupied = 0;
    for (let b = 0; b < bands.nBands; b++) occupied += 1 / (1 + Math.exp((bands.eigenvalues[q * bands.nBands + b] - mu) / opts.width));
    total += w[q] * occupied;
  }
  return (opts.spinDegeneracy ?? 2) * total;
}

export function fermiLevel(bands: KEigenvalues, nElectrons: number, opts: FermiOptions): number {
  const capacity = (opts.spinDegeneracy ?? 2) * bands.nBands;
  if (!(opts.width > 0)) throw new HamError('E_INPUT', `the Fermi–Dirac width must be positive (got ${opts.width})`);
  if (!(nElectrons > 0 && nElectrons < capacity)) {
    throw new HamError('E_INPUT', `${nElectrons} electrons do not fit between empty and full ${bands.nBands} bands (0 < N < ${capacity})`);
  }
  if (opts.weights && opts.weights.length !== kpointCount(bands)) throw new HamError('E_INPUT', `${opts.weights.length} k-weights for ${kpointCount(bands)} k-points`);
  let lo = bands.eigenvalues.reduce((a, e) => Math.min(a, e), Infinity) - 40 * opts.width;
  let hi = bands.eigenvalues.reduce((a, e) => Math.max(a, e), -Infinity) + 40 * opts.width;
  // Stop when the bracket no longer shrinks (float64 resolution of μ).
  for (let mid = (lo + hi) / 2; mid > lo && mid < hi; mid = (lo + hi) / 2) {
    if (electronCount(bands, mid, opts) < nElectrons) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Valence electrons per element implied by reference data: for each structure with k-mesh eigenvalues and a Fermi
 * level, N = electronCount(ε, E_F) (a DFT code's own smearing width), then integer counts per element that
 * reproduce every structure's N (least squares on the composition, rounded, and checked). Undefined when the data
 * give no references or no consistent integer solution; models store the result so `bands` can place E_F alone.
 */
export function inferValenceElectrons(
  structures: readonly { numbers: readonly number[]; bands: KEigenvalues; fermiLevel: number; width: number }[],
): Record<string, number> | undefined {
  if (structures.length === 0) return undefined;
  const elements = [...new Set(structures.flatMap((s) => s.numbers))].sort((a, b) => a - b);
  const rows = structures.map((s) => elements.map((z) => s.numbers.filter((x) => x === z).length));
  const counts = structures.map((s) => electronCount(s.bands, s.fermiLevel, { width: s.width }));
  // Normal equations of the composition (one unknown per element; a handful of elements at most).
  const n = elements.length;
  const A = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => rows.reduce((sum, r) => sum + r[a] * r[b], 0)));
  const y = Array.from({ length: n }, (_, a) => rows.reduce((sum, r, k) => sum + r[a] * counts[k], 0));
  for (let c = 0; c < n; c++) {
    const p = A[c][c];
    if (Math.abs(p) < 1e-12) return undefined; // compositions do not determine the counts separately
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / p;
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      y[r] -= f * y[c];
    }
  }
  const perElement = y.map((v, c) => Math.round(v / A[c][c]));
  const consistent = rows.every((r, k) => Math.abs(r.reduce((s, m, c) => s + m * perElement[c], 0) - counts[k]) < 0.05);
  return consistent ? Object.fromEntries(elements.map((z, c) => [String(z), perElement[c]])) : undefined;
}
