/**
 * The export service's refusals (the CLI test covers the command line): each is a HamError raised before anything
 * is written — a crystal to a molecule-only format, orders a format does not allow, a folder that is no source, an
 * output folder that would replace the source; plus the registry's contents.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportFormat } from '../../../core/export/registry.ts';
import { exportHamiltonian, type ExportRequest } from '../../../core/export/service.ts';
import { encodeNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { loadConformer, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-export-service-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const prediction = writePredictionFolder(path.join(tmp, 'pred'), loadConformer('water-pbe-def2svp', 1));

async function expectRefused(req: ExportRequest, code: string, pattern: RegExp) {
  await expect(exportHamiltonian(req)).rejects.toMatchObject({ name: 'HamError', code, message: expect.stringMatching(pattern) });
  expect(existsSync(req.out) && req.out !== req.source).toBe(false);
  expect(readdirSync(path.dirname(req.out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
}

describe('export service', () => {
  it('the registry holds one entry per format; molecule-only formats fix their order', () => {
    expect(EXPORT_FORMATS.map((f) => f.name)).toEqual(['npy', 'pyscf', 'psi4', 'molden', 'deeph', 'deeph-new', 'wannier90']);
    for (const name of ['pyscf', 'psi4', 'molden']) {
      expect(exportFormat(name).kinds).toEqual(['molecule']);
      expect(exportFormat(name).order).toEqual({ fixed: name });
    }
    expect(exportFormat('deeph').kinds).toEqual(['molecule', 'crystal']);
    expect(() => exportFormat('xyz')).toThrow(/unknown export format 'xyz'/);
  });

  for (const format of ['psi4', 'molden']) {
    it(`refuses a crystal for ${format}`, async () => {
      await expectRefused({ source: datasetPath('graphene-3x3-pbe-dzp/0000'), format, out: path.join(tmp, `c-${format}`) },
        'E_INPUT', new RegExp(`the ${format} export holds molecule data, and this source is a crystal`));
    });
  }

  it('refuses a molecule for the crystal-only wannier90 format', async () => {
    await expectRefused({ source: prediction, format: 'wannier90', out: path.join(tmp, 'm-wannier90') },
      'E_INPUT', /the wannier90 export holds crystal data, and this source is a molecule/);
  });

  it('refuses an order the format does not write, and unknown orders; accepts the format\'s own', async () => {
    await expectRefused({ source: prediction, format: 'psi4', out: path.join(tmp, 'o1'), order: 'wiki' }, 'E_INPUT', /always in psi4 order; --order wiki does not apply/);
    await expectRefused({ source: prediction, format: 'deeph', out: path.join(tmp, 'o2'), order: 'cp2k' }, 'E_INPUT', /unknown orbital order 'cp2k'/);
    const ok = await exportHamiltonian({ source: prediction, format: 'molden', out: path.join(tmp, 'o3'), order: 'molden' });
    expect(ok.files).toEqual(['orbitals.molden']);
  });

  it('an order that does not cover the shells (OpenMX has no l = 4 order) fails while writing; nothing is left', async () => {
    const dir = path.join(tmp, 'g-shell');
    mkdirSync(dir);
    const n = 10;
    const unit = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
    writeFileSync(path.join(dir, 'H.npy'), encodeNpy([n, n], unit));
    writeFileSync(path.join(dir, 'S.npy'), encodeNpy([n, n], unit));
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({
      format: 'hamstudio-prediction', units: { H: 'hartree' }, orbital_order: 'wiki', atomic_numbers: [1], positions: [[0, 0, 0]],
      shells: [[0, 4]], basis: 'made-up',
    }));
    await expectRefused({ source: dir, format: 'npy', out: path.join(tmp, 'o4'), order: 'openmx' }, 'E_UNSUPPORTED_ELEMENT', /openmx orbital order is not known for l = 4/);
    const ok = await exportHamiltonian({ source: dir, format: 'npy', out: path.join(tmp, 'o4'), order: 'molden' });
    expect(ok.files).toContain('H.npy');
  });

  it('refuses a folder that is no source, and an output folder that would replace the source', async () => {
    await expectRefused({ source: tmp, format: 'npy', out: path.join(tmp, 'o5') }, 'E_INPUT', /not an export source/);
    await expect(exportHamiltonian({ source: prediction, format: 'npy', out: prediction, force: true }))
      .rejects.toThrow(/would replace the source folder/);
    await expect(exportHamiltonian({ source: path.join(prediction, 'sub'), format: 'npy', out: prediction, force: true }))
      .rejects.toThrow(/would replace the source folder/);
    expect(existsSync(path.join(prediction, 'H.npy'))).toBe(true);
  });
});
