/**
 * Matrix product with a backward pass that never asks the backend for a transposed product. tfjs' gradient of
 * matMul uses matMul(dy, b, false, true) and matMul(a, dy, true, false); the wasm backend runs those ~10× slower
 * than a plain product of explicitly transposed operands (measured on [288, 768] × [768, 256]: 83 ms and 60 ms
 * against 9 ms and 8 ms), and they dominated training time. Works for rank 2 and for batched rank 3. Without a
 * recording tape (inference) it is tf.matMul itself.
 */
import * as tf from '../runtime/tf.ts';
import { recording } from './tape.ts';

const swapLast = (t: tf.Tensor) => (t.rank === 2 ? t.transpose() : t.transpose([0, 2, 1]));

const op = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy as tf.Tensor2D, swapLast(saved[1]) as tf.Tensor2D), tf.matMul(swapLast(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

/** a @ b (rank 2 × rank 2, or batched rank 3 × rank 3 with equal batch sizes). */
export function matMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D;
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D;
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return !recording() ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) : op(a, b);
}
