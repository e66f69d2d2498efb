/**
 * Checks every dataset reader applies before handing out a sample (DESIGN.md §9: one clear message naming file and
 * key). Tolerances are relative to the largest |entry| of the matrix in question, so they mean the same in Eh and
 * eV and for H and S.
 */
import { HamError, type ErrorLocation } from '../contracts/errors.ts';
import { blockIndex, blockKey, type MatrixName, type SampleBlocks } from './sample.ts';

/** Relative tolerance for H = Hᵀ (molecules) and H_ji(−R) = H_ij(R)ᵀ (crystals). */
export const HERMITICITY_TOLERANCE = 1e-6;

/** Index of the first NaN / ±Inf in `data`, or −1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k])) return k;
  return -1;
}

export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]);
    if (a > m) m = a;
  }
  return m;
}

/** E_NUMERIC when `data` holds a NaN or infinity; `describe(k)` says where element k is, for the message. */
export function assertFinite(data: ArrayLike<number>, at: ErrorLocation, describe: (k: number) => string): void {
  const k = firstNonFinite(data);
  if (k >= 0) throw new HamError('E_NUMERIC', `${describe(k)} is ${data[k]}`, at);
}

/** E_FORMAT unless the n × n row-major matrix is symmetric within the relative tolerance. */
export function assertSymmetric(m: Float64Array, n: number, at: ErrorLocation, what: string): void {
  const tol = HERMITICITY_TOLERANCE * maxAbs(m);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = Math.abs(m[a * n + b] - m[b * n + a]);
      if (d > tol) {
        throw new HamError('E_FORMAT',
          `${what} is not symmetric: |M[${a},${b}] − M[${b},${a}]| = ${d.toExponential(2)} exceeds ${HERMITICITY_TOLERANCE} × max|M| = ${tol.toExponential(2)}`, at);
      }
    }
  }
}

/**
 * E_FORMAT unless every block has its partner (j, i, −R) and H_ji(−R) = H_ij(R)ᵀ within the relative tolerance.
 * `atomOrbitals[a]` is the number of orbitals of atom a; `keyOf(b)` gives the block's key as the file spells it.
 */
export function assertBlockHermiticity(
  blocks: SampleBlocks, which: MatrixName, atomOrbitals: ArrayLike<number>, file: string, keyOf: (b: number) => string,
): void {
  const m = which === 'H' ? blocks.H : blocks.S;
  if (!m) return;
  const tol = HERMITICITY_TOLERANCE * maxAbs(m);
  const index = blockIndex(blocks);
  const { i, j, R, offsets } = blocks;
  for (let b = 0; b < i.length; b++) {
    const p = index.get(blockKey(j[b], i[b], [-R[3 * b], -R[3 * b + 1], -R[3 * b + 2]]));
    if (p === undefined) {
      throw new HamError('E_FORMAT',
        'block has no partner (j, i, −R): both orders of every block must be stored',
        { file, key: keyOf(b) });
    }
    if (p < b) continue;
    const nr = atomOrbitals[i[b]];
    const nc = atomOrbitals[j[b]];
    let worst = 0;
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        worst = Math.max(worst, Math.abs(m[offsets[b] + r * nc + c] - m[offsets[p] + c * nr + r]));
      }
    }
    if (worst > tol) {
      throw new HamError('E_FORMAT',
        `${which}_ji(−R) ≠ ${which}_ij(R)ᵀ: max deviation ${worst.toExponential(2)} exceeds ${HERMITICITY_TOLERANCE} × max|${which}| = ${tol.toExponential(2)} (partner ${keyOf(p)})`,
        { file, key: keyOf(b) });
    }
  }
}
