/**
 * Guided fine-tuning of a crystal model with real GPAW labels (issue 6, crystals), sized for CI: 2×2 graphene cells
 * strained by up to 8 % (the shipped graphene-dzp model saw at most 1.2 %; at 4 % it is already as good as 12 steps
 * of fine-tuning make it) and displaced, a coarse grid (h = 0.35 Å) and a 3×3×1 mesh, six snapshots, a few epochs.
 * The held-out H error must fall, the report must carry the H and band errors, and bad input must give one clear
 * line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectUserError } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-finetune-crystal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A 2×2 graphene cell (8 atoms, a = 2.46 Å, 12 Å vacuum) as POSCAR, with `species` for the two sublattices. */
function poscar(file: string, species: [string, string] = ['C', 'C']): string {
  const frac = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [[(i + 1 / 3) / 2, (j + 1 / 3) / 2], [(i + 2 / 3) / 2, (j + 2 / 3) / 2]]));
  const counts = species[0] === species[1] ? `${species[0]}\n8` : `${species[0]} ${species[1]}\n4 4`;
  const order = species[0] === species[1] ? frac : [...frac.filter((_, k) => k % 2 === 0), ...frac.filter((_, k) => k % 2 === 1)];
  writeFileSync(file, `graphene 2x2\n1.0\n4.92 0 0\n2.46 4.260844986 0\n0 0 12\n${counts}\nDirect\n${order.map(([a, b]) => `${a} ${b} 0.5`).join('\n')}\n`);
  return file;
}

describe('hamstudio finetune on a crystal (GPAW)', () => {
  const vasp = poscar(path.join(tmp, 'graphene-2x2.vasp'));
  const ft = path.join(tmp, 'ft');

  it('labels strained graphene with GPAW, fine-tunes graphene-dzp and lowers the held-out error', () => {
    const r = cli('finetune', '--structure', vasp, '--out', ft, '--model', 'graphene-dzp', '--n', '6', '--strain', '0.08', '--sigma', '0.08',
      '--h', '0.35', '--kmesh', '3,3,1', '--epochs', '12', '--jobs', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/GPAW 22\.\d+\.\d+ LCAO dzp, PBE, Γ-centred 3×3×1 k-mesh, Fermi–Dirac 0.02 eV, grid h = 0.350 Å/);
    expect(r.out).toMatch(/18 candidate snapshots from thermal displacements of σ = 0.08 Å, half of them strained by up to 0.08/);
    expect(r.out).toMatch(/labelling the 6 most uncertain/);
    const report = JSON.parse(readFileSync(path.join(ft, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ baseModel: 'graphene-dzp', labelled: 6, dft: { kmesh: [3, 3, 1], h: 0.35, xc: 'PBE' } });
    expect(report.labeler).toMatch(/^GPAW /);
    expect(report.train + report.validation).toBe(6);
    expect(report.before.mae_bands).toBeGreaterThan(0);
    expect(report.after.mae_bands).toBeGreaterThan(0);
    // Measured with the model of session 17: H MAE 3.80 → 3.36 meV, falling from epoch 3 on; band MAE 70.8 → 88.1 meV
    // (2 held-out 2×2 cells on a 3×3 mesh, 12 epochs: the verdict is on H, and the report shows both).
    expect(report.after.mae_H).toBeLessThan(report.before.mae_H);
    expect(report.improved).toBe(true);
    // The warm start keeps the base model's overlap head and electron count (the trainer fits them only when absent).
    const tuned = JSON.parse(readFileSync(path.join(ft, 'model', 'model.json'), 'utf8'));
    const shipped = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/models/graphene-dzp/model.json'), 'utf8'));
    expect(tuned.overlap).toEqual(shipped.overlap);
    expect(tuned.valenceElectrons).toEqual(shipped.valenceElectrons);
    expect(report.after.mae_S).toBe(report.before.mae_S);
    expect(readdirSync(path.join(ft, 'dataset'))).toHaveLength(6);
    const html = readFileSync(path.join(ft, 'report.html'), 'utf8');
    expect(html).toContain('band MAE within ±2 eV of E_F');
    expect(html).toContain('labelled with GPAW');
    expect(r.out).toMatch(/band MAE\s+base [\d.]+ meV → fine-tuned [\d.]+ meV/);
  }, 600_000);

  it('bad input: one clear line and exit 2', () => {
    const bn = poscar(path.join(tmp, 'bn.vasp'), ['B', 'N']);
    expectUserError(cli('finetune', '--structure', bn, '--out', path.join(tmp, 'x'), '--model', 'graphene-dzp'), /B, which this model does not cover/);
    expectUserError(cli('finetune', '--structure', vasp, '--out', path.join(tmp, 'x'), '--model', 'graphene-dzp', '--sampling', 'md'), /--sampling md \(xtb\) is for molecules/);
    const water = path.resolve(import.meta.dirname, '../../resources/examples/water.xyz');
    expectUserError(cli('finetune', '--structure', water, '--out', path.join(tmp, 'x'), '--kmesh', '3,3,1'), /--strain, --kmesh and --h are for crystals/);
    expectUserError(cli('finetune', '--structure', water, '--out', path.join(tmp, 'x'), '--model', 'graphene-dzp'), /O, which this model does not cover/);
    expectUserError(cli('finetune', '--structure', vasp, '--out', path.join(tmp, 'x'), '--model', 'graphene-dzp', '--kmesh', '3,3'), /--kmesh must be three positive integers/);
    const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/hamstudio.mjs'), 'finetune', '--structure', vasp, '--out', path.join(tmp, 'x'), '--model', 'graphene-dzp'], {
      encoding: 'utf8', env: { ...process.env, HAMSTUDIO_BACKEND: 'wasm', HAMSTUDIO_PYTHON: '/nonexistent/python3' },
    });
    expectUserError({ code: r.status, out: r.stdout, err: r.stderr }, /GPAW \(with h5py\) is not available .* apt-get install gpaw gpaw-data python3-h5py/);
    expect(existsSync(path.join(tmp, 'x', 'labels'))).toBe(false);
  });
});

