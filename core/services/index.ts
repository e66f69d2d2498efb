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

export function createServices(): HamStudioApi {
  const structures = new StructureStore();
  const models = new ModelCache();
  return {
    info: () => appInfo(),
    listExamples: async () => listExamples(),
    listModels: async () => listModelSummaries(),
    openStructure: async (req) => structures.open(req),
    predict: (req) => predict(structures, models, req),
  };
}
