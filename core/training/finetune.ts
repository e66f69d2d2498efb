/**
 * Guided fine-tuning of a model on the user's own structure (issue "Guided fine-tuning", issue 6 for crystals):
 * thermal snapshots of the structure (crystals: also strained), the most uncertain first → DFT labels, psi4 for
 * molecules and GPAW for crystals (timed on the first one to fit a time budget) → a held-out part for validation →
 * training from the model's weights with the early layers frozen (a crystal model keeps its overlap head and
 * electron count) → the base and the fine-tuned model compared on the held-out structures (H MAE; crystals also the
 * band MAE within ±2 eV of E_F). The fine-tuned model is published (outDir/model) only when its H MAE is lower. Every
 * stage keeps its work in outDir, so running the same command again resumes instead of recomputing.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { formatError } from '../contracts/units.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic-write.ts';
import { writeMatrixStack } from '../datasets/matrix-stack.ts';
import type { HamiltonianSample } from '../datasets/sample.ts';
import { splitIndices } from '../datasets/split.ts';
import { coupledAxes, gpawSettingsFor, gpawVersion, labelCrystals } from '../labelers/gpaw.ts';
import { jobDir, type LabelProgress, type PoolResult } from '../labelers/job-pool.ts';
import { labelMolecules, psi4Version } from '../labelers/psi4.ts';
import { thermalSnapshots } from '../labelers/sampling.ts';
import { mdSnapshots } from '../labelers/xtb-md.ts';
import { hasAnalyticOverlaps } from '../basis/library.ts';
import { loadModel, saveModel, type LoadedModel } from '../model/model-file.ts';
import type { HamiltonianModel } from '../model/hamiltonian-model.ts';
import { traceDisagreement } from '../model/uncertainty.ts';
import { readExtxyz, writeExtxyz } from '../structure/formats/extxyz.ts';
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
  /** 'md': xtb molecular dynamics at `temperature` (molecules); 'thermal': Gaussian displacements of `sigma` Å. */
  sampling: 'md' | 'thermal';
  temperature: number;
  sigma: number;
  /** Crystals: largest strain component (applied to half of the snapshots, as in the graphene set). */
  strain?: number;
  seed: number;
  /** DFT processes at once. */
  jobs: number;
  /** Crystals: GPAW's k-mesh and grid spacing (Å) instead of those of the model's training data. */
  kmesh?: [number, number, number];
  h?: number;
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
  /** The DFT code and version that labelled the snapshots, and its parameters. */
  labeler: string;
  dft: Record<string, unknown>;
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

/** DFT processes a fine-tuning runs at once by default (one thread each). */
export const DEFAULT_LABEL_JOBS = 2;

/** Snapshots labelled per minute by `jobs` processes when one SCF takes `seconds`. */
export const snapshotsPerMinute = (seconds: number, jobs: number) => (60 * jobs) / Math.max(seconds, 1e-3);

const FREEZE_DEFAULT = ['embed', 'edge_embed', 'layer0/'];
const VAL_FRACTION = 0.25;
const MIN_STRUCTURES = 4;
/** Graph edges per training batch of crystal cells: 2 cells of 3×3 graphene (~2100 edges) train on wasm, 4 do not. */
const TRAIN_EDGES = 2500;
/** Snapshots generated per snapshot labelled, to choose the most uncertain from. */
const POOL_FACTOR = 3;

/**
 * The candidates of this fine-tuning folder, most uncertain first: POOL_FACTOR × count snapshots ranked by the
 * model's trace disagreement (uncertainty.ts; plain order for a model without a trace head), the top `count`
 * kept. Made once and saved (extended XYZ, with the cell of a crystal and the score), then read back so a rerun
 * labels the same structures.
 */
function candidates(opts: FinetuneOptions, model: HamiltonianModel, log: (line: string) => void): Structure[] {
  const file = path.join(opts.outDir, 'candidates.extxyz');
  if (existsSync(file)) return readExtxyz(readFileSync(file, 'utf8'), file);
  const size = POOL_FACTOR * opts.count;
  const crystal = isPeriodic(opts.structure);
  const strain = crystal && opts.strain ? { max: opts.strain, axes: coupledAxes(opts.structure, model.arch.cutoff) } : undefined;
  const pool = opts.sampling === 'md' ? mdSnapshots(opts.structure, size, opts.temperature) : thermalSnapshots(opts.structure, size, opts.sigma, opts.seed, strain);
  log(`${size} candidate snapshots from ${opts.sampling === 'md' ? `xtb MD at ${opts.temperature} K` : `thermal displacements of σ = ${opts.sigma} Å${strain ? `, half of them strained by up to ${opts.strain}` : ''}`}`);
  const scores = model.arch.arch === 'baseline' ? pool.map(() => 0) : traceDisagreement(model, pool);
  const ranked = pool.map((s, k) => ({ s, score: scores[k] })).sort((a, b) => b.score - a.score).slice(0, opts.count);
  if (model.arch.arch !== 'baseline') log(`ranked ${pool.length} snapshots by trace disagreement; labelling the ${ranked.length} most uncertain (${ranked[0].score.toFixed(3)} … ${ranked[ranked.length - 1].score.toFixed(3)})`);
  const made = ranked.map(({ s, score }) => ({ ...s, info: { uncertainty: score } }));
  writeFileAtomic(file, writeExtxyz(made));
  return made;
}

