/**
 * Message-passing primitives: gather node rows onto edges, and sum edge rows into nodes. Each is a tf.customGrad op
 * whose gradient is the other, so both differentiate on every backend (under a recording tape; inference calls the
 * kernels directly). tf.gather does not do for a trained model:
 * its gradient needs the UnsortedSegmentSum kernel, which the wasm backend lacks and the cpu backend runs as one
 * full pass over the input per segment.
 *
 * Kernels, chosen with bench/runtime-microbench.ts (300 and 10k rows; GatherV2 itself is 10–40× slower):
 * - gather: GatherNd, 10–30% faster than the runner-up on wasm; but on the pure-JS cpu backend GatherNd is ~50×
 *   slower than SparseSegmentSum with one segment per row, which gathers the same rows, so that is used there;
 * - scatter-add: ScatterNd, which accumulates duplicate indices on every backend (a one-hot matMul is 20–1000× slower).
 * Indices are int32 columns [M, 1], the shape both kernels take (so no reshape per call: at molecular sizes each
 * kernel call's fixed cost is what counts), built once per batch with `indexTensor`, which checks bounds: the wasm
 * kernels do not (GatherNd reads and ScatterNd writes outside their buffers).
 */
import { HamError } from '../contracts/errors.ts';
import * as tf from '../runtime/tf.ts';
import { recording } from './tape.ts';

/** Row indices as an int32 column [M, 1]. */
export type RowIndex = tf.Tensor2D;

/** A row index with every entry an integer in [0, bound), for `gatherRows` and `segmentSum`. */
export function indexTensor(values: ArrayLike<number>, bound: number): RowIndex {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isInteger(v) || v < 0 || v >= bound) {
      throw new HamError('E_INTERNAL', `index ${k} is ${v}, outside [0, ${bound})`);
    }
  }
  return tf.tensor2d(Int32Array.from(values), [values.length, 1], 'int32');
}

/** `out[k] = x[indices[k]]`: x [N, ...] and indices [M] give [M, ...]. Repeated indices are allowed. */
export function gatherRows<T extends tf.Tensor>(x: T, indices: RowIndex): T {
  checkOperands('gatherRows', x, indices);
  if (!recording()) return gatherKernel(x, indices) as T;
  const rows = x.shape[0];
  const op = tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([indices]);
    return {
      value: gatherKernel(input, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => segmentSum(dy, saved[0] as RowIndex, rows),
    };
  });
  return op(x) as T;
}

/**
 * `out[s] = Σ_{k: segmentIds[k] = s} x[k]`: x [N, ...] and segmentIds [N] give [numSegments, ...]. Ids need not be
 * sorted; segments no id names are zero.
 */
export function segmentSum<T extends tf.Tensor>(x: T, segmentIds: RowIndex, numSegments: number): T {
  checkOperands('segmentSum', x, segmentIds);
  if (segmentIds.shape[0] !== x.shape[0]) {
    throw new HamError('E_INTERNAL', `segmentSum: ${segmentIds.shape[0]} segment ids for ${x.shape[0]} rows`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new HamError('E_INTERNAL', `segmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  if (!recording()) return tf.scatterND(segmentIds, x, [numSegments, ...x.shape.slice(1)]) as T;
  const op = tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([segmentIds]);
    return {
      value: tf.scatterND(segmentIds, input, [numSegments, ...input.shape.slice(1)]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gatherRows(dy, saved[0] as RowIndex),
    };
  });
  return op(x) as T;
}

function gatherKernel(x: tf.Tensor, indices: RowIndex): tf.Tensor {
  if (tf.getBackend() === 'cpu') return tf.sparse.sparseSegmentSum(x, indices.reshape([-1]) as tf.Tensor1D, tf.range(0, indices.shape[0], 1, 'int32'));
  return tf.gatherND(x, indices);
}

function checkOperands(op: string, x: tf.Tensor, indices: tf.Tensor): void {
  if (x.rank < 1) throw new HamError('E_INTERNAL', `${op}: x must have rank ≥ 1, got a scalar`);
  if (indices.dtype !== 'int32' || indices.rank !== 2 || indices.shape[1] !== 1) {
    throw new HamError('E_INTERNAL', `${op}: indices must be an int32 column [M, 1], got ${indices.dtype} [${indices.shape}]`);
  }
}
