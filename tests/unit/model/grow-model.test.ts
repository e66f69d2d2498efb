/**
 * Growing a model (grow-model.ts), deeper or with larger radial networks: the grown model predicts what the original
 * predicts, and the new parameters receive gradients, so training can use them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../core/runtime/tf.ts';
import { loadDataset } from '../../../core/datasets/load.ts';
import type { HamiltonianSample } from '../../../core/datasets/sample.ts';
import { growModel, type Growth } from '../../../core/model/grow-model.ts';
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

/** The grown model's largest deviation from the original's H, relative to the largest |H|. */
function relativeChange(grown: HamiltonianModel): number {
  const before = predict(model);
  const after = predict(grown);
  return Math.max(...before.map((b, s) => {
    const scale = b.H.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    return b.H.reduce((a, v, k) => Math.max(a, Math.abs(v - after[s].H[k])), 0) / scale;
  }));
}

/** The gradient of the training loss reaches every named parameter of the grown model. */
function expectGradients(grown: HamiltonianModel, names: string[]): void {
  const batch = grown.batch(samples.map((s) => ({ graph: grown.graph(s.structure), sample: s })), true);
  const { grads } = tf.variableGrads(() => trainingLoss(batch, grown.net.forward(batch), 0).total, names.map((n) => grown.params.get(n)));
  for (const name of names) expect(grads[grown.params.get(name).name].abs().max().dataSync()[0], name).toBeGreaterThan(0);
}

describe('growing a model', () => {
  it('deeper: keeps the predictions and gives the new layers gradients', () => {
    const grown = growModel(model, { layers: 3 }, 1);
    expect(grown.arch.layers).toBe(3);
    expect(grown.params.count()).toBeGreaterThan(model.params.count());
    expect(relativeChange(grown)).toBeLessThan(1e-6);
    expectGradients(grown, ['layer2/update/w0', 'layer2/edge_out/w1', 'layer2/node_tracegrad/alpha']);
  });

  it('with larger radial networks: keeps the predictions and gives the new rows gradients', () => {
    const growth = { radialBasis: model.arch.radialBasis + 3, radialHidden: model.arch.radialHidden + 5 };
    const grown = growModel(model, growth, 1);
    expect(grown.arch).toEqual({ ...model.arch, ...growth });
    expect(relativeChange(grown)).toBeLessThan(1e-6);
    // The new rows start at zero (the old units see only the old inputs) and training moves them.
    const w0 = grown.params.get('layer0/message/radial0').arraySync() as number[][];
    expect(w0.slice(model.arch.radialBasis).flat().every((v) => v === 0)).toBe(true);
    expectGradients(grown, ['layer0/message/radial0', 'layer0/edge_conv/radial1', 'edge_embed/w0', 'edge_embed/w2']);
    // Not a no-op: the same model with the new rows drawn at random predicts something else.
    grown.params.get('layer0/message/radial1').assign(tf.randomNormal(grown.params.get('layer0/message/radial1').shape, 0, 1, 'float32', 3));
    expect(relativeChange(grown)).toBeGreaterThan(1e-3);
  });

  it('refuses to shrink', () => {
    const cases: [Growth, RegExp][] = [[{ layers: 0 }, /can grow to more layers/], [{ radialHidden: 1 }, /more radial hidden units, not to 1/]];
    for (const [growth, message] of cases) expect(() => growModel(model, growth, 1)).toThrow(message);
  });
});
