/**
 * Whether a gradient tape is recording (inside tf.grad / variableGrads, outside a kernel). The custom-gradient
 * wrappers (matmul.ts, graph-ops.ts) and the kernel choices made for a fast backward pass matter only then;
 * inference takes the plain forward kernels and skips the wrappers' bookkeeping.
 */
import * as tf from '../runtime/tf.ts';

export const recording = (): boolean => tf.engine().isTapeOn();
