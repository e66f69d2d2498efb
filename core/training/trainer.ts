/**
 * Training runs (DESIGN.md §6): a run folder with run.json (settings, data, seed, version), metrics.jsonl (one JSON
 * object per epoch), log.txt, checkpoints/{last,best}/ (model files plus optimiser state, each written to a
 * temporary folder and renamed, so a crash never leaves a half checkpoint) and, at the end, model/. Killing a run
 * loses at most the current epoch; `resume` continues from checkpoints/last with the same data order.
 */
import * as tf from '../runtime/tf.ts';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import type { HamiltonianSample } from '../datasets/sample.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic-write.ts';
import type { Architecture } from '../model/architecture.ts';
import { HamiltonianModel } from '../model/hamiltonian-model.ts';
import type { StructureGraph } from '../model/graph-batch.ts';
import { growModel, type Growth } from '../model/grow-model.ts';
import { type LossKind, trainingLoss } from '../model/loss.ts';
import { evaluate } from './evaluate.ts';
import { loadModel, saveModel, writeModelFiles, type ModelInfo } from '../model/model-file.ts';
import { computeNormalization } from '../model/normalization.ts';
import { fitTwoCenterOverlap } from '../model/two-center-overlap.ts';
import { inferValenceElectrons, REFERENCE_SMEARING_EV } from '../physics/fermi.ts';
import { energyFactor } from '../contracts/units.ts';
import { hasAnalyticOverlaps } from '../basis/library.ts';
import { Rng } from '../runtime/rng.ts';
import { isPeriodic } from '../structure/structure.ts';
import { softwareVersion } from '../runtime/version.ts';
import type { SerializedParams } from '../nn/params.ts';
import { Adam } from './adam.ts';
import { WeightAverage } from './weight-average.ts';
import { averageMae, blockErrors, type BlockErrors, type MaeSummary } from './block-errors.ts';

export interface TrainSettings {
  /**
   * 'plateau': multiply the rate by plateauFactor after plateauPatience epochs without improvement (for open-ended
   * runs); 'cosine': decay from lr to minLr over the whole budget (--epochs or --minutes), so runs of an ablation
   * all end at the same small rate and compare fairly.
   */
  schedule?: 'plateau' | 'cosine';
  batchSize: number;
  lr: number;
  minLr: number;
  warmupSteps: number;
  /** Epochs without validation improvement before the learning rate is multiplied by plateauFactor. */
  plateauPatience: number;
  plateauFactor: number;
  /** Epochs without improvement (at the minimum learning rate) before stopping. */
  earlyStopPatience: number;
  clipNorm: number;
  /** Weight λ of the trace loss (ignored for arch "baseline"). */
  lambda: number;
  /** The H loss (loss.ts); absent means 'mse', as runs recorded before the option were trained. */
  loss?: LossKind;
  /** Factor on the loss weights of on-site blocks (loss.ts); absent means 1. */
  onsiteWeight?: number;
  seed: number;
  epochs?: number;
  minutes?: number;
  /** Start from this model's weights and normalisation (a folder), e.g. to continue a shipped model's training. */
  init?: string;
  /** With init: grow its model (more layers, larger radial networks) without changing its predictions (grow-model.ts). */
  grow?: Growth;
  /** Parameter-name prefixes kept fixed (fine-tuning with frozen early layers, e.g. ["embed", "layer0/"]). */
  freeze?: string[];
  /**
   * Stochastic weight averaging over the last fraction of the budget (weight-average.ts): each epoch from then on
   * adds its weights to a running mean, which is validated like an epoch and kept as the best model when it wins.
   */
  average?: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  batchSize: 8, lr: 2e-3, minLr: 1e-5, warmupSteps: 200, plateauPatience: 10, plateauFactor: 0.5,
  earlyStopPatience: 40, clipNorm: 10, lambda: 0.1, seed: 0,
};

