/**
 * Finding models: by path (a folder with model.json), by name among the shipped models in resources/models (or the
 * folder HAMSTUDIO_MODELS_DIR names, e.g. a test's freshly trained model), or the default for a structure's elements
 * (the first shipped model that covers them all, in name order).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { resourcePath } from '../runtime/paths.ts';
import { elementSymbol } from '../structure/elements.ts';
import { loadModel, type LoadedModel } from './model-file.ts';

export interface ModelEntry {
  name: string;
  dir: string;
  elements: number[];
  basis: string;
  unit: string;
  arch: string;
  /** For crystals: the model predicts S(R) (numerical-orbital basis); molecular models use analytic overlaps. */
  crystal: boolean;
  /** l of each shell per atomic number. */
  shells: Record<string, number[]>;
}

export const MODELS_DIR_ENV = 'HAMSTUDIO_MODELS_DIR';

export function shippedModelsDir(): string {
  return process.env[MODELS_DIR_ENV] || resourcePath('models');
}

export function listModels(dir = shippedModelsDir()): ModelEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const file = path.join(dir, name, 'model.json');
    if (!existsSync(file)) return [];
    const json = JSON.parse(readFileSync(file, 'utf8')) as { architecture: { elements: number[]; basis: string; unit: string; arch: string; shells: Record<string, number[]> }; overlap?: unknown };
    const a = json.architecture;
    return [{ name, dir: path.join(dir, name), elements: a.elements, basis: a.basis, unit: a.unit, arch: a.arch, crystal: json.overlap !== undefined, shells: a.shells }];
  });
}

/** The folder of a model given by folder or shipped name. */
export function resolveModelDir(nameOrPath: string): string {
  if (existsSync(path.join(nameOrPath, 'model.json'))) return nameOrPath;
  const entry = listModels().find((m) => m.name === nameOrPath);
  if (!entry) {
    throw new HamError('E_NOT_FOUND', `no model '${nameOrPath}': not a folder with model.json, nor a shipped model (${listModels().map((m) => m.name).join(', ') || 'none shipped'})`);
  }
  return entry.dir;
}

/** The folder of the first shipped model of the kind (molecule or crystal) that covers all these elements. */
export function defaultModelDirFor(numbers: readonly number[], crystal = false): string {
  const needed = [...new Set(numbers)];
  const models = listModels();
  const entry = models.find((m) => m.crystal === crystal && needed.every((z) => m.elements.includes(z)));
  if (!entry) {
    // Says what is installed, so the user sees which element is missing; the CLI and the app each offer their own way to pick a model.
    const shipped = models.map((m) => `${m.name} (${m.crystal ? 'crystals' : 'molecules'}): ${m.elements.map(elementSymbol).join(' ')}`).join('; ') || 'none';
    throw new HamError('E_UNSUPPORTED_ELEMENT', `no shipped ${crystal ? 'crystal' : 'molecular'} model covers ${needed.map(elementSymbol).join(', ')} (shipped: ${shipped})`);
  }
  return entry.dir;
}

export function resolveModel(nameOrPath: string): LoadedModel {
  return loadModel(resolveModelDir(nameOrPath));
}

export function defaultModelFor(numbers: readonly number[], crystal = false): LoadedModel {
  return loadModel(defaultModelDirFor(numbers, crystal));
}
