/**
 * The least-squares decoder refit: the loss it reports before and after is the training loss L_H ('mse') computed
 * by the network, the refit weights are the minimum (the gradient of L_H with respect to every decoder weight
 * vanishes there), and the rest of the network is untouched. Water has all three kinds of decoder: on-site, two
 * elements (O–H) and one element (H–H, whose coefficients average the two edge directions through the transpose map).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../core/runtime/tf.ts';
import { loadDataset } from '../../../core/datasets/load.ts';
import type { HamiltonianSample } from '../../../core/datasets/sample.ts';
import { HamiltonianModel } from '../../../core/model/hamiltonian-model.ts';
import { trainingLoss } from '../../../core/model/loss.ts';
import { refitDecoders } from '../../../core/training/decoder-refit.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { tinyWaterModel } from '../../helpers/tiny-water-model.ts';

let samples: HamiltonianSample[];
let model: HamiltonianModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  samples = (await loadDataset(datasetPath('water-pbe-def2svp'))).samples.slice(0, 6);
  model = tinyWaterModel(samples, 3);
});

/** L_H over all samples in one batch, and its gradient with respect to each decoder weight. */
function lossAndDecoderGradient(): { loss: number; grads: Map<string, Float32Array> } {
  const batch = model.batch(samples.map((s) => ({ graph: model.graph(s.structure), sample: s })), true);
  const decoders = model.params.names().filter((n) => n.startsWith('decoder/')).map((n) => model.params.get(n));
  let loss = 0;
  const { grads } = tf.variableGrads(() => {
    const l = trainingLoss(batch, model.net.forward(batch), 0, 'mse').hamiltonian;
    loss = l.dataSync()[0];
    return l;
  }, decoders);
  const out = new Map(Object.entries(grads).map(([k, g]) => [k, g.dataSync() as Float32Array]));
  Object.values(grads).forEach((g) => g.dispose());
  return { loss, grads: out };
}

const norm = (xs: Iterable<Float32Array>) => Math.sqrt([...xs].reduce((a, g) => a + g.reduce((b, v) => b + v * v, 0), 0));

describe('decoder refit', () => {
  it('reports the training loss, reaches its minimum over the decoder weights and leaves the other weights alone', () => {
    const start = lossAndDecoderGradient();
    const others = model.params.names().filter((n) => !n.startsWith('decoder/')).map((n) => [n, model.params.get(n).dataSync().slice()] as const);
    const tensors = tf.memory().numTensors;
    const r = refitDecoders(model, samples, 4);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(r.structures).toBe(6);
    expect(r.mseBefore).toBeCloseTo(start.loss, 4);
    expect(r.mseBefore / start.loss).toBeCloseTo(1, 4);
    expect(r.mseAfter).toBeLessThan(0.5 * r.mseBefore);
    const end = lossAndDecoderGradient();
    expect(end.loss / r.mseAfter).toBeCloseTo(1, 3);
    // At the least-squares minimum the decoder gradient vanishes (up to the ridge and float32 round-off).
    expect(norm(end.grads.values())).toBeLessThan(1e-3 * norm(start.grads.values()));
    for (const [n, before] of others) expect(Array.from(model.params.get(n).dataSync())).toEqual(Array.from(before));
  });
});
