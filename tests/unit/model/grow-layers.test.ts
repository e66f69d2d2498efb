/**
 * Growing a model deeper (grow-layers.ts): the grown model predicts what the original predicts, and the new layers'
 * parameters receive gradients, so training can use them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../core/runtime/tf.ts';
import { loadDataset } from '../../../core/datasets/load.ts';
import type { HamiltonianSample } from '../../../core/datasets/sample.ts';
import { growLayers } from '../../../core/model/grow-layers.ts';
import { HamiltonianModel } from '../../../core/model/hamiltonian-model.ts';
import { trainingLoss } from '../../../core/model/loss.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { tinyWaterModel } from '../../helpers/tiny-water-model.ts';

let samples: HamiltonianSample[];
let model: HamiltonianModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  samples = (await loadDataset(datasetPath('water-pbe-def2svp'))).samples.slice(0, 3);
  model = tinyWaterModel(samples, 5);
});

const predict = (m: HamiltonianModel) => {
  const graphs = samples.map((s) => m.graph(s.structure));
  return m.predictBlocks(m.batch(graphs.map((graph) => ({ graph })), false), graphs);
};

describe('growing layers', () => {
  it('keeps the predictions and gives the new layers gradients', () => {
    const grown = growLayers(model, 3, 1);
    expect(grown.arch.layers).toBe(3);
    expect(grown.params.count()).toBeGreaterThan(model.params.count());
    const before = predict(model);
    const after = predict(grown);
    before.forEach((b, s) => {
      const scale = b.H.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      const diff = b.H.reduce((a, v, k) => Math.max(a, Math.abs(v - after[s].H[k])), 0);
      expect(diff).toBeLessThan(1e-6 * scale);
    });
    const batch = grown.batch(samples.map((s) => ({ graph: grown.graph(s.structure), sample: s })), true);
    const fresh = ['layer2/update/w0', 'layer2/edge_out/w1', 'layer2/node_tracegrad/alpha'].map((n) => grown.params.get(n));
    const { grads } = tf.variableGrads(() => trainingLoss(batch, grown.net.forward(batch), 0).total, fresh);
    for (const g of Object.values(grads)) expect(g.abs().max().dataSync()[0]).toBeGreaterThan(0);
  });

  it('refuses to shrink', () => {
    expect(() => growLayers(model, 0, 1)).toThrow(/can grow to more layers/);
  });
});
