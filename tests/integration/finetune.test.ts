/**
 * Guided fine-tuning with real psi4 labels (issue "Guided fine-tuning"): formaldehyde is outside the shipped
 * model's training data (water and ethanol); a handful of psi4-labelled snapshots and a short fine-tuning must lower
 * the held-out H error, the report must say so, and running the command again must resume without recomputing.
 * The labeler records failed SCFs and goes on, keeps finished work when cancelled, and says how to install psi4.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HamError } from '../../core/contracts/errors.ts';
import { labelMolecules } from '../../core/labelers/psi4.ts';
import { mdSnapshots } from '../../core/labelers/xtb-md.ts';
import type { Structure } from '../../core/structure/structure.ts';
import { cli, expectUserError } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-finetune-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const formaldehyde: Structure = {
  numbers: [6, 8, 1, 1],
  positions: [[0, 0, -0.529], [0, 0, 0.677], [0, 0.935, -1.118], [0, -0.935, -1.118]],
};
const xyz = path.join(tmp, 'h2co.xyz');
const ft = path.join(tmp, 'ft');
// def2-SVP shells of C/O and H (the order of the basis file).
const SHELLS = [[0, 0, 0, 1, 1, 2], [0, 0, 0, 1, 1, 2], [0, 0, 1], [0, 0, 1]];

describe('xtb MD snapshots', () => {
  it('gives the asked number of frames of the same molecule, moved but intact', () => {
    const frames = mdSnapshots(formaldehyde, 5, 500);
    expect(frames).toHaveLength(5);
    for (const f of frames) {
      expect(f.numbers).toEqual(formaldehyde.numbers);
      const co = Math.hypot(...[0, 1, 2].map((c) => f.positions[1][c] - f.positions[0][c]));
      expect(co).toBeGreaterThan(1.1);
      expect(co).toBeLessThan(1.4);
    }
    const moved = Math.max(...frames[4].positions.map((p, a) => Math.hypot(...[0, 1, 2].map((c) => p[c] - frames[0].positions[a][c]))));
    expect(moved).toBeGreaterThan(0.005);
  });

  it('says how to install xtb when it is missing', () => {
    const saved = process.env.HAMSTUDIO_XTB;
    process.env.HAMSTUDIO_XTB = '/nonexistent/xtb';
    try {
      expect(() => mdSnapshots(formaldehyde, 2, 500)).toThrow(/apt-get install xtb/);
    } finally {
      if (saved === undefined) delete process.env.HAMSTUDIO_XTB;
      else process.env.HAMSTUDIO_XTB = saved;
    }
  });
});

describe('hamstudio finetune', () => {
  it('lowers the held-out error on formaldehyde and reports it', () => {
    writeFileSync(xyz, '4\nformaldehyde\nC 0 0 -0.529\nO 0 0 0.677\nH 0 0.935 -1.118\nH 0 -0.935 -1.118\n');
    const r = cli('finetune', '--structure', xyz, '--out', ft, '--n', '8', '--sampling', 'md', '--epochs', '20', '--jobs', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/24 candidate snapshots from xtb MD at 500 K/);
    expect(r.out).toMatch(/labelling the 8 most uncertain/);
    const report = JSON.parse(readFileSync(path.join(ft, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ baseModel: 'hco-def2svp', labelled: 8, train: 6, validation: 2, improved: true });
    // Measured in development: 24.7 mEh → 5.4 mEh after 30 epochs.
    expect(report.after.mae_H).toBeLessThan(0.7 * report.before.mae_H);
    expect(existsSync(path.join(ft, 'model', 'model.json'))).toBe(true);
    const html = readFileSync(path.join(ft, 'report.html'), 'utf8');
    expect(html).toContain('The fine-tuned model is better');
    expect(html).toContain('<svg');
    expect(r.out).toMatch(/held-out H MAE\s+base [\d.]+ μEh → fine-tuned [\d.]+ μEh/);
  }, 600_000);

  it('resumes: a second run reads the finished SCFs and model instead of recomputing', () => {
    const job = path.join(ft, 'labels', 'jobs', '0003', 'out', 'result.json');
    const before = statSync(job).mtimeMs;
    const r = cli('finetune', '--structure', xyz, '--out', ft, '--n', '8', '--sampling', 'md', '--epochs', '20', '--jobs', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/labelled \d+\/8; SCF/);
    expect(statSync(job).mtimeMs).toBe(before);
  }, 300_000);

  it('records a failed SCF and goes on; cancelling keeps what is finished', async () => {
    const work = path.join(tmp, 'labels');
    const broken: Structure = { numbers: [6, 8, 1, 1], positions: [[0, 0, 0], [0, 0, 0.0001], [0, 0.9, -0.6], [0, -0.9, -0.6]] };
    const r = await labelMolecules([formaldehyde, broken], SHELLS, work, { functional: 'pbe', basis: 'def2-svp', jobs: 2 });
    expect([...r.samples.keys()]).toEqual([0]);
    expect(r.failed.get(1)).toMatch(/\(details in .*jobs.0001\)$/);
    expect(readFileSync(path.join(work, 'jobs', '0001', 'failed.txt'), 'utf8').trim().length).toBeGreaterThan(0);
    const abort = new AbortController();
    const more = [formaldehyde, broken, formaldehyde, formaldehyde];
    const done = labelMolecules(more, SHELLS, work, { functional: 'pbe', basis: 'def2-svp', jobs: 1 }, {
      signal: abort.signal, onProgress: (p) => { if (p.done >= 2) abort.abort(); },
    });
    await expect(done).rejects.toThrow(HamError);
    await expect(done).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(existsSync(path.join(work, 'jobs', '0002', 'out', 'result.json'))).toBe(true);
    expect(existsSync(path.join(work, 'jobs', '0003', 'out', 'result.json'))).toBe(false);
  }, 300_000);

  it('says how to install psi4 when it is missing, and refuses a crystal with a molecular model', () => {
    const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/hamstudio.mjs'), 'finetune', '--structure', xyz, '--out', path.join(tmp, 'x')], {
      encoding: 'utf8', env: { ...process.env, HAMSTUDIO_BACKEND: 'wasm', HAMSTUDIO_PYTHON: '/nonexistent/python3' },
    });
    expectUserError({ code: r.status, out: r.stdout, err: r.stderr }, /psi4 is not available .* apt-get install psi4/);
    const graphene = path.resolve(import.meta.dirname, '../../resources/examples/graphene-3x3.vasp');
    expectUserError(cli('finetune', '--structure', graphene, '--out', path.join(tmp, 'y'), '--model', 'hco-def2svp'), /def2-SVP is a Gaussian basis for molecules; crystals are labelled with GPAW/);
  });
});
