/**
 * From dataset folders to what a run trains on: the samples, a deterministic validation split (or a separate
 * validation dataset), and the architecture fields the data fix — elements, shells per element, energy unit, basis
 * and the mean neighbour count within the cutoff.
 */
import { createHash } from 'node:crypto';
import { detectLayout } from '../datasets/detect.ts';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { loadDataset, type LoadedDataset } from '../datasets/load.ts';
import type { HamiltonianSample } from '../datasets/sample.ts';
import { splitIndices } from '../datasets/split.ts';
import { elementSymbol } from '../structure/elements.ts';
import { neighborList } from '../structure/neighbors.ts';
import type { Architecture } from '../model/architecture.ts';
import type { TrainData } from './trainer.ts';

export interface DataFields {
  elements: number[];
  shells: Record<string, number[]>;
  unit: EnergyUnit;
  basis: string;
}

/** Elements, shells, unit and basis shared by all samples; a clear error when datasets disagree. */
export function dataFields(datasets: readonly LoadedDataset[]): DataFields {
  const shells: Record<string, number[]> = {};
  const unit = datasets[0].unit;
  for (const ds of datasets) {
    if (ds.unit !== unit) throw new HamError('E_BASIS_MISMATCH', `${ds.path} is in ${ds.unit}, ${datasets[0].path} in ${unit}: a model predicts in one unit`);
    for (const s of ds.samples) {
      s.structure.numbers.forEach((z, a) => {
        const ls = s.atomShells[a];
        const known = shells[z];
        if (!known) shells[z] = [...ls];
        else if (known.join(',') !== ls.join(',')) {
          throw new HamError('E_BASIS_MISMATCH', `${s.id}: ${elementSymbol(z)} has shells l = [${ls}] here but [${known}] elsewhere: datasets must share one basis`);
        }
      });
    }
  }
  const bases = [...new Set(datasets.map((d) => d.basis ?? 'unknown'))];
  return { elements: Object.keys(shells).map(Number).sort((a, b) => a - b), shells, unit, basis: bases.join(' + ') };
}

/** Mean number of neighbours per atom within the cutoff, the scale for summed messages. */
export function meanNeighbors(samples: readonly HamiltonianSample[], cutoff: number): number {
  let edges = 0;
  let atoms = 0;
  for (const s of samples) {
    edges += neighborList(s.structure, cutoff).i.length;
    atoms += s.structure.numbers.length;
  }
  return atoms > 0 ? Math.max(edges / atoms, 1) : 1;
}

function datasetHash(ds: LoadedDataset): string {
  const h = createHash('sha256');
  for (const s of ds.samples) h.update(new Uint8Array(s.blocks.H.buffer, s.blocks.H.byteOffset, s.blocks.H.byteLength));
  return h.digest('hex').slice(0, 16);
}

export interface DataRequest {
  data: string[];
  val?: string[];
  /** Fraction of each --data dataset held out for validation when no --val is given. */
  valFraction: number;
  seed: number;
  /** Structure folders of the --data DeepH roots to leave out of training and validation. */
  exclude?: string[];
  /**
   * Validation splits to keep, found by dataset content hash: a warm start (--init) holds out what its model held
   * out, since a new split would validate on structures that model trained on.
   */
  keepSplits?: RecordedSplit[];
}

/** The validation split a training recorded for one dataset (indices after its --exclude). */
export interface RecordedSplit {
  sha256_16: string;
  seed: number;
  valFraction: number;
  val: number[];
}

/** Every split a model's training recorded (its `training` record in model.json). */
export function recordedSplits(training: Record<string, unknown> | undefined): RecordedSplit[] {
  const datasets = (training?.data as { datasets?: { sha256_16: string; split?: Omit<RecordedSplit, 'sha256_16'> }[] } | undefined)?.datasets ?? [];
  return datasets.flatMap((d) => (d.split ? [{ sha256_16: d.sha256_16, seed: d.split.seed, valFraction: d.split.valFraction, val: d.split.val }] : []));
}

/**
 * The --exclude folders each --data root holds. A name need only be in one root: the reference graphene set's
 * pristine cell is left out while a further set, which has none, trains alongside it.
 */
export function rootExcludes(data: readonly string[], exclude: readonly string[] = []): string[][] {
  const per = data.map((d) => {
    const { folders } = detectLayout(d);
    return exclude.filter((name) => folders.includes(name));
  });
  for (const name of exclude) {
    if (!per.some((names) => names.includes(name))) throw new HamError('E_INPUT', `cannot exclude '${name}': not a structure folder of any --data dataset`, { key: 'exclude' });
  }
  return per;
}