export interface EpochMetrics {
  epoch: number;
  step: number;
  lr: number;
  loss: number;
  lossH: number;
  lossT?: number;
  valMae: number;
  /** Crystals with reference bands: the validation cells' band MAE within 2 eV of E_F (as `hamstudio eval` reports it). */
  valMaeBands?: number;
  valMaeOnsite: number;
  valMaeOffsite: number;
  unit: string;
  epochSeconds: number;
  elapsedSeconds: number;
  samplesPerSecond: number;
  best: boolean;
  /** With weight averaging, once it has begun: the running mean's validation MAE and the epochs in it. */
  valMaeAverage?: number;
  averagedEpochs?: number;
  /** The running mean, not this epoch's weights, set the new best. */
  bestIsAverage?: boolean;
}

export interface TrainData {
  train: HamiltonianSample[];
  val: HamiltonianSample[];
  /** What the data were (paths, hashes, split) for run.json and model.json. */
  description: Record<string, unknown>;
}

export interface TrainEvents {
  epoch?(m: EpochMetrics): void;
  /** After each optimisation step: structures done in this epoch, of `total`, and the running mean loss. */
  step?(epoch: number, done: number, total: number, loss: number): void;
  log?(line: string): void;
  /** Polled between steps; return true to stop after the current step (the epoch's checkpoint is not written). */
  shouldStop?(): boolean;
}

interface RunState {
  epoch: number;
  step: number;
  lr: number;
  bestVal: number;
  badEpochs: number;
  elapsedSeconds: number;
  stopped?: string;
  /** Epochs in the weight average (checkpoints/last/average.bin). */
  averagedEpochs?: number;
}

export interface TrainResult {
  runDir: string;
  modelDir: string;
  best: MaeSummary;
  epochs: number;
  stopReason: string;
}

const CHECKPOINT_STATE = 'state.json';
const AVERAGE_FILE = 'average.bin';

/** Fraction of the budget (--epochs or --minutes) used, in [0, 1]; 0 without a budget. */
function budgetProgress(settings: TrainSettings, state: RunState, perEpoch: number): number {
  const steps = Math.ceil(perEpoch / settings.batchSize);
  const progress = settings.epochs !== undefined ? state.step / (settings.epochs * steps)
    : settings.minutes !== undefined ? state.elapsedSeconds / (settings.minutes * 60) : 0;
  return Math.min(1, Math.max(0, progress));
}

/** Learning rate of the next step: linear warm-up, then the schedule (plateau: the current rate; cosine: by progress). */
function learningRate(settings: TrainSettings, state: RunState, perEpoch: number): number {
  const warm = Math.min(1, (state.step + 1) / Math.max(settings.warmupSteps, 1));
  if (settings.schedule !== 'cosine') return state.lr * warm;
  const p = budgetProgress(settings, state, perEpoch);
  return (settings.minLr + (settings.lr - settings.minLr) * 0.5 * (1 + Math.cos(Math.PI * p))) * warm;
}

/** Valence electrons per element from crystal references (k-mesh eigenvalues and E_F), if the data have them. */
function valenceElectronsOf(samples: readonly HamiltonianSample[]): Record<string, number> | undefined {
  const withBands = samples.flatMap((s) => {
    const { kpoints, fermiLevel } = s.references;
    if (!kpoints || fermiLevel === undefined) return [];
    const width = REFERENCE_SMEARING_EV / energyFactor(s.unit, 'eV');
    return [{ numbers: s.structure.numbers, bands: { frac: kpoints.frac, eigenvalues: kpoints.eigenvalues, nBands: kpoints.nBands }, fermiLevel, width }];
  });
  return inferValenceElectrons(withBands);
}

/** A new run must not overwrite another; called before any expensive work. */
export function assertNewRun(runDir: string): void {
  if (existsSync(path.join(runDir, 'run.json'))) throw new HamError('E_INPUT', `${runDir} already holds a run; use --resume to continue it or choose another --out`);
}

function writeCheckpoint(dir: string, model: HamiltonianModel, adam: Adam, state: RunState, info: ModelInfo, average?: WeightAverage): Promise<void> {
  return writeDirectoryAtomic(dir, (tmp) => {
    writeModelFiles(tmp, model, info);
    if (average && average.count > 0) writeFileAtomic(path.join(tmp, AVERAGE_FILE), average.bytes());
    const a = adam.state();
    const bytes = new Uint8Array(a.m.byteLength + a.v.byteLength);
    bytes.set(new Uint8Array(a.m.buffer, a.m.byteOffset, a.m.byteLength), 0);
    bytes.set(new Uint8Array(a.v.buffer, a.v.byteOffset, a.v.byteLength), a.m.byteLength);
    writeFileAtomic(path.join(tmp, 'adam.bin'), bytes);
    writeFileAtomic(path.join(tmp, CHECKPOINT_STATE), `${JSON.stringify({ ...state, adamStep: a.step })}\n`);
  }, { replace: true });
}

