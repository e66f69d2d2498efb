/**
 * The export service behind `hamstudio export` and the app's export action: read a source folder, check that the
 * format can hold it and the order is allowed, then write the format's files into a temporary folder renamed to
 * `out` in one step (DESIGN.md §9). Every refusal happens before anything is written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isOrbitalConvention, ORBITAL_CONVENTIONS, type OrbitalConvention } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import { writeDirectoryAtomic } from '../io/atomic-write.ts';
import type { ExportFormat } from './format.ts';
import { exportFormat } from './registry.ts';
import { readExportSource, type ExportSource, type StructureKind } from './source.ts';

export interface ExportRequest {
  /** A `hamstudio predict` folder or a legacy DeepH folder. */
  source: string;
  format: string;
  /** The folder to create. */
  out: string;
  /** Orbital order, for formats that let the user choose. */
  order?: string;
  /** Replace `out` when it exists and is not empty. */
  force?: boolean;
}

export interface ExportResult {
  format: string;
  kind: StructureKind;
  order: OrbitalConvention;
  out: string;
  files: string[];
}

function resolveOrder(format: ExportFormat, source: ExportSource, requested: OrbitalConvention | undefined): OrbitalConvention {
  if ('fixed' in format.order) {
    if (requested && requested !== format.order.fixed) {
      throw new HamError('E_INPUT', `the ${format.name} export is always in ${format.order.fixed} order; --order ${requested} does not apply`);
    }
    return format.order.fixed;
  }
  return requested ?? format.order.choose(source);
}

function checkTarget(out: string, source: string, force: boolean): void {
  const inside = path.relative(out, source);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) {
    throw new HamError('E_INPUT', 'the output folder would replace the source folder; choose another --out', { file: out });
  }
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new HamError('E_INPUT', 'exists and is not a folder', { file: out });
  if (!force && readdirSync(out).length > 0) {
    throw new HamError('E_INPUT', 'folder exists and is not empty; choose another --out or replace it with --force', { file: out });
  }
}

export async function exportHamiltonian(req: ExportRequest): Promise<ExportResult> {
  exportFormat(req.format);
  const out = path.resolve(req.out);
  checkTarget(out, path.resolve(req.source), req.force ?? false);
  return exportSource(await readExportSource(req.source), req.format, out, req.order);
}

/** Write `source` in `formatName` into the folder `out` (created or replaced in one rename). */
export async function exportSource(source: ExportSource, formatName: string, out: string, requestedOrder?: string): Promise<ExportResult> {
  const format = exportFormat(formatName);
  if (requestedOrder !== undefined && !isOrbitalConvention(requestedOrder)) {
    throw new HamError('E_INPUT', `unknown orbital order '${requestedOrder}'; known: ${ORBITAL_CONVENTIONS.join(', ')}`);
  }
  if (!format.kinds.includes(source.kind)) {
    throw new HamError('E_INPUT', `the ${format.name} export holds ${format.kinds.join(' or ')} data, and this source is a ${source.kind}`, { file: source.origin });
  }
  const order = resolveOrder(format, source, requestedOrder as OrbitalConvention | undefined);
  let files: string[] = [];
  await writeDirectoryAtomic(out, async (tmp) => {
    files = await format.write(source, tmp, order);
  }, { replace: true });
  return { format: format.name, kind: source.kind, order, out, files };
}
