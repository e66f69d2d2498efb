import { beforeAll, describe, expect, it } from 'vitest';
import { isHamError } from '../../../core/contracts/errors.ts';
import { gatherRows, indexTensor, segmentSum } from '../../../core/nn/graph-ops.ts';
import { initBackend } from '../../../core/runtime/backend.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import * as tf from '../../../core/runtime/tf.ts';

/** Row-major values and shape of a plain JS array of rows, each row a flat list of the trailing dimensions. */
interface Rows {
  shape: number[];
  data: number[];
}

function randomRows(rng: Rng, shape: number[]): Rows {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, () => rng.normal()) };
}

function rowSize(r: Rows): number {
  return r.shape.slice(1).reduce((a, b) => a * b, 1);
}

function gatherReference(x: Rows, idx: number[]): Rows {
  const w = rowSize(x);
  return { shape: [idx.length, ...x.shape.slice(1)], data: idx.flatMap((i) => x.data.slice(i * w, (i + 1) * w)) };
}

function segmentSumReference(x: Rows, ids: number[], numSegments: number): Rows {
  const w = rowSize(x);
  const out = new Array<number>(numSegments * w).fill(0);
  ids.forEach((s, k) => {
    for (let c = 0; c < w; c++) out[s * w + c] += x.data[k * w + c];
  });
  return { shape: [numSegments, ...x.shape.slice(1)], data: out };
}

function expectClose(actual: tf.Tensor, expected: Rows, tol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
}

/**
 * Central differences of a scalar loss in float32. With h = 1e-2 the truncation error of these smooth losses is
 * O(h²) ≈ 1e-4 relative and the rounding error ε·|L|/h ≈ 1e-4 for |L| ~ 10, hence the 2e-3 tolerance in the checks.
 */
function finiteDifferenceGradient(loss: (x: tf.Tensor) => tf.Tensor, x: Rows, h = 1e-2): number[] {
  return x.data.map((_, i) => {
    const at = (delta: number) =>
      tf.tidy(() => {
        const shifted = x.data.slice();
        shifted[i] += delta;
        return loss(tf.tensor(shifted, x.shape)).dataSync()[0];
      });
    return (at(h) - at(-h)) / (2 * h);
  });
}

function expectGradientClose(analytic: tf.Tensor, numeric: number[]): void {
  const got = analytic.dataSync();
  const scale = Math.max(1, ...numeric.map(Math.abs));
  numeric.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(2e-3 * scale));
}

