/**
 * The first step of guided fine-tuning in the app (issue "Guided fine-tuning", step "estimate DFT cost per
 * structure"): one SCF on the opened structure, timed, so the user can choose how many snapshots fit a time budget
 * before anything long starts. The SCF runs as psi4's own process; this process only waits for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EstimateFinetuneRequest, FinetuneEstimate } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { labelMolecules, psi4Version } from '../labelers/psi4.ts';
import { DEFAULT_LABEL_JOBS, psi4LabelSettings, snapshotsPerMinute } from '../training/finetune.ts';
import { initBackend } from '../runtime/backend.ts';
import type { ModelCache } from './models.ts';
import type { StructureStore } from './structures.ts';

export async function estimateFinetune(structures: StructureStore, models: ModelCache, req: EstimateFinetuneRequest): Promise<FinetuneEstimate> {
  const { name, structure } = structures.get(req.structureId);
  await initBackend(); // loading a model builds its network
  const { model, dir } = models.get(structure.numbers, req.model);
  const settings = psi4LabelSettings(model, structure, name, dir, DEFAULT_LABEL_JOBS);
  const version = psi4Version();
  const atomShells = model.atomShells(structure.numbers);
  const work = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-estimate-'));
  try {
    const run = await labelMolecules([structure], atomShells, work, { ...settings, jobs: 1 });
    const seconds = run.seconds.get(0);
    if (seconds === undefined) throw new HamError('E_EXTERNAL_TOOL', `psi4 could not label the structure: ${run.failed.get(0)}`, { file: name });
    return {
      code: `psi4 ${version}`,
      method: `PBE/${model.arch.basis}`,
      secondsPerStructure: seconds,
      jobs: settings.jobs,
      snapshotsPerMinute: snapshotsPerMinute(seconds, settings.jobs),
      orbitals: atomShells.flat().reduce((a, l) => a + 2 * l + 1, 0),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
