/**
 * The app's export action: the formats of the registry (core/export/registry.ts) and an export of the opened
 * structure's prediction. The files are written by the same writers as `hamstudio export`, into a temporary folder,
 * and returned to the renderer, which saves them where the user chooses (a save dialog in Electron, the browser's
 * download in browser mode) — the app itself writes nowhere the user did not pick.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ORBITAL_CONVENTIONS } from '../basis/conventions.ts';
import type { ExportedPrediction, ExportFormatSummary, ExportPredictionRequest } from '../contracts/api.ts';
import { exportSource } from '../export/service.ts';
import { EXPORT_FORMATS } from '../export/registry.ts';
import type { PredictionStore } from './prediction-store.ts';

export function listExportFormats(): ExportFormatSummary[] {
  return EXPORT_FORMATS.map((f) => ({
    name: f.name, summary: f.summary, kinds: [...f.kinds],
    orders: 'fixed' in f.order ? null : [...ORBITAL_CONVENTIONS],
    defaultOrder: 'fixed' in f.order ? f.order.fixed : null,
  }));
}

export async function exportPrediction(store: PredictionStore, req: ExportPredictionRequest): Promise<ExportedPrediction> {
  const source = store.get(req.structureId);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-export-'));
  try {
    const out = path.join(dir, 'export');
    const r = await exportSource(source, req.format, out, req.order);
    return {
      format: r.format, order: r.order,
      files: r.files.map((name) => {
        const bytes = readFileSync(path.join(out, name));
        return { name, bytes: bytes.length, base64: bytes.toString('base64') };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
