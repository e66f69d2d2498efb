/**
 * Models for the app: the shipped list as the API shows it, and loaded models kept per folder, because loading
 * (weights, checksum, network) costs more than a small prediction.
 */
import path from 'node:path';
import type { ModelSummary } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { loadModel, type LoadedModel } from '../model/model-file.ts';
import { defaultModelDirFor, listModels, shippedModelsDir } from '../model/model-registry.ts';
import { elementSymbol } from '../structure/elements.ts';

export function listModelSummaries(): ModelSummary[] {
  return listModels().map((m) => ({
    name: m.name, arch: m.arch, elements: m.elements.map(elementSymbol), basis: m.basis, unit: m.unit as EnergyUnit,
  }));
}

export class ModelCache {
  private readonly loaded = new Map<string, LoadedModel>();

  /**
   * The shipped model of this name, or the default for these atomic numbers. Only shipped names: the app reads
   * no folder the user did not choose (DESIGN.md §2).
   */
  get(numbers: readonly number[], name?: string, crystal = false): LoadedModel {
    const shipped = listModels();
    if (shipped.length === 0) {
      throw new HamError('E_NOT_FOUND', `no model is installed (none in ${shippedModelsDir()}); train one with hamstudio train and put its model folder there`);
    }
    const named = name === undefined ? undefined : shipped.find((m) => m.name === name);
    if (name !== undefined && !named) {
      throw new HamError('E_NOT_FOUND', `no shipped model '${name}' (installed: ${shipped.map((m) => m.name).join(', ')})`, { key: 'model' });
    }
    const dir = path.resolve(named ? named.dir : defaultModelDirFor(numbers, crystal));
    let hit = this.loaded.get(dir);
    if (!hit) {
      hit = loadModel(dir);
      this.loaded.set(dir, hit);
    }
    return hit;
  }
}
