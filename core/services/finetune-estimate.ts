/**
 * The first step of guided fine-tuning in the app (issue "Guided fine-tuning", step "estimate DFT cost per
 * structure"): one SCF on the opened structure — psi4 for a molecule, GPAW for a crystal, with the settings the
 * fine-tuning itself would use — timed, so the user can choose how many snapshots fit a time budget before anything
 * long starts. The SCF runs as the DFT code's own process; this process only waits for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EstimateFinetuneRequest, FinetuneEstimate } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { DEFAULT_LABEL_JOBS, labelerFor, snapshotsPerMinute } from '../training/finetune.ts';
import { initBackend } from '../runtime/backend.ts';
import { isPeriodic } from '../structure/structure.ts';
import type { ModelCache } from './models.ts';
import type { StructureStore } from './structures.ts';

export async function estimateFinetune(structures: StructureStore, models: ModelCache, req: EstimateFinetuneRequest): Promise<FinetuneEstimate> {
  const { name, structure } = structures.get(req.structureId);
  await initBackend(); // loading a model builds its network
  const base = models.get(structure.numbers, req.model, isPeriodic(structure));
  const work = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-estimate-'));
  try {
    const labeler = labelerFor({ structure, name, modelDir: base.dir, outDir: work, jobs: 1 }, base, path.join(work, 'labels'), () => {});
    const run = await labeler.label([structure], {});
    const seconds = run.seconds.get(0);
    if (seconds === undefined) throw new HamError('E_EXTERNAL_TOOL', `${labeler.name} could not label the structure: ${run.failed.get(0)}`, { file: name });
    return {
      code: labeler.name,
      method: labeler.method,
      secondsPerStructure: seconds,
      jobs: DEFAULT_LABEL_JOBS,
      snapshotsPerMinute: snapshotsPerMinute(seconds, DEFAULT_LABEL_JOBS),
      orbitals: base.model.atomShells(structure.numbers).flat().reduce((a, l) => a + 2 * l + 1, 0),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
