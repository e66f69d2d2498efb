/**
 * The backward pass releases what it has walked (patches/@tensorflow+tfjs-core+4.22.0.patch): once a tape node's
 * gradient is computed, its outputs' gradients and its saved activations are disposed instead of living until the
 * end. Stock tfjs keeps them all, which doubled the peak memory of a crystal training step (docs/shipped-models.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../core/runtime/tf.ts';
import { initBackend } from '../../../core/runtime/backend.ts';

const N = 10_000;
const DEPTH = 24;

beforeAll(async () => { await initBackend('wasm'); });

describe('gradient memory', () => {
  it('a deep chain: exact gradients, and by the last node walked only a few buffers are still alive', () => {
    const x0 = Float32Array.from({ length: N }, (_, i) => Math.sin(i) * 0.8);
    const x = tf.variable(tf.tensor1d(x0), true, 'gradient-memory-x');
    const buffers = () => tf.engine().backend.numDataIds();
    const before = tf.memory().numTensors;
    const idle = buffers();
    // An identity whose gradient records the live buffers: first on the tape, so it is walked last.
    let alive = -1;
    const probe = tf.customGrad(((a: tf.Tensor) => ({ value: a.clone(), gradFunc: (dy: tf.Tensor) => { alive = buffers() - idle; return dy.clone(); } })) as unknown as Parameters<typeof tf.customGrad>[0]);
    const { value, grads } = tf.variableGrads(() => {
      let y = probe(x);
      for (let k = 0; k < DEPTH; k++) y = tf.tanh(y);
      return tf.sum(y);
    }, [x]);
    const grad = grads[x.name].dataSync();
    value.dispose();
    grads[x.name].dispose();
    expect(tf.memory().numTensors).toBe(before);
    // d/dx of tanh∘…∘tanh: the product of 1 − tanh² along the chain (float64 here).
    for (const i of [0, 1, 7, 1000, N - 1]) {
      let y = x0[i];
      let d = 1;
      for (let k = 0; k < DEPTH; k++) { y = Math.tanh(y); d *= 1 - y * y; }
      expect(grad[i]).toBeCloseTo(d, 5);
    }
    // Stock tfjs still holds every saved tanh output and every gradient there (≥ 2·DEPTH buffers).
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThan(6);
    x.dispose();
  });
});
