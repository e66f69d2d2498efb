/** Load any supported dataset folder: detect its layout, read every structure, return the samples (wiki order). */
import path from 'node:path';
import type { OrbitalConvention } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import type { HamiltonianDataset } from './dataset.ts';
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

  const rootName = path.basename(path.resolve(layout.dir));
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
    const full = path.join(layout.dir, folder);
    const id = folder === '.' ? rootName : `${rootName}/${folder}`;
    if (layout.format === 'deeph-legacy') {
      const s = await readDeephLegacyFolder(full, id);
      samples.push(s.sample);
      orders.add(s.orbitalOrder);
      infos.push(s.info);
    } else {
      const s = await readDeephNewFolder(full, id);
      samples.push(s.sample);
      orders.add('deeph');
      infos.push(s.info);
    }
    opts.onFolder?.(k + 1, folders.length);
  }
  const rootMeta = layout.folders.length > 0 ? optionalFile(layout.dir, 'meta.json') : undefined;
  const metadata = rootMeta ? readJsonObject(rootMeta) : infos[0];
  const basis = [metadata.basis, infos[0]?.basis].find((b): b is string => typeof b === 'string');
  return { path: dir, format: layout.format, fileOrbitalOrders: [...orders], unit: 'eV', basis, samples, metadata, layout };
}
