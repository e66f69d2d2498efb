/**
 * Model folders (DESIGN.md §6): `model.json` (architecture, elements and shells, orbital convention, units,
 * normalisation, training provenance, validation metrics, software version) and `weights.bin` (float32,
 * little-endian, parameters concatenated in model.json's order). Written to a temporary folder and renamed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic-write.ts';
import { softwareVersion } from '../runtime/version.ts';
import { validateArchitecture, type Architecture } from './architecture.ts';
import { HamiltonianModel } from './hamiltonian-model.ts';
import type { TypeNormalization } from './normalization.ts';
import type { TwoCenterOverlap } from './two-center-overlap.ts';

export const MODEL_FORMAT = 'hamstudio-model';

/** Provenance and results stored with a model (free-form beyond these keys). */
export interface ModelInfo {
  name: string;
  description?: string;
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

interface ModelJson extends ModelInfo {
  format: typeof MODEL_FORMAT;
  version: 1;
  software: string;
  orbitalConvention: 'wiki';
  architecture: Architecture;
  normalization: Record<string, { coefMean: number[]; coefStd: number[]; traceMean: number[]; traceStd: number[]; count: number }>;
  parameters: { file: string; sha256: string; names: string[]; shapes: number[][] };
  /** The S(R) head (two-centre-overlap.ts) of models without analytic overlaps. */
  overlap?: TwoCenterOverlap;
  valenceElectrons?: Record<string, number>;
}

const toArrays = (n: TypeNormalization) => ({
  coefMean: [...n.coefMean], coefStd: [...n.coefStd], traceMean: [...n.traceMean], traceStd: [...n.traceStd], count: n.count,
});

/** Write model.json + weights.bin into `dir` (files written atomically; dir created). */
export function writeModelFiles(dir: string, model: HamiltonianModel, info: ModelInfo): void {
  const s = model.params.serialize();
  const bytes = new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  const json: ModelJson = {
    format: MODEL_FORMAT,
    version: 1,
    software: softwareVersion(),
    ...info,
    orbitalConvention: 'wiki',
    architecture: model.arch,
    normalization: Object.fromEntries([...model.normalization].map(([k, n]) => [k, toArrays(n)])),
    parameters: { file: 'weights.bin', sha256: createHash('sha256').update(bytes).digest('hex'), names: s.names, shapes: s.shapes },
    overlap: model.overlap,
    valenceElectrons: model.valenceElectrons,
  };
  writeFileAtomic(path.join(dir, 'weights.bin'), bytes);
  writeFileAtomic(path.join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
}

/** Save a model as a new folder, published in one rename. */
export async function saveModel(dir: string, model: HamiltonianModel, info: ModelInfo, replace = true): Promise<void> {
  await writeDirectoryAtomic(dir, (tmp) => writeModelFiles(tmp, model, info), { replace });
}

export interface LoadedModel {
  model: HamiltonianModel;
  info: ModelInfo;
  dir: string;
}

export function loadModel(dir: string): LoadedModel {
  const file = path.join(dir, 'model.json');
  if (!existsSync(file)) throw new HamError('E_NOT_FOUND', `no model.json in ${dir}`, { file: dir });
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  } catch (e) {
    throw new HamError('E_FORMAT', `not valid JSON: ${(e as Error).message}`, { file });
  }
  if (json.format !== MODEL_FORMAT) throw new HamError('E_FORMAT', `format must be '${MODEL_FORMAT}'`, { file, key: 'format' });
  const arch = validateArchitecture(json.architecture, file);
  const normalization = new Map<string, TypeNormalization>(Object.entries(json.normalization ?? {}).map(([k, n]) => [k, {
    coefMean: Float64Array.from(n.coefMean), coefStd: Float64Array.from(n.coefStd),
    traceMean: Float64Array.from(n.traceMean), traceStd: Float64Array.from(n.traceStd), count: n.count,
  }]));
  const model = new HamiltonianModel(arch, normalization);
  for (const key of model.types.keys()) {
    if (!normalization.has(key)) throw new HamError('E_FORMAT', `no normalisation for block type ${key}`, { file, key: 'normalization' });
  }
  const weightsFile = path.join(dir, json.parameters.file);
  if (!existsSync(weightsFile)) throw new HamError('E_NOT_FOUND', `weights file missing`, { file: weightsFile });
  const buf = readFileSync(weightsFile);
  if (createHash('sha256').update(buf).digest('hex') !== json.parameters.sha256) {
    throw new HamError('E_FORMAT', 'weights do not match the checksum in model.json (file damaged or replaced)', { file: weightsFile });
  }
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  model.params.load({ names: json.parameters.names, shapes: json.parameters.shapes, data }, weightsFile);
  if (json.overlap !== undefined) {
    if (json.overlap?.kind !== 'two-center') throw new HamError('E_FORMAT', `overlap.kind must be 'two-center'`, { file, key: 'overlap.kind' });
    model.overlap = json.overlap;
  }
  if (json.valenceElectrons !== undefined) {
    for (const [z, v] of Object.entries(json.valenceElectrons)) {
      if (!Number.isInteger(v) || v < 0) throw new HamError('E_FORMAT', `must be a non-negative integer, got ${v}`, { file, key: `valenceElectrons.${z}` });
    }
    model.valenceElectrons = json.valenceElectrons;
  }
  const { name, description, training, metrics } = json;
  return { model, info: { name, description, training, metrics }, dir };
}
