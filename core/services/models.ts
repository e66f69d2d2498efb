/**
 * Models for the app: the shipped list as the API shows it, and loaded models kept per folder, because loading
 * (weights, checksum, network) costs more than a small prediction.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelSummary } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { loadModel, type LoadedModel } from '../model/model-file.ts';
import { defaultModelDirFor, listModels, shippedModelsDir } from '../model/model-registry.ts';
import { elementSymbol } from '../structure/elements.ts';

interface ModelJsonInfo {
  description?: string;
  software?: string;
  metrics?: { valMae?: number; valMaeOnsite?: number; valMaeOffsite?: number; epoch?: number };
  training?: TrainingRecord;
  parameters?: { shapes?: number[][] };
}

interface TrainingRecord {
  command?: string;
  data?: { datasets?: { path: string }[] };
  /** The model this one was trained further from, with that model's own record (register-model.ts). */
  init?: { model: string; training?: TrainingRecord };
  /** Resumes that changed the run's budget or averaging (train --resume --minutes/--epochs/--swa). */
  resumed?: { at: string; command: string }[];
  /** The least-squares decoder refit applied after the training (hamstudio refit). */
  refit?: { command: string };
}

/**
 * Every command that made a model, the first run first (a model trained further records its starting model's): each
 * training, its resumes and its decoder refit.
 */
function commandLineage(t: TrainingRecord | undefined): string[] {
  if (!t) return [];
  return [...commandLineage(t.init?.training), ...(t.command ? [t.command] : []), ...(t.resumed ?? []).map((r) => r.command), ...(t.refit ? [t.refit.command] : [])];
}

/** The library as the Models view shows it: what each model covers and how it was made (read from model.json). */
export function listModelSummaries(): ModelSummary[] {
  return listModels().map((m) => {
    const json = JSON.parse(readFileSync(path.join(m.dir, 'model.json'), 'utf8')) as ModelJsonInfo;
    const v = json.metrics;
    return {
      name: m.name, arch: m.arch, elements: m.elements.map(elementSymbol), basis: m.basis, unit: m.unit as EnergyUnit,
      kind: m.crystal ? 'crystal' : 'molecule',
      description: json.description ?? null,
      validation: v?.valMae !== undefined ? { mae: v.valMae, onsite: v.valMaeOnsite ?? NaN, offsite: v.valMaeOffsite ?? NaN, epoch: v.epoch ?? 0 } : null,
      trainingCommands: commandLineage(json.training),
      trainingData: json.training?.data?.datasets?.map((d) => d.path) ?? [],
      parameters: (json.parameters?.shapes ?? []).reduce((a, sh) => a + sh.reduce((x, y) => x * y, 1), 0),
      software: json.software ?? 'unknown',
    };
  });
}

function installedModels(): ReturnType<typeof listModels> {
  const shipped = listModels();
  if (shipped.length === 0) {
    throw new HamError('E_NOT_FOUND', `no model is installed (none in ${shippedModelsDir()}); train one with hamstudio train and put its model folder there`);
  }
  return shipped;
}

/** The folder of the installed model of this name (the app reads no model folder the user did not choose). */
export function installedModelDir(name: string, key = 'model'): string {
  const shipped = installedModels();
  const named = shipped.find((m) => m.name === name);
  if (!named) throw new HamError('E_NOT_FOUND', `no shipped model '${name}' (installed: ${shipped.map((m) => m.name).join(', ')})`, { key });
  return path.resolve(named.dir);
}

/** The installed model of this name, or the default one for these atomic numbers: its folder, nothing loaded. */
export function modelDirFor(numbers: readonly number[], name?: string, crystal = false): string {
  if (name !== undefined) return installedModelDir(name);
  installedModels(); // says that none is installed, before looking for a default
  return path.resolve(defaultModelDirFor(numbers, crystal));
}

export class ModelCache {
  private readonly loaded = new Map<string, LoadedModel>();

  /**
   * The shipped model of this name, or the default for these atomic numbers. Only shipped names: the app reads
   * no folder the user did not choose (DESIGN.md §2).
   */
  get(numbers: readonly number[], name?: string, crystal = false): LoadedModel {
    const dir = modelDirFor(numbers, name, crystal);
    let hit = this.loaded.get(dir);
    if (!hit) {
      hit = loadModel(dir);
      this.loaded.set(dir, hit);
    }
    return hit;
  }
}