/** How one fine-tuning labels its snapshots: psi4 for molecules, GPAW for crystals, and where the labels go. */
export interface Labeler {
  /** The code and its version, e.g. "psi4 1.3.2". */
  name: string;
  /** Method and basis in a few words, e.g. "PBE/def2-SVP" or "LCAO dzp, PBE". */
  method: string;
  dft: Record<string, unknown>;
  label: (structures: Structure[], opts: { signal?: AbortSignal; onProgress?: (p: LabelProgress) => void }) => Promise<PoolResult<HamiltonianSample>>;
  /** Writes outDir/dataset from the labelled jobs. */
  save: (labels: PoolResult<HamiltonianSample>, samples: HamiltonianSample[]) => Promise<void>;
}

/** What choosing and running a labeler needs of the fine-tuning's options (the app's cost estimate uses it too). */
export type LabelerOptions = Pick<FinetuneOptions, 'structure' | 'name' | 'modelDir' | 'outDir' | 'jobs' | 'kmesh' | 'h'>;

export function labelerFor(opts: LabelerOptions, base: LoadedModel, workDir: string, log: (line: string) => void): Labeler {
  const { model } = base;
  const datasetDir = path.join(opts.outDir, 'dataset');
  if (isPeriodic(opts.structure)) {
    if (hasAnalyticOverlaps(model.arch)) throw new HamError('E_INPUT', `the model's basis ${model.arch.basis} is a Gaussian basis for molecules; crystals are labelled with GPAW's LCAO basis of a crystal model (e.g. graphene-dzp)`, { file: opts.modelDir });
    const { settings, source } = gpawSettingsFor(model.arch.basis, base.info, opts.structure, model.arch.cutoff, opts.jobs, { kmesh: opts.kmesh, h: opts.h });
    const name = `GPAW ${gpawVersion()}`;
    const dft = { basis: settings.basis, xc: settings.xc, kmesh: settings.kmesh, occupations: `Fermi-Dirac ${settings.width} eV`, ...settings.grid };
    log(`${name} LCAO ${settings.basis}, ${settings.xc}, Γ-centred ${settings.kmesh.join('×')} k-mesh, Fermi–Dirac ${settings.width} eV, grid ${'h' in settings.grid ? `h = ${settings.grid.h.toFixed(3)} Å` : settings.grid.gpts.join('×')} (from ${source})`);
    return {
      name, dft, method: `LCAO ${settings.basis}, ${settings.xc}`,
      label: (structures, o) => labelCrystals(structures, workDir, settings, o),
      // The labels are legacy DeepH folders already: the dataset is a copy of them, one sub-folder per structure.
      save: (labels) => writeDirectoryAtomic(datasetDir, (tmp) => {
        for (const k of [...labels.samples.keys()].sort((a, b) => a - b)) cpSync(path.join(jobDir(workDir, k), 'out'), path.join(tmp, String(k).padStart(4, '0')), { recursive: true });
      }, { replace: true }),
    };
  }
  if (!hasAnalyticOverlaps(model.arch)) throw new HamError('E_INPUT', `the model's basis ${model.arch.basis} is not a Gaussian basis psi4 can label`, { file: opts.modelDir });
  const atomShells = model.atomShells(opts.structure.numbers);
  const settings = { functional: 'pbe', basis: model.arch.basis.toLowerCase(), jobs: opts.jobs };
  const name = `psi4 ${psi4Version()}`;
  log(`${name}; model ${base.info.name} (${model.arch.basis}, ${model.arch.unit})`);
  return {
    name, dft: { functional: settings.functional, basis: settings.basis }, method: `PBE/${model.arch.basis}`,
    label: (structures, o) => labelMolecules(structures, atomShells, workDir, settings, o),
    save: (_, samples) => writeMatrixStack(datasetDir, samples, { replace: true, orbitalOrder: 'psi4', meta: { method: 'PBE', basis: model.arch.basis, code: 'psi4', source: opts.name } }),
  };
}

