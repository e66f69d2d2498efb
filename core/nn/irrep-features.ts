/**
 * Equivariant features as one tensor per angular momentum: f[l] has shape [rows, 2l+1, channels], rows being atoms
 * or edges, the middle axis the real-SH components m = −l…l (wiki order), the same channel count for every l.
 * Keeping l apart avoids slicing and concatenating on every layer, and lets every per-l linear map be one matmul.
 */
import * as tf from '../runtime/tf.ts';
import { matMul } from './matmul.ts';

export type IrrepFeatures = tf.Tensor3D[];

/** x [rows, M, c] @ W [c, k] → [rows, M, k]. tfjs' rank-3 × rank-2 matMul has a broken gradient, so reshape. */
export function channelMix(x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [rows, m, c] = x.shape;
  return matMul(x.reshape([rows * m, c]), w).reshape([rows, m, w.shape[1]]);
}

/**
 * Channel-wise concatenation of per-l features: along the last axis, wasm's Concat copies one contiguous run of
 * channels per row, so no regrouping is needed.
 */
export function concatChannels(...fs: IrrepFeatures[]): IrrepFeatures {
  return fs[0].map((_, l) => tf.concat(fs.map((f) => f[l]), 2));
}

export function silu(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.sigmoid(x));
}
