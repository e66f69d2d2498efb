/**
 * The services behind the API (DESIGN.md §2), one object per app session: the Electron main process, the
 * browser-mode server and tests all call these. Requests reach them already validated.
 */
import type { HamStudioApi } from '../contracts/api.ts';
import { listExamples } from './examples.ts';
import { appInfo } from './info.ts';
import { listModelSummaries, ModelCache } from './models.ts';
import { predict } from './prediction.ts';
import { StructureStore } from './structures.ts';
import { CrystalService } from './crystal.ts';
import { exportPrediction, listExportFormats } from './exports.ts';
import { PredictionStore } from './prediction-store.ts';
import { isPeriodic } from '../structure/structure.ts';

export function createServices(): HamStudioApi {
  const structures = new StructureStore();
  const models = new ModelCache();
  const store = new PredictionStore();
  const crystals = new CrystalService(structures, models, store);
  return {
    info: () => appInfo(),
    listExamples: async () => listExamples(),
    listModels: async () => listModelSummaries(),
    openStructure: async (req) => structures.open(req),
    predict: async (req) => (isPeriodic(structures.get(req.structureId).structure)
      ? crystals.predict(req.structureId, req.model) : predict(structures, models, store, req)),
    crystalMatrices: async (req) => crystals.matrices(req),
    bands: async (req) => crystals.bands(req),
    listExportFormats: async () => listExportFormats(),
    exportPrediction: (req) => exportPrediction(store, req),
  };
}
