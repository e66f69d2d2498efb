/**
 * Guided fine-tuning of a molecular model on the user's own molecule (issue "Guided fine-tuning"): thermal snapshots
 * of the structure, the most uncertain first → psi4 labels (timed on the first one to fit a time budget) → a held-out part for validation →
 * training from the model's weights with the early layers frozen → the base and the fine-tuned model compared on
 * the held-out structures. The fine-tuned model is published (outDir/model) only when it is better. Every stage
 * keeps its work in outDir, so running the same command again resumes instead of recomputing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { writeMatrixStack } from '../datasets/matrix-stack.ts';
import { splitIndices } from '../datasets/split.ts';
import { labelMolecules, psi4Version, type LabelProgress, type Psi4Settings } from '../labelers/psi4.ts';
import { thermalSnapshots } from '../labelers/sampling.ts';
import { mdSnapshots } from '../labelers/xtb-md.ts';
import { hasAnalyticOverlaps } from '../basis/library.ts';
import { loadModel, saveModel } from '../model/model-file.ts';
import type { HamiltonianModel } from '../model/hamiltonian-model.ts';
import { traceDisagreement } from '../model/uncertainty.ts';
import { readXyz, writeXyz } from '../structure/formats/xyz.ts';
import { isPeriodic, type Structure } from '../structure/structure.ts';
import { evaluate, checkCompatible, type EvaluationResult } from './evaluate.ts';
import { DEFAULT_TRAIN_SETTINGS, train } from './trainer.ts';

export interface FinetuneOptions {
  modelDir: string;
  structure: Structure;
  /** Name of the structure (file) for the report. */
  name: string;
  outDir: string;
  /** Snapshots to label (at most; a time budget may lower it). */
  count: number;
  /** 'md': xtb molecular dynamics at `temperature`; 'thermal': Gaussian displacements of `sigma` Å. */
  sampling: 'md' | 'thermal';
  temperature: number;
  sigma: number;
  seed: number;
  /** psi4 processes at once. */
  jobs: number;
  /** Minutes of DFT allowed: the first SCF is timed and the count cut to fit. */
  budgetMinutes?: number;
  /** Training budget. */
  minutes?: number;
  epochs?: number;
  /** Parameter prefixes kept fixed; default the embeddings and the first interaction layer. */
  freeze?: string[];
}

export interface FinetuneReport {
  format: 'hamstudio-finetune-report';
  structure: string;
  baseModel: string;
  labelled: number;
  failed: { index: number; reason: string }[];
  secondsPerScf: number;
  train: number;
  validation: number;
  before: EvaluationResult;
  after: EvaluationResult;
  improved: boolean;
  model: string | null;
  run: string;
}

export interface FinetuneEvents {
  log?: (line: string) => void;
  label?: (p: LabelProgress) => void;
}

/** psi4 processes a fine-tuning runs at once by default (one thread each). */
export const DEFAULT_LABEL_JOBS = 2;

/** How psi4 labels for `model`: its functional (PBE, DESIGN.md §4) and Gaussian basis; molecules only. */
export function psi4LabelSettings(model: HamiltonianModel, structure: Structure, name: string, modelDir: string, jobs: number): Psi4Settings {
  if (isPeriodic(structure)) throw new HamError('E_INPUT', 'fine-tuning with psi4 labels is for molecules; this structure has a cell', { file: name });
  if (!hasAnalyticOverlaps(model.arch)) throw new HamError('E_INPUT', `the model's basis ${model.arch.basis} is not a Gaussian basis psi4 can label`, { file: modelDir });
  return { functional: 'pbe', basis: model.arch.basis.toLowerCase(), jobs };
}

/** Snapshots labelled per minute by `jobs` processes when one SCF takes `seconds`. */
export const snapshotsPerMinute = (seconds: number, jobs: number) => (60 * jobs) / Math.max(seconds, 1e-3);

const FREEZE_DEFAULT = ['embed', 'edge_embed', 'layer0/'];
const VAL_FRACTION = 0.25;
const MIN_STRUCTURES = 4;
/** Snapshots generated per snapshot labelled, to choose the most uncertain from. */
const POOL_FACTOR = 3;

/**
 * The candidates of this fine-tuning folder, most uncertain first: POOL_FACTOR × count snapshots ranked by the
 * model's trace disagreement (uncertainty.ts; plain order for a model without a trace head), the top `count`
 * kept. Made once and saved (score in each frame's comment), then read back so a rerun labels the same structures.
 */
function candidates(opts: FinetuneOptions, model: HamiltonianModel, log: (line: string) => void): Structure[] {
  const file = path.join(opts.outDir, 'candidates.xyz');
  if (existsSync(file)) return readXyz(readFileSync(file, 'utf8'), file);
  const size = POOL_FACTOR * opts.count;
  const pool = opts.sampling === 'md' ? mdSnapshots(opts.structure, size, opts.temperature) : thermalSnapshots(opts.structure, size, opts.sigma, opts.seed);
  log(`${size} candidate snapshots from ${opts.sampling === 'md' ? `xtb MD at ${opts.temperature} K` : `thermal displacements of σ = ${opts.sigma} Å`}`);
  const scores = model.arch.arch === 'baseline' ? pool.map(() => 0) : traceDisagreement(model, pool);
  const ranked = pool.map((s, k) => ({ s, score: scores[k] })).sort((a, b) => b.score - a.score).slice(0, opts.count);
  if (model.arch.arch !== 'baseline') log(`ranked ${pool.length} snapshots by trace disagreement; labelling the ${ranked.length} most uncertain (${ranked[0].score.toFixed(3)} … ${ranked[ranked.length - 1].score.toFixed(3)})`);
  const made = ranked.map(({ s, score }) => ({ ...s, info: { comment: `uncertainty=${score.toFixed(6)}` } }));
  writeFileAtomic(file, writeXyz(made));
  return made;
}

