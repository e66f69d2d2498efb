/**
 * Growing a model (grow-model.ts), deeper, with larger radial networks or wider: the grown model predicts what the
 * original predicts, and the new parameters receive gradients, so training can use them.
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
    // The new rows start at zero where they feed old units (the old units see only the old inputs), and training
    // moves them.
    const w0 = grown.params.get('layer0/message/radial0').arraySync() as number[][];
    expect(w0.slice(model.arch.radialBasis).flatMap((row) => row.slice(0, model.arch.radialHidden)).every((v) => v === 0)).toBe(true);
    expectGradients(grown, ['layer0/message/radial0', 'layer0/edge_conv/radial1', 'edge_embed/w0', 'edge_embed/w2']);
    // Not a no-op: the same model with the new rows drawn at random predicts something else.
    grown.params.get('layer0/message/radial1').assign(tf.randomNormal(grown.params.get('layer0/message/radial1').shape, 0, 1, 'float32', 3));
    expect(relativeChange(grown)).toBeGreaterThan(1e-3);
  });

  it('wider: keeps the predictions, the new channels start unread, and every kind of parameter gets gradients', () => {
    const c = model.arch.channels;
    const growth = { channels: c + 3, radialHidden: model.arch.radialHidden + 2 };
    const grown = growModel(model, growth, 1);
    expect(grown.arch).toEqual({ ...model.arch, ...growth });
    expect(relativeChange(grown)).toBeLessThan(1e-6);
    // Old outputs read no new channel: the update map's rows c… in columns 0…c−1, and the message convolution's rows
    // of the new channels of both input segments (m = 0 row a, segment s: rows (2a + s)·C + c…).
    const C = c + 3;
    const update = grown.params.get('layer0/update/w1').arraySync() as number[][];
    expect(update.slice(c).every((row) => row.slice(0, c).every((v) => v === 0))).toBe(true);
    const w0 = grown.params.get('layer0/message/w0').arraySync() as number[][];
    expect([1, 4, 7].map((block) => w0[block * C + c].slice(0, c).every((v) => v === 0))).toEqual([true, true, true]);
    // Trained entries move with their channels: input (row 1, segment 1, channel 0) → output (row 2, channel c − 1).
    const w0Old = model.params.get('layer0/message/w0').arraySync() as number[][];
    expect(w0[3 * C][2 * C + c - 1]).toBe(w0Old[3 * c][2 * c + c - 1]);
    expectGradients(grown, ['embed', 'layer0/message/w0', 'layer0/edge_conv/w2_m1', 'layer0/gate/wg', 'layer0/node_tracegrad/wa2', 'layer0/edge_tracegrad/w1', `decoder/${[...grown.types.keys()][0]}/L0`]);
    // Not a no-op: the same model with the new channels' rows of one map drawn at random predicts something else.
    grown.params.get('layer0/self/w0').assign(tf.randomNormal([C, C], 0, 1, 'float32', 3));
    expect(relativeChange(grown)).toBeGreaterThan(1e-3);
  });

  it('refuses to shrink', () => {
    const cases: [Growth, RegExp][] = [[{ layers: 0 }, /can grow to more layers/], [{ radialHidden: 1 }, /more radial hidden units, not to 1/], [{ channels: 1 }, /more channels, not to 1/]];
    for (const [growth, message] of cases) expect(() => growModel(model, growth, 1)).toThrow(message);
  });
});