export async function loadTrainingData(req: DataRequest): Promise<{ data: TrainData; fields: DataFields }> {
  const excludes = rootExcludes(req.data, req.exclude);
  const trainSets = await Promise.all(req.data.map((d, k) => loadDataset(d, { exclude: excludes[k] })));
  const valSets = await Promise.all((req.val ?? []).map((d) => loadDataset(d)));
  const fields = dataFields([...trainSets, ...valSets]);
  const train: HamiltonianSample[] = [];
  const val: HamiltonianSample[] = [];
  const described = trainSets.map((ds, k) => {
    if (valSets.length > 0) {
      train.push(...ds.samples);
      return { path: ds.path, format: ds.format, structures: ds.samples.length, sha256_16: datasetHash(ds), role: 'train' };
    }
    const hash = datasetHash(ds);
    const kept = req.keepSplits?.find((r) => r.sha256_16 === hash);
    const held = new Set(kept?.val);
    const split = kept
      ? { val: kept.val, train: ds.samples.map((_, i) => i).filter((i) => !held.has(i)) }
      : splitIndices(ds.samples.length, { unit: 'fraction', val: req.valFraction, test: 0 }, req.seed);
    train.push(...split.train.map((k) => ds.samples[k]));
    val.push(...split.val.map((k) => ds.samples[k]));
    return {
      path: ds.path, format: ds.format, structures: ds.samples.length, sha256_16: hash, ...(excludes[k].length ? { exclude: excludes[k] } : {}),
      role: 'train+val', split: kept ? { seed: kept.seed, valFraction: kept.valFraction, val: kept.val, kept: true } : { seed: req.seed, valFraction: req.valFraction, val: split.val },
    };
  });
  for (const ds of valSets) val.push(...ds.samples);
  if (train.length === 0) throw new HamError('E_INPUT', 'no training structures');
  if (val.length === 0) throw new HamError('E_INPUT', 'no validation structures: give --val or a --val-fraction that leaves at least one');
  return {
    data: { train, val, description: { datasets: described, validation: valSets.map((d) => ({ path: d.path, structures: d.samples.length, sha256_16: datasetHash(d) })) } },
    fields,
  };
}

/**
 * The structures of `ds` a model trained on and those it held out for validation, from the split its training
 * recorded for that dataset (found by content hash, so the path may differ). A dataset the model never saw is
 * refused; one it only validated on is all held out.
 */
export function recordedSplit(training: Record<string, unknown> | undefined, ds: LoadedDataset): { train: HamiltonianSample[]; heldOut: HamiltonianSample[] } {
  type Described = { sha256_16: string; role: string; exclude?: string[]; split?: { val: number[] } };
  const data = training?.data as { datasets?: Described[]; validation?: Described[] } | undefined;
  const hash = datasetHash(ds);
  if (data?.validation?.some((d) => d.sha256_16 === hash)) return { train: [], heldOut: ds.samples };
  const entry = data?.datasets?.find((d) => d.sha256_16 === hash);
  if (!entry) {
    // A split is recorded for the dataset the training loaded, i.e. after its --exclude: the same folders must go.
    const excluded = data?.datasets?.find((d) => d.exclude?.length)?.exclude;
    const hint = excluded ? `; it trained on a dataset without ${excluded.join(', ')}: add ${excluded.map((f) => `--exclude ${f}`).join(' ')}` : '; if its training left folders out (--exclude), leave out the same ones';
    throw new HamError('E_INPUT', `the model records no held-out split of this dataset (it was not trained on these structures${hint})`, { file: ds.path });
  }
  const val = new Set(entry.split?.val ?? []);
  return { train: ds.samples.filter((_, k) => !val.has(k)), heldOut: ds.samples.filter((_, k) => val.has(k)) };
}

/** The structures of `ds` a model was validated on (`hamstudio eval --held-out`); see recordedSplit. */
export function heldOutSamples(training: Record<string, unknown> | undefined, ds: LoadedDataset): HamiltonianSample[] {
  const { heldOut } = recordedSplit(training, ds);
  if (heldOut.length === 0) throw new HamError('E_INPUT', 'the model was trained on every structure of this dataset: nothing of it is held out', { file: ds.path });
  return heldOut;
}

/** The architecture for a new run: defaults, overridden by the config file, completed from the data. */
export function resolveArchitecture(base: Omit<Architecture, 'elements' | 'shells' | 'basis' | 'unit' | 'avgNeighbors'>, fields: DataFields, train: readonly HamiltonianSample[]): Architecture {
  return { ...base, ...fields, avgNeighbors: meanNeighbors(train, base.cutoff) };
}