const summary = (e: EvaluationResult) =>
  `H MAE ${formatError(e.mae_H, e.unit)}${e.mae_bands !== undefined ? `, band MAE ±2 eV of E_F ${formatError(e.mae_bands, 'eV')}` : ''}`;

export async function finetune(opts: FinetuneOptions, events: FinetuneEvents = {}, signal?: AbortSignal): Promise<FinetuneReport> {
  const log = events.log ?? (() => {});
  const base = loadModel(opts.modelDir);
  const { model } = base;
  model.atomShells(opts.structure.numbers); // every element covered, before any DFT
  const workDir = path.join(opts.outDir, 'labels');
  const labeler = labelerFor(opts, base, workDir, log);

  let structures = candidates(opts, model, log);
  if (opts.budgetMinutes !== undefined) {
    // Time one SCF (or read its time when resuming), then keep as many structures as the budget allows.
    const first = await labeler.label(structures.slice(0, 1), { signal });
    const t = first.seconds.get(0);
    if (t === undefined) throw new HamError('E_EXTERNAL_TOOL', `${labeler.name} failed on the first structure: ${first.failed.get(0)}`, { file: jobDir(workDir, 0) });
    const affordable = Math.floor(opts.budgetMinutes * snapshotsPerMinute(t, opts.jobs));
    structures = structures.slice(0, Math.max(MIN_STRUCTURES, Math.min(structures.length, affordable)));
    log(`one SCF takes ${t.toFixed(1)} s; ${structures.length} structures fit ${opts.budgetMinutes} min on ${opts.jobs} processes`);
  }
  const labels = await labeler.label(structures, { signal, onProgress: events.label });
  const failed = [...labels.failed].map(([index, reason]) => ({ index, reason }));
  for (const f of failed) log(`structure ${f.index} skipped: ${f.reason}`);
  const samples = [...labels.samples.keys()].sort((a, b) => a - b).map((k) => labels.samples.get(k)!);
  if (samples.length < MIN_STRUCTURES) throw new HamError('E_EXTERNAL_TOOL', `only ${samples.length} structures could be labelled (${failed.length} failed${failed.length ? `, e.g. ${failed[0].reason}` : ''}); at least ${MIN_STRUCTURES} are needed`);
  await labeler.save(labels, samples);
  checkCompatible(model, samples, opts.name);

  const split = splitIndices(samples.length, { unit: 'fraction', val: VAL_FRACTION, test: 0 }, opts.seed);
  const trainSet = split.train.map((k) => samples[k]);
  const valSet = split.val.map((k) => samples[k]);
  const before = evaluate(model, valSet);
  log(`base model on ${valSet.length} held-out structures: ${summary(before)}`);

  const runDir = path.join(opts.outDir, 'run');
  const finished = path.join(runDir, 'model');
  const resume = existsSync(path.join(runDir, 'checkpoints', 'last', 'state.json'));
  if (!resume) rmSync(runDir, { recursive: true, force: true }); // stopped before its first epoch: nothing to keep
  // A batch of 4 molecules; crystal cells as many as fit TRAIN_EDGES (4 cells of 3×3 graphene ran out of wasm memory).
  const edges = model.graph(trainSet[0].structure, { frames: false }).src.length;
  const batchSize = isPeriodic(opts.structure) ? Math.max(1, Math.min(4, Math.floor(TRAIN_EDGES / edges))) : 4;
  // Finished = a budget or early stop was recorded in the last checkpoint (a cancel records nothing there).
  const lastState = path.join(runDir, 'checkpoints', 'last', 'state.json');
  const done = existsSync(path.join(finished, 'model.json')) && existsSync(lastState) && Boolean((JSON.parse(readFileSync(lastState, 'utf8')) as { stopped?: string }).stopped);
  const tunedDir = done ? finished : (await train(runDir, model.arch, {
    ...DEFAULT_TRAIN_SETTINGS, schedule: 'cosine', lr: 3e-4, warmupSteps: 5, batchSize, seed: opts.seed,
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
      ...tuned.info, name: `${base.info.name}-ft`, description: `${base.info.name} fine-tuned on ${opts.name} (${trainSet.length} snapshots labelled with ${labeler.name})`,
    });
  }
  log(`fine-tuned: ${summary(after)} — ${improved ? `better; model in ${modelOut}` : 'not better; the base model is kept'}`);
  const secondsPerScf = [...labels.seconds.values()].reduce((a, s) => a + s, 0) / Math.max(labels.seconds.size, 1);
  return {
    format: 'hamstudio-finetune-report', structure: opts.name, baseModel: base.info.name, labeler: labeler.name, dft: labeler.dft, labelled: samples.length, failed,
    secondsPerScf, train: trainSet.length, validation: valSet.length, before, after, improved,
    model: improved ? modelOut : null, run: runDir,
  };
}
