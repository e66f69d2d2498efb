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
import { RecentStructures } from './recent.ts';
import { CrystalService } from './crystal.ts';
import { exportPrediction, listExportFormats } from './exports.ts';
import { PredictionStore } from './prediction-store.ts';
import type { JobRunner } from './jobs.ts';
import { startFinetune, startTraining } from './runs.ts';
import { estimateFinetune } from './finetune-estimate.ts';
import { registerModel } from '../model/register-model.ts';
import { initBackend } from '../runtime/backend.ts';
import { HamError } from '../contracts/errors.ts';

const unavailable = (): never => { throw new HamError('E_NOT_FOUND', 'this session runs no jobs (no job supervisor)'); };
const NO_JOBS: JobRunner = { start: unavailable, list: () => [], cancel: unavailable, resume: unavailable, modelSource: unavailable };
import { isPeriodic } from '../structure/structure.ts';

/**
 * `jobs` runs training and fine-tuning; without one (tests, the CLI) those calls say that jobs are unavailable.
 * `recentFile` keeps the recent-structures list across sessions; without one it lives as long as the services.
 */
export function createServices(jobs: JobRunner = NO_JOBS, recentFile?: string): HamStudioApi {
  const structures = new StructureStore();
  const recent = new RecentStructures(recentFile);
  const models = new ModelCache();
  const store = new PredictionStore();
  const crystals = new CrystalService(structures, models, store);
  return {
    info: () => appInfo(),
    listExamples: async () => listExamples(),
    listModels: async () => listModelSummaries(),
    openStructure: async (req) => {
      const summary = structures.open(req);
      recent.add(summary, { kind: 'file', text: req.text });
      return summary;
    },
    openLabelled: async (req) => {
      const summary = await structures.openLabelled(req);
      recent.add(summary, { kind: 'labelled', ...req });
      return summary;
    },
    listRecent: async () => recent.list(),
    openRecent: async ({ id }) => {
      const { name, source } = recent.source(id);
      const summary = source.kind === 'file' ? structures.open({ name, text: source.text }) : await structures.openLabelled(source);
      recent.add(summary, source);
      return summary;
    },
    predict: async (req) => (isPeriodic(structures.get(req.structureId).structure)
      ? crystals.predict(req.structureId, req.model) : predict(structures, models, store, req)),
    crystalMatrices: async (req) => crystals.matrices(req),
    bands: async (req) => crystals.bands(req),
    listExportFormats: async () => listExportFormats(),
    exportPrediction: (req) => exportPrediction(store, req),
    listRuns: async () => jobs.list(),
    estimateFinetune: (req) => estimateFinetune(structures, models, req),
    startFinetune: async (req) => startFinetune(jobs, structures, req),
    startTraining: async (req) => startTraining(jobs, req),
    cancelRun: async ({ id }) => jobs.cancel(id),
    resumeRun: async ({ id }) => jobs.resume(id),
    registerRunModel: async ({ id, name }) => {
      const source = jobs.modelSource(id);
      await initBackend(); // loading the model builds its network
      await registerModel(source, { name });
      return listModelSummaries();
    },
  };
}
