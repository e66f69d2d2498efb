import * as tf from '../../../core/runtime/tf.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { concatAlong, regroupAlong, splitAlong } from '../../../core/nn/axis-ops.ts';

beforeAll(async () => { await tf.setBackend('cpu'); });

const close = (a: tf.Tensor, b: tf.Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));

describe('concatAlong / splitAlong', () => {
  const x = tf.randomNormal([4, 9, 3], 0, 1, 'float32', 1);
  const sizes = [1, 3, 5];

  it.each([0, 1, 2])('equal tf.concat and tf.split exactly along axis %i', (axis) => {
    const s = axis === 1 ? sizes : axis === 0 ? [1, 3] : [2, 1];
    const mine = splitAlong(x, s, axis);
    const ref = tf.split(x, s, axis);
    mine.forEach((p, k) => { expect(p.shape).toEqual(ref[k].shape); close(p, ref[k]); });
    close(concatAlong(mine, axis), x);
  });

  it('regroup: concatenate, then pick positions in any order', () => {
    const [a, b] = tf.split(x, [4, 5], 1);
    const lists = [[8, 0], [3, 4, 5], [1]];
    const ref = tf.concat([a, b], 1);
    regroupAlong([a, b], lists, 1).forEach((p, k) => close(p, tf.gather(ref, lists[k], 1)));
  });

  it('have the gradients of tf.concat and tf.split', () => {
    const w = tf.randomNormal([4, 9, 6], 0, 1, 'float32', 2);
    const f = (op: 'mine' | 'tf') => tf.grad((a: tf.Tensor) => {
      const parts = op === 'mine' ? splitAlong(a, sizes, 1) : tf.split(a, sizes, 1);
      const doubled = parts.map((p) => (op === 'mine' ? concatAlong([p, p.mul(2)], 2) : tf.concat([p, p.mul(2)], 2)));
      return (op === 'mine' ? concatAlong(doubled, 1) : tf.concat(doubled, 1)).mul(w).sum();
    })(x);
    close(f('mine'), f('tf'));
  });
});
