/**
 * The app's run calls: start fine-tuning on the opened structure (molecule or crystal) or training — new, or of a
 * shipped model further — on a dataset folder the user gave, as jobs of the runner; list, cancel and resume them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunInfo, StartFinetuneRequest, StartTrainingRequest } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { writeExtxyz } from '../structure/formats/extxyz.ts';
import { isPeriodic } from '../structure/structure.ts';
import type { JobRunner } from './jobs.ts';
import { installedModelDir, modelDirFor } from './models.ts';
import type { StructureStore } from './structures.ts';

export function startFinetune(jobs: JobRunner, structures: StructureStore, req: StartFinetuneRequest): RunInfo {
  const { name, structure } = structures.get(req.structureId);
  const crystal = isPeriodic(structure);
  if (crystal && req.sampling === 'md') throw new HamError('E_INPUT', 'xtb molecular dynamics samples molecules; a crystal is sampled by thermal displacements and strain', { key: 'sampling' });
  // The job loads the model; here only its folder is needed (no network built in the app's process).
  const dir = modelDirFor(structure.numbers, req.model, crystal);
  return jobs.start({
    kind: 'finetune',
    title: `fine-tune on ${name} (${req.n} snapshots, ${req.epochs} epochs)`,
    args: ['finetune', '--structure', 'structure.extxyz', '--model', dir, '--n', String(req.n), '--epochs', String(req.epochs),
      ...(req.sampling ? ['--sampling', req.sampling] : []), ...(req.budgetMinutes ? ['--budget-minutes', String(req.budgetMinutes)] : [])],
    // Extended XYZ keeps a crystal's cell and periodicity (the CLI labels it with GPAW, a molecule with psi4).
    files: { 'structure.extxyz': writeExtxyz({ ...structure, info: undefined }) },
    epochs: req.epochs,
  });
}

export function startTraining(jobs: JobRunner, req: StartTrainingRequest): RunInfo {
  const data = path.resolve(req.data);
  if (!existsSync(data)) throw new HamError('E_NOT_FOUND', 'no such dataset folder', { file: data });
  // A shipped model trained further (its name checked against the library), or a new one of the chosen arch.
  const from = req.init === undefined ? undefined : installedModelDir(req.init, 'init');
  return jobs.start({
    kind: 'train',
    title: from ? `train ${req.init} further on ${path.basename(data)} (${req.epochs} epochs)` : `train ${req.arch ?? 'tracegrad'} on ${path.basename(data)} (${req.epochs} epochs)`,
    args: ['train', '--data', data, '--epochs', String(req.epochs), ...(from ? ['--init', from] : ['--arch', req.arch ?? 'tracegrad']), ...(req.loss ? ['--loss', req.loss] : [])],
    epochs: req.epochs,
  });
}
