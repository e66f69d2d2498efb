/**
 * Band energies on a list of k-points: the eigenvalues of H(k) C = S(k) C E from the Bloch sums of H(R), S(R)
 * (DESIGN.md §4), in the source's energy unit.
 */
import { HamError } from '../contracts/errors.ts';
import { atomOrbitalOffsets } from '../datasets/sample.ts';
import { blochMatrix, type BlochSource } from './bloch.ts';
import { generalizedHermitianEigen } from './hermitian-eigen.ts';

/** Eigenvalues on k-points, row-major nK × nBands, ascending per k-point (KpointReference has this shape too). */
export interface KEigenvalues {
  eigenvalues: Float64Array;
  nBands: number;
}

export interface BandStructure extends KEigenvalues {
  /** The k-points, row-major nK × 3, fractional in the reciprocal basis. */
  frac: Float64Array;
  /** Overlap eigenvalues dropped as linearly dependent at each k-point. */
  dropped: Int32Array;
}

/**
 * Largest cell whose bands are computed densely: two complex n × n matrices per k-point take 32 n² bytes (0.5 GB at
 * 4000) and the solver O(n³) time (measured n = 2000: 194 s a k-point). Larger cells get a window of bands from the
 * sparse shift-invert solver (sparse-bands.ts).
 */
export const DENSE_BANDS_LIMIT = 4000;

export function kpointCount(e: KEigenvalues): number {
  return e.nBands === 0 ? 0 : e.eigenvalues.length / e.nBands;
}

/**
 * Bands at the k-points `frac` (nK × 3). Where near-dependent overlap directions are dropped the problem has fewer
 * eigenvalues; by Cauchy interlacing the lowest ones remain upper bounds of the full problem's, so every k-point
 * keeps the lowest min_k(n − dropped_k) bands.
 */
export function bandStructure(source: BlochSource, frac: Float64Array, threshold?: number): BandStructure {
  if (!source.blocks.S) throw new HamError('E_INPUT', 'bands need the overlap S(R) as well as H(R)');
  const n = atomOrbitalOffsets(source.atomShells).at(-1)!;
  if (n > DENSE_BANDS_LIMIT) {
    throw new HamError('E_INPUT', `bands of a cell with ${n} orbitals: dense diagonalisation is limited to ${DENSE_BANDS_LIMIT} orbitals; larger cells get a window of bands around an energy from the sparse solver (hamstudio bands --window N --center E)`);
  }
  const nK = frac.length / 3;
  if (!(nK >= 1) || !Number.isInteger(nK)) throw new HamError('E_INPUT', 'bands need at least one k-point (3 fractional coordinates each)');
  const perK: Float64Array[] = [];
  const dropped = new Int32Array(nK);
  for (let q = 0; q < nK; q++) {
    const k = frac.subarray(3 * q, 3 * q + 3);
    const r = generalizedHermitianEigen(blochMatrix(source, 'H', k), blochMatrix(source, 'S', k), { threshold });
    perK.push(r.values);
    dropped[q] = r.dropped;
  }
  const nBands = Math.min(...perK.map((v) => v.length));
  const eigenvalues = new Float64Array(nK * nBands);
  perK.forEach((v, q) => eigenvalues.set(v.subarray(0, nBands), q * nBands));
  return { frac, eigenvalues, nBands, dropped };
}