function validate(model: HamiltonianModel, samples: readonly HamiltonianSample[], graphs: readonly StructureGraph[], batchSize: number): MaeSummary {
  const errors: BlockErrors[] = [];
  for (let k = 0; k < samples.length; k += batchSize) {
    const idx = samples.slice(k, k + batchSize).map((_, d) => k + d);
    const batch = model.batch(idx.map((i) => ({ graph: graphs[i] })), false);
    const pred = model.predictBlocks(batch, idx.map((i) => graphs[i]));
    idx.forEach((i, d) => errors.push(blockErrors(pred[d], samples[i].blocks)));
  }
  return averageMae(errors);
}

/**
 * Train into `runDir`. `record` is stored at the top level of run.json (e.g. the command line and the data request
 * that `--resume` replays).
 */
export async function train(
  runDir: string, arch: Architecture, settings: TrainSettings, data: TrainData, events: TrainEvents = {}, resume = false,
  record: Record<string, unknown> = {},
): Promise<TrainResult> {
  const log = (line: string) => {
    appendFileSync(path.join(runDir, 'log.txt'), `${new Date().toISOString()} ${line}\n`);
    events.log?.(line);
  };
  if (settings.average !== undefined && !(settings.average > 0 && settings.average < 1)) throw new HamError('E_INPUT', `--swa (weight averaging) needs a fraction of the budget between 0 and 1, got ${settings.average}`);
  if (settings.average && settings.epochs === undefined && settings.minutes === undefined) throw new HamError('E_INPUT', '--swa (weight averaging) needs a budget (--epochs or --minutes) whose last part it averages');
  const lastDir = path.join(runDir, 'checkpoints', 'last');
  const bestDir = path.join(runDir, 'checkpoints', 'best');
  let model: HamiltonianModel;
  let state: RunState;
  if (resume) {
    if (!existsSync(path.join(lastDir, CHECKPOINT_STATE))) throw new HamError('E_NOT_FOUND', `nothing to resume: no checkpoint in ${lastDir}`);
    model = loadModel(lastDir).model;
    state = JSON.parse(readFileSync(path.join(lastDir, CHECKPOINT_STATE), 'utf8')) as RunState;
    log(`resuming after epoch ${state.epoch} (step ${state.step}, best validation MAE ${state.bestVal})`);
  } else {
    assertNewRun(runDir);
    mkdirSync(runDir, { recursive: true });
    if (settings.init) {
      // Warm start: the same architecture, weights and target normalisation (so the weights mean what they meant).
      model = loadModel(settings.init).model;
      if (settings.grow) model = growModel(model, settings.grow, settings.seed);
      if (JSON.stringify(model.arch) !== JSON.stringify(arch)) throw new HamError('E_INPUT', `the architecture differs from the --init model's`, { file: settings.init });
    } else {
      const norm = computeNormalization(data.train, new HamiltonianModel(arch, new Map()).types);
      model = new HamiltonianModel(arch, norm, settings.seed);
    }
    state = { epoch: 0, step: 0, lr: settings.lr, bestVal: Infinity, badEpochs: 0, elapsedSeconds: 0 };
    writeFileAtomic(path.join(runDir, 'run.json'), `${JSON.stringify({
      ...record, software: softwareVersion(), created: new Date().toISOString(), architecture: arch, settings, data: data.description,
      parameters: model.params.count(),
    }, null, 1)}\n`);
    log(`new run: ${arch.arch}, ${model.params.count()} parameters, ${data.train.length} training / ${data.val.length} validation structures`);
  }
  if (!model.overlap && !hasAnalyticOverlaps(arch)) {
    model.overlap = fitTwoCenterOverlap(data.train, arch.shells);
    const r = model.overlap.residual;
    log(`overlap head: two-centre fit to ${r.blocks} S blocks, residual MAE ${r.mae.toExponential(2)}, max ${r.max.toExponential(2)}`);
  }
  model.valenceElectrons ??= valenceElectronsOf(data.train);
  const adam = new Adam(model.params.variables());
  if (resume) {
    const bytes = readFileSync(path.join(lastDir, 'adam.bin'));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const half = all.length / 2;
    const saved = JSON.parse(readFileSync(path.join(lastDir, CHECKPOINT_STATE), 'utf8')) as { adamStep: number };
    adam.restore({ step: saved.adamStep, m: all.subarray(0, half), v: all.subarray(half) });
  }
  const average = settings.average ? (state.averagedEpochs ? WeightAverage.read(path.join(lastDir, AVERAGE_FILE), model.params.count(), state.averagedEpochs) : new WeightAverage(model.params.count())) : undefined;
  const info = (metrics?: Record<string, unknown>): ModelInfo => ({
    name: path.basename(path.resolve(runDir)), training: { settings, data: data.description, epochs: state.epoch }, metrics,
  });

  const frozen = (name: string) => settings.freeze?.some((p) => name.startsWith(p)) ?? false;
  const trainable = model.params.names().filter((n) => !frozen(n)).map((n) => model.params.get(n));
  const trainGraphs = data.train.map((s) => model.graph(s.structure));
  const valGraphs = data.val.map((s) => model.graph(s.structure));
  const unit = data.train[0]?.unit ?? arch.unit;
  // Band errors are tracked per epoch for crystals: they need not follow the H error (docs/shipped-models.md).
  const crystals = data.val.some((s) => isPeriodic(s.structure));
  let stopReason = '';
  while (!stopReason) {
    const epoch = state.epoch + 1;
    const t0 = performance.now();
    const order = new Rng(settings.seed * 1_000_003 + epoch).shuffle(data.train.map((_, k) => k));
    let sumLoss = 0;
    let sumH = 0;
    let sumT = 0;
    let nb = 0;
    for (let k = 0; k < order.length; k += settings.batchSize) {
      const idx = order.slice(k, k + settings.batchSize);
      const batch = model.batch(idx.map((i) => ({ graph: trainGraphs[i], sample: data.train[i] })), true);
      const lr = learningRate(settings, state, order.length);
      const parts: number[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const l = trainingLoss(batch, model.net.forward(batch), arch.arch === 'baseline' ? 0 : settings.lambda, settings.loss, settings.onsiteWeight);
        parts.push(...[l.total, l.hamiltonian, l.trace ?? l.hamiltonian].map((t) => t.dataSync()[0]));
        return l.total;
      }, trainable);
      value.dispose(); // the loss is read in `parts`; undisposed, one scalar per step would pile up
      const loss = parts[0];
      if (!Number.isFinite(loss)) {
        Object.values(grads).forEach((g) => g.dispose());
        throw new HamError('E_NUMERIC', `loss became ${loss} at epoch ${epoch}, step ${state.step}; the last good checkpoint (epoch ${state.epoch}) is kept in ${lastDir}`);
      }
      adam.apply(model.params.variables().map((v) => grads[v.name]), lr, settings.clipNorm); // frozen: no gradient
      Object.values(grads).forEach((g) => g.dispose());
      state.step++;
      sumLoss += loss; sumH += parts[1]; sumT += parts[2]; nb++;
      events.step?.(epoch, Math.min(k + settings.batchSize, order.length), order.length, sumLoss / nb);
      if (events.shouldStop) {
        // Let the event loop run (signal handlers, IPC) — the steps themselves never yield to it.
        await new Promise((resolve) => setImmediate(resolve));
        if (events.shouldStop()) { stopReason = 'cancelled'; break; }
      }
    }
    if (stopReason) break;
    const val = validate(model, data.val, valGraphs, settings.batchSize * 2);
    const valBands = crystals ? evaluate(model, data.val).mae_bands : undefined;
    const seconds = (performance.now() - t0) / 1000;
    state.epoch = epoch;
    state.elapsedSeconds += seconds;
    // Weight averaging: every epoch that ends within the last `average` fraction of the budget joins the mean.
    let averaged: { val: MaeSummary; weights: SerializedParams } | undefined;
    if (average && budgetProgress(settings, state, data.train.length) > 1 - settings.average!) {
      const current = model.params.serialize();
      average.add(current.data);
      state.averagedEpochs = average.count;
      const weights = { ...current, data: average.mean() };
      model.params.load(weights, 'weight average');
      averaged = { val: validate(model, data.val, valGraphs, settings.batchSize * 2), weights };
      model.params.load(current, 'training weights');
    }
    const bestIsAverage = averaged !== undefined && averaged.val.mae < Math.min(val.mae, state.bestVal);
    const best = bestIsAverage || val.mae < state.bestVal;
    if (best) { state.bestVal = bestIsAverage ? averaged!.val.mae : val.mae; state.badEpochs = 0; } else state.badEpochs++;
    const m: EpochMetrics = {
      epoch, step: state.step, lr: learningRate(settings, state, data.train.length), loss: sumLoss / nb, lossH: sumH / nb, lossT: arch.arch === 'baseline' ? undefined : sumT / nb,
      ...(valBands !== undefined ? { valMaeBands: valBands } : {}),
      valMae: val.mae, valMaeOnsite: val.maeOnsite, valMaeOffsite: val.maeOffsite, unit,
      epochSeconds: seconds, elapsedSeconds: state.elapsedSeconds, samplesPerSecond: data.train.length / seconds, best,
      ...(averaged ? { valMaeAverage: averaged.val.mae, averagedEpochs: average!.count, bestIsAverage } : {}),
    };
    appendFileSync(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify(m)}\n`);
    events.epoch?.(m);
    if (bestIsAverage) {
      const current = model.params.serialize();
      model.params.load(averaged!.weights, 'weight average');
      const v = averaged!.val;
      await saveModel(bestDir, model, info({ valMae: v.mae, valMaeOnsite: v.maeOnsite, valMaeOffsite: v.maeOffsite, unit, epoch, averagedEpochs: average!.count }));
      model.params.load(current, 'training weights');
    } else if (best) await saveModel(bestDir, model, info({ valMae: val.mae, valMaeOnsite: val.maeOnsite, valMaeOffsite: val.maeOffsite, unit, epoch }));
    if (settings.schedule !== 'cosine' && state.badEpochs > 0 && state.badEpochs % settings.plateauPatience === 0 && state.lr > settings.minLr) {
      state.lr = Math.max(settings.minLr, state.lr * settings.plateauFactor);
      log(`epoch ${epoch}: no improvement for ${state.badEpochs} epochs, learning rate → ${state.lr}`);
    }
    if (settings.epochs !== undefined && epoch >= settings.epochs) stopReason = `reached ${settings.epochs} epochs`;
    else if (settings.minutes !== undefined && state.elapsedSeconds >= settings.minutes * 60) stopReason = `time budget of ${settings.minutes} min used`;
    else if (state.badEpochs >= settings.earlyStopPatience && state.lr <= settings.minLr) stopReason = `no improvement for ${state.badEpochs} epochs at the minimum learning rate`;
    state.stopped = stopReason || undefined;
    await writeCheckpoint(lastDir, model, adam, state, info(), average);
  }
  log(`stopped: ${stopReason}`);
  if (stopReason === 'cancelled' && !existsSync(path.join(bestDir, 'model.json'))) {
    adam.dispose();
    throw new HamError('E_CANCELLED', `cancelled before the first epoch finished; nothing to keep (resume with --resume to start again)`);
  }
  const modelDir = path.join(runDir, 'model');
  const best = loadModel(bestDir);
  best.model.overlap ??= model.overlap;
  best.model.valenceElectrons ??= model.valenceElectrons;
  const bestMetrics = best.info.metrics as { valMae: number; valMaeOnsite: number; valMaeOffsite: number };
  await saveModel(modelDir, best.model, { ...best.info, training: { ...best.info.training, stopReason, epochsRun: state.epoch } });
  adam.dispose();
  return {
    runDir, modelDir, epochs: state.epoch, stopReason,
    best: { mae: bestMetrics.valMae, maeOnsite: bestMetrics.valMaeOnsite, maeOffsite: bestMetrics.valMaeOffsite, maxAbs: NaN },
  };
}
