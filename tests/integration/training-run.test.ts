/**
 * Training runs (DESIGN.md §6): a small model on a few water conformers, on the wasm backend. A run interrupted after
 * two epochs and resumed for a third reproduces the uninterrupted three-epoch run exactly (same data order, Adam
 * state, learning rate and weights), the run folder holds what DESIGN.md promises, and the model it writes loads
 * and predicts what the trainer validated.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../core/datasets/load.ts';
import { DEFAULT_ARCHITECTURE, type Architecture } from '../../core/model/architecture.ts';
import { loadModel } from '../../core/model/model-file.ts';
import { initBackend } from '../../core/runtime/backend.ts';
import { evaluate } from '../../core/training/evaluate.ts';
import { resolveArchitecture, dataFields } from '../../core/training/training-data.ts';
import { DEFAULT_TRAIN_SETTINGS, train, type TrainData, type TrainSettings } from '../../core/training/trainer.ts';
import { HamError } from '../../core/contracts/errors.ts';
import * as tf from '../../core/runtime/tf.ts';
import { datasetPath } from '../helpers/datasets.ts';

let tmp: string;
let data: TrainData;
let arch: Architecture;
const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, batchSize: 4, warmupSteps: 2, seed: 3 };

beforeAll(async () => {
  await initBackend('wasm');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-train-'));
  const ds = await loadDataset(datasetPath('water-pbe-def2svp'));
  data = { train: ds.samples.slice(0, 12), val: ds.samples.slice(12, 16), description: { test: true } };
  arch = resolveArchitecture({ ...DEFAULT_ARCHITECTURE, channels: 4, layers: 1, radialHidden: 8, tracegrad: { invariants: 2, hidden: 8, zDim: 4, alphaInit: 0.1 } }, dataFields([ds]), data.train);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const metrics = (dir: string) => readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('training runs', () => {
  it('resume after two epochs reproduces an uninterrupted three-epoch run exactly', async () => {
    const straight = path.join(tmp, 'straight');
    await train(straight, arch, { ...settings, epochs: 3 }, data);
    const split = path.join(tmp, 'split');
    await train(split, arch, { ...settings, epochs: 2 }, data);
    await train(split, arch, { ...settings, epochs: 3 }, data, {}, true);
    const a = metrics(straight);
    const b = metrics(split);
    expect(b.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(b.map((m) => [m.loss, m.valMae])).toEqual(a.map((m) => [m.loss, m.valMae]));
    expect(a[2].valMae).toBeLessThan(a[0].valMae);
  });

  it('writes run.json, log.txt, checkpoints and a model that reproduces the validation MAE', async () => {
    const dir = path.join(tmp, 'straight');
    for (const f of ['run.json', 'log.txt', 'checkpoints/last/state.json', 'checkpoints/last/adam.bin', 'checkpoints/best/model.json', 'model/model.json', 'model/weights.bin']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    const { model, info } = loadModel(path.join(dir, 'model'));
    const best = Math.min(...metrics(dir).map((m) => m.valMae));
    expect((info.metrics as { valMae: number }).valMae).toBe(best);
    expect(evaluate(model, data.val).mae_H).toBeCloseTo(best, 9);
  });

  it('a training step leaves no tensor behind', async () => {
    const counts: number[] = [];
    await train(path.join(tmp, 'tensors'), arch, { ...settings, epochs: 1 }, data, { step: () => { counts.push(tf.memory().numTensors); } });
    expect(counts).toHaveLength(3);
    expect(new Set(counts).size).toBe(1);
  });

  it('stops on a non-finite loss with a clear message and keeps the last good checkpoint', async () => {
    const dir = path.join(tmp, 'nan');
    await train(dir, arch, { ...settings, epochs: 1 }, data);
    const poisoned = data.train.map((s, k) => (k === 5 ? { ...s, blocks: { ...s.blocks, H: s.blocks.H.map((v, e) => (e === 0 ? NaN : v)) } } : s));
    await expect(train(dir, arch, { ...settings, epochs: 3 }, { ...data, train: poisoned }, {}, true))
      .rejects.toThrow(/loss became NaN at epoch 2.*last good checkpoint \(epoch 1\)/);
    const state = JSON.parse(readFileSync(path.join(dir, 'checkpoints/last/state.json'), 'utf8'));
    expect(state.epoch).toBe(1);
    expect(loadModel(path.join(dir, 'checkpoints/last')).model.params.count()).toBeGreaterThan(0);
  });

  it('the cosine schedule decays to the minimum rate over the epoch budget', async () => {
    const dir = path.join(tmp, 'cosine');
    await train(dir, arch, { ...settings, schedule: 'cosine', epochs: 2, lr: 1e-3, minLr: 1e-5 }, data);
    const m = metrics(dir);
    expect(m[0].lr).toBeCloseTo(1e-5 + (1e-3 - 1e-5) * 0.5, 8); // half-way: cos(π/2) = 0
    expect(m[1].lr).toBeCloseTo(1e-5, 10);
  });

  it('--init starts from a model: with a vanishing learning rate the first epoch validates as that model did', async () => {
    const from = path.join(tmp, 'straight', 'model');
    const dir = path.join(tmp, 'warm');
    await train(dir, arch, { ...settings, epochs: 1, lr: 1e-12, minLr: 1e-12, init: from }, data);
    const best = (loadModel(from).info.metrics as { valMae: number }).valMae;
    expect(Math.abs(metrics(dir)[0].valMae / best - 1)).toBeLessThan(1e-6);
    await expect(train(path.join(tmp, 'warm2'), { ...arch, channels: 5 }, { ...settings, epochs: 1, init: from }, data)).rejects.toThrow(/architecture differs/);
  });

  it('--swa averages the weights of the epochs in the last part of the budget, survives a resume and keeps the winner', async () => {
    const dir = path.join(tmp, 'swa');
    await train(dir, arch, { ...settings, epochs: 4, average: 0.5 }, data);
    const m = metrics(dir);
    // Epochs 3 and 4 end past half the budget (0.75, 1.0); epoch 2 ends exactly at it.
    expect(m.map((e) => e.averagedEpochs)).toEqual([undefined, undefined, 1, 2]);
    expect(m[2].valMaeAverage).toBe(m[2].valMae); // the mean of one epoch is that epoch
    // The plateau schedule does not depend on the budget, so epochs 1–3 are those of the three-epoch run.
    const w3 = loadModel(path.join(tmp, 'straight', 'checkpoints', 'last')).model.params.serialize().data;
    const w4 = loadModel(path.join(dir, 'checkpoints', 'last')).model.params.serialize().data;
    const b = readFileSync(path.join(dir, 'checkpoints', 'last', 'average.bin'));
    const sum = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    expect(sum.every((v, k) => v === w3[k] + w4[k])).toBe(true);
    const { model, info } = loadModel(path.join(dir, 'model'));
    const best = Math.min(...m.flatMap((e) => [e.valMae, e.valMaeAverage ?? Infinity]));
    expect((info.metrics as { valMae: number }).valMae).toBe(best);
    expect(evaluate(model, data.val).mae_H).toBeCloseTo(best, 9);

    // Stopped during epoch 4 and resumed: the same metrics as the unbroken run.
    const split = path.join(tmp, 'swa-split');
    let inEpoch4 = false;
    await train(split, arch, { ...settings, epochs: 4, average: 0.5 }, data, { step: (epoch) => { inEpoch4 = epoch === 4; }, shouldStop: () => inEpoch4 });
    expect(metrics(split)).toHaveLength(3);
    await train(split, arch, { ...settings, epochs: 4, average: 0.5 }, data, {}, true);
    expect(metrics(split).map((e) => [e.valMae, e.valMaeAverage])).toEqual(m.map((e) => [e.valMae, e.valMaeAverage]));

    await expect(train(path.join(tmp, 'swa-bad'), arch, { ...settings, average: 0.5 }, data)).rejects.toThrow(/needs a budget/);
    await expect(train(path.join(tmp, 'swa-bad'), arch, { ...settings, epochs: 2, average: 1.5 }, data)).rejects.toThrow(/fraction .* between 0 and 1/);
    expect(existsSync(path.join(tmp, 'swa-bad'))).toBe(false);
  });

  it("the 'rmse+mae' loss trains (validation MAE falls) and is recorded in run.json", async () => {
    const dir = path.join(tmp, 'l1');
    await train(dir, arch, { ...settings, epochs: 3, loss: 'rmse+mae' }, data);
    const m = metrics(dir);
    expect(m[2].valMae).toBeLessThan(m[0].valMae);
    expect(JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')).settings.loss).toBe('rmse+mae');
    // A different objective: not the mse run's numbers.
    expect(m[0].loss).not.toBe(metrics(path.join(tmp, 'straight'))[0].loss);
  });

  it('refuses to overwrite a run, and to resume where there is none', async () => {
    await expect(train(path.join(tmp, 'straight'), arch, { ...settings, epochs: 1 }, data)).rejects.toThrow(/already holds a run/);
    await expect(train(path.join(tmp, 'nothing'), arch, { ...settings, epochs: 1 }, data, {}, true)).rejects.toThrow(HamError);
  });
});
