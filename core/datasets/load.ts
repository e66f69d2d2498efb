/** Load any supported dataset folder: detect its layout, read every structure, return the samples (wiki order). */
import path from 'node:path';
import type { OrbitalConvention } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import type { DatasetFormat, HamiltonianDataset } from './dataset.ts';
import { readDeephLegacyFolder } from './deeph-legacy.ts';
import { readDeephNewFolder } from './deeph-new.ts';
import { detectLayout, type DetectedLayout } from './detect.ts';
import { optionalFile, readJsonObject } from './files.ts';
import { readMatrixStack } from './matrix-stack.ts';
import type { HamiltonianSample } from './sample.ts';

export interface LoadOptions {
  /** Read only the first `limit` structure folders of a DeepH root (all structures of a matrix stack). */
  limit?: number;
  /** Structure folders of a DeepH root to leave out (e.g. a pristine cell kept apart for band checks). */
  exclude?: readonly string[];
  /** Called after each structure folder of a DeepH root, e.g. for a progress line. */
  onFolder?: (done: number, total: number) => void;
}

/** A dataset with what detection found (the data folder, structure folders read and skipped). */
export interface LoadedDataset extends HamiltonianDataset {
  layout: DetectedLayout;
}

export async function loadDataset(dir: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const layout = detectLayout(dir);
  if (layout.format === 'matrix-stack') return { ...readMatrixStack(layout.dir), path: dir, layout };

  const exclude = new Set(opts.exclude ?? []);
  for (const name of exclude) {
    if (!layout.folders.includes(name)) throw new HamError('E_INPUT', `cannot exclude '${name}': not a structure folder of this dataset`, { file: dir });
  }
  const kept = layout.folders.filter((f) => !exclude.has(f));
  const folders = layout.folders.length > 0 ? kept.slice(0, opts.limit ?? kept.length) : ['.'];
  const samples: HamiltonianSample[] = [];
  const orders = new Set<OrbitalConvention>();
  const infos: Record<string, unknown>[] = [];
  for (const [k, folder] of folders.entries()) {
    const s = await readStructureFolder(layout, folder);
    samples.push(s.sample);
    orders.add(s.order);
    infos.push(s.info);
    opts.onFolder?.(k + 1, folders.length);
  }
  const rootMeta = layout.folders.length > 0 ? optionalFile(layout.dir, 'meta.json') : undefined;
  const metadata = rootMeta ? readJsonObject(rootMeta) : infos[0];
  const basis = [metadata.basis, infos[0]?.basis].find((b): b is string => typeof b === 'string');
  return { path: dir, format: layout.format, fileOrbitalOrders: [...orders], unit: 'eV', basis, samples, metadata, layout };
}

/** One structure folder of a DeepH layout ('.' for the folder itself), its id "root/folder" or "root". */
async function readStructureFolder(layout: DetectedLayout, folder: string): Promise<{ sample: HamiltonianSample; order: OrbitalConvention; info: Record<string, unknown> }> {
  const rootName = path.basename(path.resolve(layout.dir));
  const full = path.join(layout.dir, folder);
  const id = folder === '.' ? rootName : `${rootName}/${folder}`;
  if (layout.format === 'deeph-legacy') {
    const s = await readDeephLegacyFolder(full, id);
    return { sample: s.sample, order: s.orbitalOrder, info: s.info };
  }
  const s = await readDeephNewFolder(full, id);
  return { sample: s.sample, order: 'deeph', info: s.info };
}

const infoBasis = (info: Record<string, unknown>) => (typeof info.basis === 'string' ? info.basis : undefined);

/** One labelled structure of a dataset folder and what the files say of it. */
export interface LoadedStructure {
  sample: HamiltonianSample;
  format: DatasetFormat;
  /** Basis-set name when the files say it. */
  basis?: string;
}

/**
 * One structure of a dataset folder: a single DeepH structure folder (no index, or 0), or structure `index` of a
 * matrix stack (its conformers) or of a DeepH root (its structure folders in name order). Only that structure's
 * files are read from a root.
 */
export async function loadStructureSample(dir: string, index?: number): Promise<LoadedStructure> {
  const layout = detectLayout(dir);
  const pick = (count: number, what: string): number => {
    if (index === undefined) {
      if (count === 1) return 0;
      throw new HamError('E_INPUT', `${what} of ${count} structures: give a structure index from 0 to ${count - 1}`, { file: dir, key: 'index' });
    }
    if (index >= count) throw new HamError('E_INPUT', `no structure ${index}: ${what} holds ${count} (indices 0 to ${count - 1})`, { file: dir, key: 'index' });
    return index;
  };
  if (layout.format === 'matrix-stack') {
    const ds = readMatrixStack(layout.dir);
    return { sample: ds.samples[pick(ds.samples.length, 'a matrix stack')], format: layout.format, basis: ds.basis };
  }
  if (layout.folders.length > 0) {
    const s = await readStructureFolder(layout, layout.folders[pick(layout.folders.length, 'a dataset root')]);
    return { sample: s.sample, format: layout.format, basis: infoBasis(s.info) };
  }
  pick(1, 'a structure folder');
  const s = await readStructureFolder(layout, '.');
  // Named with its parent ("graphene-3x3-pbe-dzp/pristine"), as a structure of a root is.
  const full = path.resolve(layout.dir);
  return { sample: { ...s.sample, id: `${path.basename(path.dirname(full))}/${path.basename(full)}` }, format: layout.format, basis: infoBasis(s.info) };
}
