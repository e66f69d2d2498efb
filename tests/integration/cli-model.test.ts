/**
 * The model CLI on bad input (issue: unknown element, basis the model does not cover, structure file errors,
 * dataset with another orbital layout, damaged model files): one line on stderr naming what is wrong, exit 2, no
 * stack trace, and nothing half-written. Uses a small freshly trained model.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectUserError } from '../helpers/cli.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { MODELS_DIR_ENV } from '../../core/model/model-registry.ts';
import { listModelSummaries } from '../../core/services/models.ts';

let tmp: string;
let model: string;



beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-cli-'));
  writeFileSync(path.join(tmp, 'tiny.json'), JSON.stringify({ channels: 2, layers: 1, radialHidden: 4, tracegrad: { invariants: 1, hidden: 4, zDim: 2, alphaInit: 0.1 } }));
  const r = cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25', '--config', path.join(tmp, 'tiny.json'), '--epochs', '1', '--out', path.join(tmp, 'run'));
  expect(r.code, r.err).toBe(0);
  model = path.join(tmp, 'run', 'model');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hamstudio predict / eval / train on bad input', () => {
  it('predicts a water molecule and writes H, S, orbital energies and meta.json', () => {
    const xyz = path.join(tmp, 'water.xyz');
    writeFileSync(xyz, '3\n\nO 0 0 0.1173\nH 0 0.7572 -0.4692\nH 0 -0.7572 -0.4692\n');
    const r = cli('predict', xyz, '--model', model, '--out', path.join(tmp, 'pred'), '--order', 'pyscf');
    expect(r.code, r.err).toBe(0);
    const meta = JSON.parse(readFileSync(path.join(tmp, 'pred', 'meta.json'), 'utf8'));
    expect(meta.orbital_order).toBe('pyscf');
    expect(meta.units.H).toBe('hartree');
    for (const f of ['H.npy', 'S.npy', 'orbital_energies.npy']) expect(existsSync(path.join(tmp, 'pred', f))).toBe(true);
  });

  it('does not replace a non-empty --out folder unless asked with --force', () => {
    const xyz = path.join(tmp, 'water.xyz');
    const out = path.join(tmp, 'pred');
    expectUserError(cli('predict', xyz, '--model', model, '--out', out), /folder exists and is not empty/);
    expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).orbital_order).toBe('pyscf');
    const r = cli('predict', xyz, '--model', model, '--out', out, '--force');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).orbital_order).toBe('wiki');
  });

  it('an element the model does not cover', () => {
    const xyz = path.join(tmp, 'hf.xyz');
    writeFileSync(xyz, '2\n\nH 0 0 0\nF 0 0 0.92\n');
    expectUserError(cli('predict', xyz, '--model', model, '--out', path.join(tmp, 'p2')), /atom 2 is F, which this model does not cover/);
    expect(existsSync(path.join(tmp, 'p2'))).toBe(false);
  });

  it('a broken structure file names file and line', () => {
    const xyz = path.join(tmp, 'bad.xyz');
    writeFileSync(xyz, '3\n\nO 0 0 0\nH 0 zero 1\nH 0 1 0\n');
    expectUserError(cli('predict', xyz, '--model', model, '--out', path.join(tmp, 'p3')), /bad\.xyz:4/);
  });

  it('a dataset in another basis (graphene dzp, eV) is refused by eval', () => {
    expectUserError(cli('eval', '--model', model, '--data', datasetPath('graphene-3x3-pbe-dzp/pristine')), /eV, the model predicts in hartree|not covered by the model/);
  });

  it('a damaged weights file is detected by its checksum', () => {
    const copy = path.join(tmp, 'damaged');
    cpSync(model, copy, { recursive: true });
    const w = path.join(copy, 'weights.bin');
    const bytes = readFileSync(w);
    bytes[10] ^= 0xff;
    writeFileSync(w, bytes);
    expectUserError(cli('eval', '--model', copy, '--data', datasetPath('water-pbe-def2svp-rotated')), /weights do not match the checksum/);
  });

  it('an unknown model name lists what is shipped', () => {
    expectUserError(cli('eval', '--model', 'no-such-model', '--data', datasetPath('water-pbe-def2svp-rotated')), /no model 'no-such-model'/);
  });

  it('train refuses an existing run without --resume, a bad --arch, --loss or --onsite-weight', () => {
    expectUserError(cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--out', path.join(tmp, 'run'), '--epochs', '1'), /already holds a run/);
    expectUserError(cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--out', path.join(tmp, 'x'), '--arch', 'magic'), /--arch must be one of baseline, trace, tracegrad/);
    expectUserError(cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--out', path.join(tmp, 'x'), '--loss', 'l1'), /--loss must be one of mse, rmse\+mae, got 'l1'/);
    expectUserError(cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--out', path.join(tmp, 'x'), '--onsite-weight', '-2'), /--onsite-weight must be positive, got '-2'/);
  });

  it('runs compare summarises a finished run and refuses a folder that is not one', () => {
    const r = cli('runs', 'compare', path.join(tmp, 'run'), '--json');
    expect(r.code, r.err).toBe(0);
    const [row] = JSON.parse(r.out);
    expect(row).toMatchObject({ arch: 'tracegrad', epochs: 1, finished: true, unit: 'hartree' });
    expect(row.bestValMae).toBeGreaterThan(0);
    expectUserError(cli('runs', 'compare', tmp), /not a run folder/);
  });

  it('models register copies the model with its training command and learning curve', () => {
    const lib = path.join(tmp, 'library');
    const r = cli('models', 'register', path.join(tmp, 'run'), '--name', 'tiny-water', '--library', lib);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(readFileSync(path.join(lib, 'tiny-water', 'model.json'), 'utf8'));
    expect(json.name).toBe('tiny-water');
    expect(json.training.command).toMatch(/^hamstudio train .*--epochs 1/);
    // Dataset paths are recorded relative to the project folder when they lie beside it, not as this machine's.
    const recorded = json.training.data.datasets[0].path as string;
    if (path.resolve(datasetPath('water-pbe-def2svp-rotated')).startsWith(path.dirname(path.resolve(import.meta.dirname, '../..')))) {
      expect(path.isAbsolute(recorded)).toBe(false);
      expect(existsSync(path.resolve(import.meta.dirname, '../..', recorded))).toBe(true);
      expect(json.training.command).toContain(`--data ${recorded}`);
    }
    expect(readFileSync(path.join(lib, 'tiny-water', 'training', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expectUserError(cli('models', 'register', path.join(tmp, 'run'), '--name', 'tiny-water', '--library', lib), /exists/);
    expectUserError(cli('models', 'register', path.join(tmp, 'run'), '--name', '../evil', '--library', lib), /must be letters/);

    // Trained further from the registered model and registered over it: the first run's record stays as its lineage.
    const t = cli('train', '--init', path.join(lib, 'tiny-water'), '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25', '--epochs', '1', '--seed', '7', '--out', path.join(tmp, 'run-more'));
    expect(t.code, t.err).toBe(0);
    // Another seed, yet the structures the first model held out stay held out (a new split would validate on
    // structures it trained on).
    const firstSplit = JSON.parse(readFileSync(path.join(tmp, 'run', 'run.json'), 'utf8')).data.datasets[0].split;
    expect(JSON.parse(readFileSync(path.join(tmp, 'run-more', 'run.json'), 'utf8')).data.datasets[0].split).toEqual({ ...firstSplit, kept: true });
    // Grown one layer deeper, with a wider radial network and more channels (the new parts start without effect,
    // tests/unit/model/grow-model.test.ts).
    const depth = json.architecture.layers as number;
    const hidden = (json.architecture.radialHidden as number) + 4;
    const channels = (json.architecture.channels as number) + 2;
    const deeper = cli('train', '--init', path.join(lib, 'tiny-water'), '--layers', String(depth + 1), '--radial-hidden', String(hidden), '--channels', String(channels), '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25', '--epochs', '1', '--out', path.join(tmp, 'run-deeper'));
    expect(deeper.code, deeper.err).toBe(0);
    const deeperRun = JSON.parse(readFileSync(path.join(tmp, 'run-deeper', 'run.json'), 'utf8'));
    expect(deeperRun.architecture).toMatchObject({ layers: depth + 1, radialHidden: hidden, channels });
    expect(deeperRun.settings.grow).toEqual({ layers: depth + 1, radialHidden: hidden, channels });
    expectUserError(cli('train', '--init', path.join(lib, 'tiny-water'), '--layers', String(depth - 1), '--data', datasetPath('water-pbe-def2svp-rotated'), '--epochs', '1', '--out', path.join(tmp, 'run-shallower')), /can grow to more layers/);
    expectUserError(cli('train', '--layers', '3', '--data', datasetPath('water-pbe-def2svp-rotated'), '--epochs', '1', '--out', path.join(tmp, 'run-layers')), /--layers grows an --init model/);
    expectUserError(cli('train', '--init', path.join(lib, 'tiny-water'), '--radial-basis', '2', '--data', datasetPath('water-pbe-def2svp-rotated'), '--epochs', '1', '--out', path.join(tmp, 'run-fewer')), /can grow to more radial basis functions, not to 2/);
    // Resumed with a larger budget and weight averaging: the resume is part of the recipe.
    const resumed = cli('train', '--out', path.join(tmp, 'run-more'), '--resume', '--epochs', '2', '--swa', '0.5');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/epoch +2 .*average of 1 epochs/);
    const again = cli('models', 'register', path.join(tmp, 'run-more'), '--name', 'tiny-water', '--library', lib, '--replace');
    expect(again.code, again.err).toBe(0);
    const more = JSON.parse(readFileSync(path.join(lib, 'tiny-water', 'model.json'), 'utf8'));
    expect(more.training.command).toMatch(/^hamstudio train --init /);
    expect(more.training.settings).toMatchObject({ epochs: 2, average: 0.5 });
    expect(more.training.resumed).toEqual([{ at: expect.any(String), command: `hamstudio train --out ${path.join(tmp, 'run-more')} --resume --epochs 2 --swa 0.5` }]);
    expect(more.training.init).toMatchObject({ model: 'tiny-water', training: { command: json.training.command, learningCurve: 'training/init/metrics.jsonl' } });
    expect(readFileSync(path.join(lib, 'tiny-water', 'training', 'init', 'metrics.jsonl'), 'utf8')).toBe(readFileSync(path.join(tmp, 'run', 'metrics.jsonl'), 'utf8'));
    // The app's model library lists both commands, the first training first.
    process.env[MODELS_DIR_ENV] = lib;
    try {
      expect(listModelSummaries().find((m) => m.name === 'tiny-water')!.trainingCommands).toEqual([json.training.command, more.training.command, more.training.resumed[0].command]);
    } finally {
      delete process.env[MODELS_DIR_ENV];
    }
  });

  it('eval --json prints exactly the documented keys', () => {
    const r = cli('eval', '--model', model, '--data', datasetPath('water-pbe-def2svp-rotated'), '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ['n_structures', 'unit', 'mae_H', 'mae_H_onsite', 'mae_H_offsite', 'mae_eps_occ', 'psi_similarity', 'seconds_per_structure']) expect(j).toHaveProperty(k);
    expect(j.n_structures).toBe(4);
    expect(j.unit).toBe('hartree');
  });

  it('eval --held-out takes the validation structures the training recorded, and refuses data the model never saw', () => {
    const recorded = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')).training.data.datasets[0].split.val as number[];
    const r = cli('eval', '--model', model, '--data', datasetPath('water-pbe-def2svp-rotated'), '--held-out', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).n_structures).toBe(recorded.length);
    expectUserError(cli('eval', '--model', model, '--data', datasetPath('ethanol-pbe-def2svp-rotated'), '--held-out'), /records no held-out split of this dataset/);
  });

  it('refit fits the decoders on the training structures, in place, recorded as a step of the model\'s making', () => {
    expectUserError(cli('refit', '--model', model, '--data', datasetPath('ethanol-pbe-def2svp-rotated'), '--out', path.join(tmp, 'refit2')), /records no held-out split of this dataset/);
    expect(existsSync(path.join(tmp, 'refit2'))).toBe(false);
    const split = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')).training.data.datasets[0].split.val as number[];
    const r = cli('refit', '--model', model, '--data', datasetPath('water-pbe-def2svp-rotated'), '--out', model);
    expect(r.code, r.err).toBe(0);
    const m = /training loss (\S+) → (\S+)/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
    const record = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')).training.refit;
    expect(record.structures).toBe(4 - split.length);
    expect(record.heldOut[0].structures).toBe(split.length);
    expect(record.lossAfter).toBeLessThan(record.lossBefore);
    // Registered with its run, the model lists the refit after the training command.
    const lib = path.join(tmp, 'library-refit');
    expect(cli('models', 'register', path.join(tmp, 'run'), '--name', 'tiny-refit', '--library', lib).code).toBe(0);
    process.env[MODELS_DIR_ENV] = lib;
    try {
      expect(listModelSummaries()[0].trainingCommands).toEqual([expect.stringMatching(/^hamstudio train /), expect.stringMatching(/^hamstudio refit --model /)]);
    } finally {
      delete process.env[MODELS_DIR_ENV];
    }
  });
});
