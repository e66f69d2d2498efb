/**
 * Runtime validators of every API request (DESIGN.md §2): whatever arrives over a transport is `unknown` until one
 * of these has checked it. Hand-written rather than a schema library because the requests are a few flat objects,
 * core/contracts stays free of dependencies, and each failure must be a HamError E_INPUT naming the field.
 */
import type { ApiMethod, ApiRequest, BandsRequest, OpenLabelledRequest, ExportPredictionRequest, RegisterRunRequest, IdRequest, StartFinetuneRequest, StartTrainingRequest, CrystalMatricesRequest, EmptyRequest, OpenStructureRequest, PredictRequest, Translation } from './api.ts';
import { HamError } from './errors.ts';

/** Largest structure text accepted (characters): far above any file a user opens, far below memory trouble. */
export const MAX_STRUCTURE_TEXT = 50_000_000;

type Fields = Record<string, unknown>;

function object(input: unknown, method: string, allowed: readonly string[]): Fields {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HamError('E_INPUT', `${method}: the request must be a JSON object`);
  }
  const extra = Object.keys(input).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new HamError('E_INPUT', `${method}: unknown field`, { key: extra });
  return input as Fields;
}

function string(fields: Fields, key: string, method: string, maxLength: number, optional = false): string | undefined {
  const v = fields[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new HamError('E_INPUT', `${method}: must be a string`, { key });
  if (v.length === 0) throw new HamError('E_INPUT', `${method}: must not be empty`, { key });
  if (v.length > maxLength) throw new HamError('E_INPUT', `${method}: longer than ${maxLength} characters`, { key });
  return v;
}

const empty = (method: string) => (input: unknown): EmptyRequest => {
  object(input ?? {}, method, []);
  return {};
};

function openStructure(input: unknown): OpenStructureRequest {
  const f = object(input, 'openStructure', ['name', 'text']);
  return {
    name: string(f, 'name', 'openStructure', 1000) as string,
    text: string(f, 'text', 'openStructure', MAX_STRUCTURE_TEXT) as string,
  };
}

/**
 * A folder path as the user typed or chose it: a plain file-system path (no NUL, which the OS would cut the path
 * at, and no URL, which is never a folder of this machine). Whether it exists is the service's question.
 */
function folderPath(fields: Fields, key: string, method: string): string {
  const v = string(fields, key, method, 4096) as string;
  if (v.includes('\0')) throw new HamError('E_INPUT', `${method}: a path cannot contain a NUL character`, { key });
  if (/^[a-z][a-z\d+.-]+:\/\//i.test(v)) throw new HamError('E_INPUT', `${method}: give a folder on this computer, not a URL`, { key });
  return v;
}

function openLabelled(input: unknown): OpenLabelledRequest {
  const f = object(input, 'openLabelled', ['path', 'index']);
  const req: OpenLabelledRequest = { path: folderPath(f, 'path', 'openLabelled') };
  if (f.index !== undefined) req.index = integer(f, 'index', 'openLabelled', 0, 1_000_000);
  return req;
}

/** A structure handle and an optional model (name or folder): predict, estimateFinetune. */
const structureAndModel = (method: string) => (input: unknown): PredictRequest => {
  const f = object(input, method, ['structureId', 'model']);
  const structureId = string(f, 'structureId', method, 100) as string;
  const model = string(f, 'model', method, 4096, true);
  return model === undefined ? { structureId } : { structureId, model };
};

function translation(fields: Fields, key: string, method: string): Translation {
  const v = fields[key];
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => Number.isInteger(x) && Math.abs(x) <= 1000)) {
    throw new HamError('E_INPUT', `${method}: must be three integers (a lattice translation)`, { key });
  }
  return [v[0], v[1], v[2]];
}

function crystalMatrices(input: unknown): CrystalMatricesRequest {
  const f = object(input, 'crystalMatrices', ['structureId', 'R']);
  return { structureId: string(f, 'structureId', 'crystalMatrices', 100) as string, R: translation(f, 'R', 'crystalMatrices') };
}

function bands(input: unknown): BandsRequest {
  const f = object(input, 'bands', ['structureId', 'kpath', 'points']);
  const req: BandsRequest = { structureId: string(f, 'structureId', 'bands', 100) as string };
  const kpath = string(f, 'kpath', 'bands', 200, true);
  if (kpath !== undefined) req.kpath = kpath;
  if (f.points !== undefined) {
    if (!Number.isInteger(f.points) || (f.points as number) < 2 || (f.points as number) > 2000) throw new HamError('E_INPUT', 'bands: must be an integer from 2 to 2000', { key: 'points' });
    req.points = f.points as number;
  }
  return req;
}