export async function finetune(opts: FinetuneOptions, events: FinetuneEvents = {}, signal?: AbortSignal): Promise<FinetuneReport> {
  const log = events.log ?? (() => {});
  const base = loadModel(opts.modelDir);
  const { model } = base;
  const settings = psi4LabelSettings(model, opts.structure, opts.name, opts.modelDir, opts.jobs);
  const atomShells = model.atomShells(opts.structure.numbers);
  log(`psi4 ${psi4Version()}; model ${base.info.name} (${model.arch.basis}, ${model.arch.unit})`);

  let structures = candidates(opts, model, log);
  const workDir = path.join(opts.outDir, 'labels');
  if (opts.budgetMinutes !== undefined) {
    // Time one SCF (or read its time when resuming), then keep as many structures as the budget allows.
    const first = await labelMolecules(structures.slice(0, 1), atomShells, workDir, settings, { signal });
    const t = first.seconds.get(0);
    if (t === undefined) throw new HamError('E_EXTERNAL_TOOL', `psi4 failed on the first structure: ${first.failed.get(0)}`, { file: path.join(workDir, 'jobs', '0000') });
    const affordable = Math.floor(opts.budgetMinutes * snapshotsPerMinute(t, opts.jobs));
    structures = structures.slice(0, Math.max(MIN_STRUCTURES, Math.min(structures.length, affordable)));
    log(`one SCF takes ${t.toFixed(1)} s; ${structures.length} structures fit ${opts.budgetMinutes} min on ${opts.jobs} processes`);
  }
  const labels = await labelMolecules(structures, atomShells, workDir, settings, { signal, onProgress: events.label });
  const failed = [...labels.failed].map(([index, reason]) => ({ index, reason }));
  for (const f of failed) log(`structure ${f.index} skipped: ${f.reason}`);
  const samples = [...labels.samples.keys()].sort((a, b) => a - b).map((k) => labels.samples.get(k)!);
  if (samples.length < MIN_STRUCTURES) throw new HamError('E_EXTERNAL_TOOL', `only ${samples.length} structures could be labelled (${failed.length} failed); at least ${MIN_STRUCTURES} are needed`);
  await writeMatrixStack(path.join(opts.outDir, 'dataset'), samples, { replace: true, orbitalOrder: 'psi4', meta: { method: 'PBE', basis: model.arch.basis, code: 'psi4', source: opts.name } });
  checkCompatible(model, samples, opts.name);

  const split = splitIndices(samples.length, { unit: 'fraction', val: VAL_FRACTION, test: 0 }, opts.seed);
  const trainSet = split.train.map((k) => samples[k]);
  const valSet = split.val.map((k) => samples[k]);
  const before = evaluate(model, valSet);
  log(`base model on ${valSet.length} held-out structures: H MAE ${before.mae_H.toExponential(3)} ${before.unit}`);

  const runDir = path.join(opts.outDir, 'run');
  const finished = path.join(runDir, 'model');
  const resume = existsSync(path.join(runDir, 'checkpoints', 'last', 'state.json'));
  // Finished = a budget or early stop was recorded in the last checkpoint (a cancel records nothing there).
  const lastState = path.join(runDir, 'checkpoints', 'last', 'state.json');
  const done = existsSync(path.join(finished, 'model.json')) && existsSync(lastState) && Boolean((JSON.parse(readFileSync(lastState, 'utf8')) as { stopped?: string }).stopped);
  const tunedDir = done ? finished : (await train(runDir, model.arch, {
    ...DEFAULT_TRAIN_SETTINGS, schedule: 'cosine', lr: 3e-4, warmupSteps: 5, batchSize: 4, seed: opts.seed,
    epochs: opts.epochs, minutes: opts.epochs === undefined ? (opts.minutes ?? 3) : undefined,
    init: opts.modelDir, freeze: opts.freeze ?? FREEZE_DEFAULT,
  }, { train: trainSet, val: valSet, description: { finetune: opts.name, labels: path.join(opts.outDir, 'dataset') } }, { log, epoch: (m) => log(`epoch ${m.epoch}: held-out H MAE ${m.valMae.toExponential(3)} ${m.unit}`), shouldStop: () => signal?.aborted ?? false }, resume)).modelDir;
  if (signal?.aborted) throw new HamError('E_CANCELLED', `fine-tuning cancelled; labels and finished epochs are kept in ${opts.outDir} (run the same command to resume)`);
  const tuned = loadModel(tunedDir);
  const after = evaluate(tuned.model, valSet);
  const improved = after.mae_H < before.mae_H;
  const modelOut = path.join(opts.outDir, 'model');
  if (improved) {
    await saveModel(modelOut, tuned.model, {
      ...tuned.info, name: `${base.info.name}-ft`, description: `${base.info.name} fine-tuned on ${opts.name} (${trainSet.length} psi4-labelled snapshots)`,
    });
  }
  log(`fine-tuned: H MAE ${after.mae_H.toExponential(3)} ${after.unit} — ${improved ? `better; model in ${modelOut}` : 'not better; the base model is kept'}`);
  const secondsPerScf = [...labels.seconds.values()].reduce((a, s) => a + s, 0) / Math.max(labels.seconds.size, 1);
  return {
    format: 'hamstudio-finetune-report', structure: opts.name, baseModel: base.info.name, labelled: samples.length, failed,
    secondsPerScf, train: trainSet.length, validation: valSet.length, before, after, improved,
    model: improved ? modelOut : null, run: runDir,
  };
}
