/**
 * Which stored blocks of a sample the model predicts directly, and as which block type. On-site blocks map to their
 * element's type. Off-site blocks are predicted in one direction — from the lighter element to the heavier, and for
 * equal elements from the lower atom index (for an atom and its own image, the lexicographically positive R) —
 * the other direction is the transpose, exact by construction (H_ji(−R) = H_ij(R)ᵀ).
 */
import { isOnsite, type HamiltonianSample } from '../datasets/sample.ts';
import { offsiteKey, onsiteKey } from './block-types.ts';

export interface CanonicalBlock {
  /** Index of the block in sample.blocks. */
  block: number;
  typeKey: string;
}

function positiveR(R: ArrayLike<number>, off: number): boolean {
  for (let k = 0; k < 3; k++) if (R[off + k] !== 0) return R[off + k] > 0;
  return false;
}

/** Is the directed pair (i → j, R) the canonical direction for its type? */
export function isCanonicalPair(zi: number, zj: number, i: number, j: number, R: ArrayLike<number>, off = 0): boolean {
  if (zi !== zj) return zi < zj;
  if (i !== j) return i < j;
  return positiveR(R, off);
}

export function canonicalBlocks(sample: HamiltonianSample): CanonicalBlock[] {
  const { blocks, structure } = sample;
  const z = structure.numbers;
  const out: CanonicalBlock[] = [];
  for (let b = 0; b < blocks.i.length; b++) {
    const i = blocks.i[b];
    const j = blocks.j[b];
    if (isOnsite(blocks, b)) out.push({ block: b, typeKey: onsiteKey(z[i]) });
    else if (isCanonicalPair(z[i], z[j], i, j, blocks.R, 3 * b)) out.push({ block: b, typeKey: offsiteKey(z[i], z[j]) });
  }
  return out;
}
