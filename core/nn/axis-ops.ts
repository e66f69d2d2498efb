/**
 * Concatenating and splitting along an inner axis, the way the wasm backend does them fast. Its Concat and Slice
 * kernels work in JavaScript, row by row, and Slice first copies its whole input out of the heap (readSync), so
 * splitting [E, 25, C] features by degree costs 5 copies of the whole tensor; its Transpose and GatherNd are native.
 * So: move the axis to the front, gather contiguous row ranges or concatenate along axis 0 (one contiguous copy per
 * piece), and move it back. bench/runtime-microbench.ts, split by l: 32 → 11 ms on [576, 25, 96], 198 → 41 ms on
 * [8192, 25, 32]; concatenation alone is on par with tf.concat, but in the model (channel concatenations, and the
 * backward pass, where each is the other's gradient) ethanol training went from 2.31 to 2.53 molecules/s.
 * The results are exact copies, identical to tf.concat / tf.split.
 */
import * as tf from '../runtime/tf.ts';
import { gatherRows, type RowIndex } from './graph-ops.ts';

/**
 * The index columns of the position lists, made once and kept: the lists are fixed by the architecture (a few dozen
 * distinct ones), and uploading them on every call cost as much as the gathers at molecular sizes.
 */
const listIndex = new Map<string, RowIndex>();
function positions(list: readonly number[]): RowIndex {
  const key = list.join(',');
  let t = listIndex.get(key);
  if (!t) {
    t = tf.keep(tf.tensor2d(list as number[], [list.length, 1], 'int32'));
    listIndex.set(key, t);
  }
  return t;
}

/** The permutation bringing `axis` to the front, and its inverse. */
function frontPermutation(rank: number, axis: number): { perm: number[]; inverse: number[] } {
  const perm = [axis, ...Array.from({ length: rank }, (_, k) => k).filter((k) => k !== axis)];
  const inverse = new Array<number>(rank);
  perm.forEach((p, k) => { inverse[p] = k; });
  return { perm, inverse };
}

export function concatAlong<T extends tf.Tensor>(xs: readonly T[], axis: number): T {
  if (axis === 0 || xs.length === 1) return tf.concat(xs as T[], axis);
  const { perm, inverse } = frontPermutation(xs[0].rank, axis);
  return tf.concat(xs.map((x) => x.transpose(perm)), 0).transpose(inverse) as T;
}

export function splitAlong<T extends tf.Tensor>(x: T, sizes: readonly number[], axis: number): T[] {
  let start = 0;
  return regroupAlong([x], sizes.map((n) => {
    start += n;
    return Array.from({ length: n }, (_, k) => start - n + k);
  }), axis);
}

/**
 * The entries of the concatenation of xs along `axis` at each index list's positions, in that order: a
 * concatenation, permutation and split in one pass, the axis moved to the front and back once.
 */
export function regroupAlong<T extends tf.Tensor>(xs: readonly T[], indexLists: readonly (readonly number[])[], axis: number): T[] {
  const { perm, inverse } = frontPermutation(xs[0].rank, axis);
  const front = axis === 0 ? tf.concat(xs as T[], 0) : tf.concat(xs.map((x) => x.transpose(perm)), 0);
  return indexLists.map((list) => {
    const piece = gatherRows(front, positions(list));
    return (axis === 0 ? piece : piece.transpose(inverse)) as T;
  });
}
