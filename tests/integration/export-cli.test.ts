/**
 * `hamstudio export` from the command line: a real `hamstudio predict` folder (from a small freshly trained model)
 * exported to every molecular format, its psi4 script accepted by psi4 (its overlap check passes on predict's
 * analytic S); and bad input — unknown format, a crystal to a molecule-only format and a molecule to a crystal-only
 * one, a prediction without S, an occupied output folder — gives one line on stderr, exit 2 and no output (more
 * refusals, in-process, in tests/unit/export/service.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHamiltonian } from '../../core/export/service.ts';
import { cli, expectUserError } from '../helpers/cli.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { PYTHON } from '../helpers/python.ts';
import { loadConformer, writePredictionFolder } from '../unit/export/fixtures.ts';

const GRAPHENE = datasetPath('graphene-3x3-pbe-dzp/0000');
let tmp: string;
let prediction: string;



/** Nothing at `out`, and no temporary sibling left behind. */
function expectNothingWritten(out: string) {
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(path.dirname(out)).filter((f) => f.startsWith(`.${path.basename(out)}.tmp`))).toEqual([]);
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-export-cli-'));
  writeFileSync(path.join(tmp, 'tiny.json'), JSON.stringify({ channels: 2, layers: 1, radialHidden: 4, tracegrad: { invariants: 1, hidden: 4, zDim: 2, alphaInit: 0.1 } }));
  const t = cli('train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25', '--config', path.join(tmp, 'tiny.json'), '--epochs', '1', '--out', path.join(tmp, 'run'));
  expect(t.code, t.err).toBe(0);
  writeFileSync(path.join(tmp, 'water.xyz'), '3\n\nO 0.01 -0.02 0.1173\nH 0 0.7572 -0.4692\nH 0.03 -0.7572 -0.4692\n');
  prediction = path.join(tmp, 'pred');
  const p = cli('predict', path.join(tmp, 'water.xyz'), '--model', path.join(tmp, 'run', 'model'), '--out', prediction);
  expect(p.code, p.err).toBe(0);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hamstudio export', () => {
  it('exports a hamstudio predict folder: psi4 and deeph from the command line, the other formats through the same service', async () => {
    const expected: Record<string, string[]> = {
      npy: ['H.npy', 'S.npy', 'meta.json'],
      pyscf: ['H.npy', 'S.npy', 'dm0.npy', 'meta.json', 'run_pyscf.py'],
      psi4: ['C_occ.npy', 'S.npy', 'meta.json', 'run_psi4.py'],
      molden: ['orbitals.molden'],
      deeph: ['element.dat', 'hamiltonians_pred.h5', 'info.json', 'lat.dat', 'orbital_types.dat', 'overlaps.h5', 'rlat.dat', 'site_positions.dat'],
    };
    for (const [format, files] of Object.entries(expected)) {
      const out = path.join(tmp, `out-${format}`);
      if (format === 'psi4' || format === 'deeph') {
        const r = cli('export', prediction, '--format', format, '--out', out);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toMatch(new RegExp(`^${format} export of a molecule`));
      } else {
        await exportHamiltonian({ source: prediction, format, out });
      }
      expect(readdirSync(out).sort()).toEqual(files);
    }
  });

  it("psi4 accepts the exported predict folder: predict's analytic S is psi4's overlap in psi4 order", () => {
    const r = spawnSync(PYTHON, [path.join(tmp, 'out-psi4', 'run_psi4.py')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^iterations\s+\d+$/m);
    expect(r.stdout).toMatch(/^energy\s+-76\.\d+ hartree$/m);
  });

  it('--help lists the formats', () => {
    const r = cli('export', '--help');
    expect(r.code).toBe(0);
    for (const f of ['npy', 'pyscf', 'psi4', 'molden', 'deeph', 'deeph-new', 'wannier90']) expect(r.out).toMatch(new RegExp(`^  ${f} `, 'm'));
  });

  it('an unknown format', () => {
    const out = path.join(tmp, 'bad-format');
    expectUserError(cli('export', prediction, '--format', 'cube', '--out', out), /unknown export format 'cube'; known: npy, pyscf, psi4, molden, deeph, deeph-new, wannier90/);
    expectNothingWritten(out);
  });

  it('a crystal to the molecule-only pyscf format', () => {
    const out = path.join(tmp, 'crystal-pyscf');
    expectUserError(cli('export', GRAPHENE, '--format', 'pyscf', '--out', out), /the pyscf export holds molecule data, and this source is a crystal/);
    expectNothingWritten(out);
  });

  it('a molecule to the crystal-only wannier90 format', () => {
    const out = path.join(tmp, 'molecule-wannier90');
    expectUserError(cli('export', prediction, '--format', 'wannier90', '--out', out), /the wannier90 export holds crystal data, and this source is a molecule/);
    expectNothingWritten(out);
  });

  it('a prediction folder without S.npy', () => {
    const src = writePredictionFolder(path.join(tmp, 'no-s'), loadConformer('water-pbe-def2svp', 0), { withS: false });
    const out = path.join(tmp, 'no-s-out');
    expectUserError(cli('export', src, '--format', 'npy', '--out', out), /no-s\/S\.npy: missing S\.npy: every export needs the overlap matrix/);
    expectNothingWritten(out);
  });

  it('an occupied output folder is kept unless --force', () => {
    const out = path.join(tmp, 'occupied');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expectUserError(cli('export', prediction, '--format', 'npy', '--out', out), /not empty; choose another --out or replace it with --force/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(cli('export', prediction, '--format', 'npy', '--out', out, '--force').code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['H.npy', 'S.npy', 'meta.json']);
  });
});
