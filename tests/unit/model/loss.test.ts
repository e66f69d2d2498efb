import { describe, expect, it } from 'vitest';
import * as tf from '../../../core/runtime/tf.ts';
import { trainingLoss } from '../../../core/model/loss.ts';
import type { GraphBatch } from '../../../core/model/graph-batch.ts';
import type { GroupPrediction } from '../../../core/model/hamiltonian-net.ts';

// Two groups of weighted coefficients, the second on-site; only the fields the loss reads are filled in.
const target = [Float32Array.of(1, -2, 0.5, 3), Float32Array.of(0, 1)];
const pred = [[1.5, -2.2, 0.25, 2], [0.1, 0.7]];
const weight = [Float32Array.of(2, 0.5), Float32Array.of(1)];
const batch = { groups: target.map((coef, k) => ({ coef, weight: weight[k], trace: Float32Array.of(4, 9), type: { onsite: k === 1 } })) } as unknown as GraphBatch;
const prediction = (): GroupPrediction[] => [
  { coef: tf.tensor2d(pred[0], [2, 2]), trace: tf.tensor2d([4.5, 8], [1, 2]) },
  { coef: tf.tensor2d(pred[1], [2, 1]), trace: tf.tensor2d([3, 9], [1, 2]) },
];
// The same sums written out: errors e, weights repeat per column.
const e = [0.5, -0.2, -0.25, -1, 0.1, -0.3];
const w = [2, 0.5, 2, 0.5, 1, 1];
const mse = e.reduce((a, x, k) => a + w[k] * x * x, 0) / 6;
const mae = e.reduce((a, x, k) => a + w[k] * Math.abs(x), 0) / 6;
const traceMse = (0.25 + 1 + 1 + 0) / 4;

describe('training loss', () => {
  it('mse: weighted mean square of the coefficient errors, plus the balanced trace term', () => {
    const l = trainingLoss(batch, prediction(), 0.1);
    expect(l.hamiltonian.dataSync()[0]).toBeCloseTo(mse, 6);
    expect(l.trace!.dataSync()[0]).toBeCloseTo(traceMse, 6);
    expect(l.total.dataSync()[0]).toBeCloseTo(1.1 * mse, 6);
  });

  it('onsiteWeight multiplies the weights of on-site groups only', () => {
    const l = trainingLoss(batch, prediction(), 0, 'mse', 3);
    const weighted = e.reduce((a, x, k) => a + (k >= 4 ? 3 : 1) * w[k] * x * x, 0) / 6;
    expect(l.hamiltonian.dataSync()[0]).toBeCloseTo(weighted, 6);
  });

  it('rmse+mae: RMSE plus weighted MAE, and its gradient is the sum of theirs', () => {
    const l = trainingLoss(batch, prediction(), 0, 'rmse+mae');
    expect(l.hamiltonian.dataSync()[0]).toBeCloseTo(Math.sqrt(mse) + mae, 6);
    const p0 = tf.variable(tf.tensor2d(pred[0], [2, 2]));
    const p1 = tf.variable(tf.tensor2d(pred[1], [2, 1]));
    const { grads } = tf.variableGrads(() => trainingLoss(batch, [{ coef: p0 }, { coef: p1 }], 0, 'rmse+mae').total, [p0, p1]);
    const g = [...grads[p0.name].dataSync(), ...grads[p1.name].dataSync()];
    const expected = e.map((x, k) => (w[k] * x) / (6 * Math.sqrt(mse)) + (w[k] * Math.sign(x)) / 6);
    g.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
  });
});
