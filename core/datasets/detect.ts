/**
 * Which dataset layout a folder holds, decided from the files present (formats §2–3), like ASE's format
 * detection: the user points at a folder and never names the format.
 *
 *   matrix-stack   meta.json with format "hamstudio-matrix-stack"
 *   deeph-legacy   hamiltonians.h5 + orbital_types.dat (one structure), or a root whose sub-folders are such
 *   deeph-new      POSCAR + info.json + overlap.h5 (DeepH-dock, one structure), or a root of such folders, also
 *                  when the root is the `dft/` folder inside the one given
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import type { DatasetFormat } from './dataset.ts';
import { isDeephLegacyFolder } from './deeph-legacy.ts';
import { DEEPH_NEW_MARKERS, isDeephNewFolder } from './deeph-new.ts';
import { optionalFile, readJsonObject, subfolders } from './files.ts';
import { MATRIX_STACK_FORMAT } from './matrix-stack.ts';

export interface DetectedLayout {
  format: DatasetFormat;
  /** The folder holding the data (the `dft/` sub-folder when that is where a DeepH-dock root is). */
  dir: string;
  /** For DeepH roots: the structure folders, relative to `dir`, in name order; empty for a single folder. */
  folders: string[];
  /** Sub-folders of a DeepH root that hold no structure of the layout (reported, not read). */
  skipped: string[];
}

const LOOKED_FOR = [
  `meta.json with format "${MATRIX_STACK_FORMAT}" (matrix stack)`,
  'hamiltonians.h5 + orbital_types.dat (legacy DeepH folder)',
  `${DEEPH_NEW_MARKERS.join(' + ')} (DeepH-dock folder)`,
  'sub-folders holding either DeepH layout (dataset root)',
].join('; ');

function matrixStackFormat(dir: string): unknown {
  const meta = optionalFile(dir, 'meta.json');
  if (!meta) return undefined;
  return readJsonObject(meta).format;
}

function deephRoot(dir: string): DetectedLayout | undefined {
  const subs = subfolders(dir);
  const legacy = subs.filter((s) => isDeephLegacyFolder(path.join(dir, s)));
  const fresh = subs.filter((s) => isDeephNewFolder(path.join(dir, s)));
  if (legacy.length > 0 && fresh.length > 0) {
    throw new HamError('E_FORMAT', `sub-folders mix the legacy DeepH layout (${legacy[0]}, …) and the DeepH-dock layout (${fresh[0]}, …)`, { file: dir });
  }
  if (legacy.length > 0) return { format: 'deeph-legacy', dir, folders: legacy, skipped: subs.filter((s) => !legacy.includes(s)) };
  if (fresh.length > 0) return { format: 'deeph-new', dir, folders: fresh, skipped: subs.filter((s) => !fresh.includes(s)) };
  return undefined;
}

/** What is there but incomplete, to make the "nothing found" message actionable. */
function nearMisses(dir: string, metaFormat: unknown): string[] {
  const has = (f: string) => existsSync(path.join(dir, f));
  const notes: string[] = [];
  if (metaFormat !== undefined) notes.push(`meta.json has format ${JSON.stringify(metaFormat)}`);
  if (has('hamiltonians.h5') && !has('orbital_types.dat')) notes.push('hamiltonians.h5 is there but orbital_types.dat is not');
  if (has('orbital_types.dat') && !has('hamiltonians.h5')) notes.push('orbital_types.dat is there but hamiltonians.h5 is not');
  const fresh = DEEPH_NEW_MARKERS.filter(has);
  if (fresh.length > 0 && fresh.length < DEEPH_NEW_MARKERS.length) {
    notes.push(`${fresh.join(' and ')} ${fresh.length > 1 ? 'are' : 'is'} there but not ${DEEPH_NEW_MARKERS.filter((f) => !has(f)).join(' or ')}`);
  }
  return notes;
}

export function detectLayout(dir: string): DetectedLayout {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new HamError('E_NOT_FOUND', 'no such folder', { file: dir });
  }
  if (!isDir) throw new HamError('E_INPUT', 'is a file; give the dataset folder', { file: dir });

  const metaFormat = matrixStackFormat(dir);
  if (metaFormat === MATRIX_STACK_FORMAT) return { format: 'matrix-stack', dir, folders: [], skipped: [] };
  if (isDeephLegacyFolder(dir)) return { format: 'deeph-legacy', dir, folders: [], skipped: [] };
  if (isDeephNewFolder(dir)) return { format: 'deeph-new', dir, folders: [], skipped: [] };
  const root = deephRoot(dir);
  if (root) return root;
  const dft = path.join(dir, 'dft');
  if (existsSync(dft) && statSync(dft).isDirectory()) {
    const inner = deephRoot(dft);
    if (inner?.format === 'deeph-new') return inner;
  }
  const notes = nearMisses(dir, metaFormat);
  throw new HamError('E_FORMAT',
    `no dataset layout recognised. Looked for: ${LOOKED_FOR}.${notes.length ? ` Found: ${notes.join('; ')}.` : ''}`, { file: dir });
}
