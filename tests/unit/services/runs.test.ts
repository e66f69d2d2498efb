/**
 * The app's run calls build the job's command: a new model of an arch, or a shipped model trained further; a
 * fine-tuning names its model's folder without loading the model here (no compute backend is started in this file).
 */
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../core/contracts/api.ts';
import type { JobRunner, JobSpec } from '../../../core/services/jobs.ts';
import { startFinetune, startTraining } from '../../../core/services/runs.ts';
import { StructureStore } from '../../../core/services/structures.ts';
import { datasetPath } from '../../helpers/datasets.ts';

function recorder(): JobRunner & { specs: JobSpec[] } {
  const specs: JobSpec[] = [];
  const none = (): never => { throw new Error('not used'); };
  return { specs, start: (spec) => { specs.push(spec); return { id: 'r' } as RunInfo; }, list: () => [], cancel: none, resume: none, modelSource: none };
}

describe('startTraining', () => {
  const data = datasetPath('water-pbe-def2svp-rotated');

  it('trains a new model of the chosen arch, or a shipped model further with --init and without --arch', () => {
    const jobs = recorder();
    startTraining(jobs, { data, epochs: 3, arch: 'baseline' });
    startTraining(jobs, { data, epochs: 3, init: 'hco-def2svp' });
    expect(jobs.specs[0].args).toEqual(['train', '--data', data, '--epochs', '3', '--arch', 'baseline']);
    const further = jobs.specs[1];
    expect(further.title).toBe('train hco-def2svp further on water-pbe-def2svp-rotated (3 epochs)');
    expect(further.args.slice(0, 5)).toEqual(['train', '--data', data, '--epochs', '3']);
    expect(further.args[5]).toBe('--init');
    expect(further.args[6]).toMatch(/resources[/\\]models[/\\]hco-def2svp$/);
    expect(further.args).not.toContain('--arch');
    startTraining(jobs, { data, epochs: 3, arch: 'tracegrad', loss: 'rmse+mae' });
    expect(jobs.specs[2].args.slice(-2)).toEqual(['--loss', 'rmse+mae']);
  });

  it('names an unknown model and a missing dataset folder', () => {
    expect(() => startTraining(recorder(), { data, epochs: 3, init: 'no-such-model' })).toThrow(/no shipped model 'no-such-model'/);
    expect(() => startTraining(recorder(), { data: `${data}-missing`, epochs: 3 })).toThrow(/no such dataset folder/);
  });
});

describe('startFinetune', () => {
  it('passes the default model of the structure and the budget to the job, with the structure as extended XYZ', () => {
    const structures = new StructureStore();
    const water = structures.open({ name: 'water.xyz', text: '3\nwater\nO 0 0 0.1173\nH 0 0.7572 -0.4692\nH 0 -0.7572 -0.4692\n' });
    const jobs = recorder();
    startFinetune(jobs, structures, { structureId: water.id, n: 6, epochs: 4, budgetMinutes: 2 });
    const [spec] = jobs.specs;
    expect(spec.args[spec.args.indexOf('--model') + 1]).toMatch(/resources[/\\]models[/\\]hco-def2svp$/);
    expect(spec.args.slice(-2)).toEqual(['--budget-minutes', '2']);
    expect(Object.keys(spec.files ?? {})).toEqual(['structure.extxyz']);
  });
});