function exportPrediction(input: unknown): ExportPredictionRequest {
  const f = object(input, 'exportPrediction', ['structureId', 'format', 'order']);
  const req: ExportPredictionRequest = { structureId: string(f, 'structureId', 'exportPrediction', 100) as string, format: string(f, 'format', 'exportPrediction', 50) as string };
  const order = string(f, 'order', 'exportPrediction', 50, true);
  if (order !== undefined) req.order = order;
  return req;
}

function integer(fields: Fields, key: string, method: string, min: number, max: number): number {
  const v = fields[key];
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new HamError('E_INPUT', `${method}: must be an integer from ${min} to ${max}`, { key });
  return v as number;
}

function oneOf<T extends string>(fields: Fields, key: string, method: string, allowed: readonly T[]): T | undefined {
  const v = fields[key];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new HamError('E_INPUT', `${method}: must be one of ${allowed.join(', ')}`, { key });
  return v as T;
}

function startFinetune(input: unknown): StartFinetuneRequest {
  const m = 'startFinetune';
  const f = object(input, m, ['structureId', 'model', 'n', 'epochs', 'sampling', 'budgetMinutes']);
  const req: StartFinetuneRequest = { structureId: string(f, 'structureId', m, 100) as string, n: integer(f, 'n', m, 4, 500), epochs: integer(f, 'epochs', m, 1, 10000) };
  const model = string(f, 'model', m, 200, true);
  if (model !== undefined) req.model = model;
  const sampling = oneOf(f, 'sampling', m, ['md', 'thermal'] as const);
  if (sampling !== undefined) req.sampling = sampling;
  if (f.budgetMinutes !== undefined) {
    const b = f.budgetMinutes;
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0.1 || b > 100000) throw new HamError('E_INPUT', `${m}: must be a number of minutes from 0.1 to 100000`, { key: 'budgetMinutes' });
    req.budgetMinutes = b;
  }
  return req;
}

function startTraining(input: unknown): StartTrainingRequest {
  const m = 'startTraining';
  const f = object(input, m, ['data', 'epochs', 'arch', 'init', 'loss']);
  const req: StartTrainingRequest = { data: folderPath(f, 'data', m), epochs: integer(f, 'epochs', m, 1, 100000) };
  const arch = oneOf(f, 'arch', m, ['baseline', 'trace', 'tracegrad'] as const);
  if (arch !== undefined) req.arch = arch;
  const init = string(f, 'init', m, 200, true);
  if (init !== undefined) {
    if (arch !== undefined) throw new HamError('E_INPUT', `${m}: a model trained further keeps its architecture; give arch or init, not both`, { key: 'init' });
    req.init = init;
  }
  const loss = oneOf(f, 'loss', m, ['mse', 'rmse+mae'] as const);
  if (loss !== undefined) req.loss = loss;
  return req;
}

const handle = (method: string) => (input: unknown): IdRequest => {
  const f = object(input, method, ['id']);
  const id = string(f, 'id', method, 100) as string;
  if (!/^[\w.-]+$/.test(id)) throw new HamError('E_INPUT', `${method}: not an id`, { key: 'id' });
  return { id };
};

function registerRunModel(input: unknown): RegisterRunRequest {
  const f = object(input, 'registerRunModel', ['id', 'name']);
  const { id } = handle('registerRunModel')({ id: f.id });
  return { id, name: string(f, 'name', 'registerRunModel', 100) as string };
}

export const REQUEST_VALIDATORS: { [M in ApiMethod]: (input: unknown) => ApiRequest<M> } = {
  info: empty('info'),
  listExamples: empty('listExamples'),
  listModels: empty('listModels'),
  openStructure,
  listRecent: empty('listRecent'),
  openRecent: handle('openRecent'),
  openLabelled,
  predict: structureAndModel('predict'),
  crystalMatrices,
  bands,
  listExportFormats: empty('listExportFormats'),
  exportPrediction,
  listRuns: empty('listRuns'),
  estimateFinetune: structureAndModel('estimateFinetune'),
  startFinetune,
  startTraining,
  cancelRun: handle('cancelRun'),
  resumeRun: handle('resumeRun'),
  registerRunModel,
};

/** The request field of a method that names a folder to read: where the desktop app requires one the user chose. */
export const USER_PATH_FIELDS: Partial<Record<ApiMethod, string>> = { openLabelled: 'path', startTraining: 'data' };

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(REQUEST_VALIDATORS, name);
}