for (const backend of ['wasm', 'cpu']) {
  describe(`graph ops on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it('runs on the requested backend', () => {
      expect(tf.getBackend()).toBe(backend);
    });

    it('gatherRows equals the JS reference for rank 2 and 3, with repeated indices', () => {
      const rng = new Rng(1);
      for (const shape of [[5, 3], [4, 2, 3]]) {
        const x = randomRows(rng, shape);
        const idx = [3, 0, 3, 1, 3, 2];
        tf.tidy(() => expectClose(gatherRows(tf.tensor(x.data, x.shape), indexTensor(idx, shape[0])), gatherReference(x, idx)));
      }
    });

    it('segmentSum equals the JS reference, accumulates duplicates and leaves empty segments zero', () => {
      const rng = new Rng(2);
      for (const shape of [[6, 3], [6, 2, 2]]) {
        const x = randomRows(rng, shape);
        const ids = [4, 1, 4, 4, 0, 1]; // segments 2, 3 and 5 are empty
        tf.tidy(() => {
          const out = segmentSum(tf.tensor(x.data, x.shape), indexTensor(ids, 6), 6);
          expectClose(out, segmentSumReference(x, ids, 6));
          expect(Array.from(out.slice([2], [2]).dataSync()).every((v) => v === 0)).toBe(true);
          expect(Array.from(out.slice([5], [1]).dataSync()).every((v) => v === 0)).toBe(true);
        });
      }
    });

    it('handles no rows at all', () => {
      tf.tidy(() => {
        const none = indexTensor([], 3);
        expect(gatherRows(tf.ones([3, 2]), none).shape).toEqual([0, 2]);
        const empty = segmentSum(tf.zeros([0, 2]), none, 3);
        expect(Array.from(empty.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      });
    });

    it('gatherRows gradient matches central differences', () => {
      const rng = new Rng(3);
      const x = randomRows(rng, [4, 2, 3]);
      const idx = [2, 0, 2, 3, 2, 0, 1];
      const weights = randomRows(rng, [idx.length, 2, 3]);
      tf.tidy(() => {
        const w = tf.tensor(weights.data, weights.shape);
        const indices = indexTensor(idx, 4);
        const loss = (t: tf.Tensor) => tf.sum(tf.mul(w, tf.tanh(gatherRows(t, indices))));
        expectGradientClose(tf.grad(loss)(tf.tensor(x.data, x.shape)), finiteDifferenceGradient(loss, x));
      });
    });

    it('segmentSum gradient matches central differences', () => {
      const rng = new Rng(4);
      const x = randomRows(rng, [7, 3]);
      const ids = [1, 1, 3, 0, 1, 3, 3];
      const weights = randomRows(rng, [5, 3]);
      tf.tidy(() => {
        const w = tf.tensor(weights.data, weights.shape);
        const segments = indexTensor(ids, 5);
        const loss = (t: tf.Tensor) => tf.sum(tf.mul(w, tf.square(segmentSum(t, segments, 5))));
        expectGradientClose(tf.grad(loss)(tf.tensor(x.data, x.shape)), finiteDifferenceGradient(loss, x));
      });
    });

    it('a message-passing step differentiates in every input (tf.grads), without leaking tensors', () => {
      const rng = new Rng(5);
      const nodes = randomRows(rng, [4, 3]);
      const src = [0, 1, 2, 3, 0, 2];
      const dst = [1, 0, 3, 2, 2, 0];
      const edgeWeights = randomRows(rng, [src.length, 3]);
      const srcT = indexTensor(src, 4);
      const dstT = indexTensor(dst, 4);
      const step = (x: tf.Tensor, e: tf.Tensor) =>
        tf.sum(tf.sin(tf.add(x, segmentSum(tf.mul(gatherRows(x, srcT), e), dstT, 4))));
      const x = tf.tensor(nodes.data, nodes.shape);
      const e = tf.tensor(edgeWeights.data, edgeWeights.shape);
      const before = tf.memory().numTensors;
      const [gx, ge] = tf.grads(step)([x, e]);
      expect(tf.memory().numTensors).toBe(before + 2);
      expectGradientClose(gx, finiteDifferenceGradient((t) => step(t, e), nodes));
      expectGradientClose(ge, finiteDifferenceGradient((t) => step(x, t), edgeWeights));
      tf.dispose([gx, ge, x, e, srcT, dstT]);
    });

    it('tf.variableGrads reaches a variable through both ops', () => {
      tf.tidy(() => {
        const v = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
        const idx = indexTensor([2, 2, 0], 3);
        const { value, grads } = tf.variableGrads(() => tf.sum(segmentSum(gatherRows(v, idx), indexTensor([0, 1, 1], 2), 2)));
        expect(value.dataSync()[0]).toBe(5 + 6 + 5 + 6 + 1 + 2);
        expect(Array.from(grads[v.name].dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
        v.dispose();
      });
    });
  });
}

describe('index validation', () => {
  it('indexTensor rejects indices outside [0, bound) and non-integers', () => {
    for (const bad of [[0, 3], [-1], [0.5]]) {
      let caught: unknown;
      try {
        indexTensor(bad, 3);
      } catch (e) {
        caught = e;
      }
      expect(isHamError(caught) && caught.code).toBe('E_INTERNAL');
    }
  });

  it('the ops reject non-int32 or non-column indices and mismatched segment ids', () => {
    tf.tidy(() => {
      const x = tf.ones([3, 2]);
      expect(() => gatherRows(x, tf.tensor2d([[0], [1]]))).toThrow(/int32/);
      expect(() => segmentSum(x, tf.tensor1d([0, 1, 2], 'int32') as unknown as tf.Tensor2D, 3)).toThrow(/column/);
      expect(() => segmentSum(x, indexTensor([0, 1], 3), 3)).toThrow(/2 segment ids for 3 rows/);
    });
  });
});
