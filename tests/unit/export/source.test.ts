/**
 * Reading export sources: a prediction folder in any orbital order gives the same wiki-order sample, a DeepH folder
 * is a crystal, and broken prediction folders are refused with the file and key named.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { denseMatrix } from '../../../core/datasets/sample.ts';
import { readExportSource } from '../../../core/export/source.ts';
import { encodeNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { loadConformer, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-export-source-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const water = loadConformer('water-pbe-def2svp', 5);

describe('export sources', () => {
  it('a prediction folder in psi4, pyscf or wiki order reads as the same molecule in wiki order', async () => {
    const [a, b, c] = await Promise.all((['psi4', 'pyscf', 'wiki'] as const).map((order) =>
      readExportSource(writePredictionFolder(path.join(tmp, order), water, { order }))));
    expect(a.kind).toBe('molecule');
    expect(a.predicted).toBe(true);
    expect(a.basis).toBe('def2-SVP');
    expect([a.order, b.order, c.order]).toEqual(['psi4', 'pyscf', 'wiki']);
    for (const m of ['H', 'S'] as const) {
      expect(denseMatrix(b.sample, m)).toEqual(denseMatrix(a.sample, m));
      expect(denseMatrix(c.sample, m)).toEqual(denseMatrix(a.sample, m));
    }
    expect(a.sample.structure.positions).toEqual(water.positions);
  });

  it('a legacy DeepH folder is a reference crystal in its own order', async () => {
    const s = await readExportSource(datasetPath('graphene-3x3-pbe-dzp/0000'));
    expect(s).toMatchObject({ kind: 'crystal', predicted: false, order: 'gpaw', basis: 'dzp' });
    expect(s.sample.unit).toBe('eV');
  });

  it('broken prediction folders: wrong format, shells that do not match H, a non-symmetric H', async () => {
    const dir = writePredictionFolder(path.join(tmp, 'broken'), water);
    const metaFile = path.join(dir, 'meta.json');
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    writeFileSync(metaFile, JSON.stringify({ ...meta, format: 'something-else' }));
    await expect(readExportSource(dir)).rejects.toThrow(/meta\.json \[format\]: format is "something-else", expected "hamstudio-prediction"/);
    writeFileSync(metaFile, JSON.stringify({ ...meta, shells: [[0, 0, 0, 1, 1], [0, 0, 1], [0, 0, 1]] }));
    await expect(readExportSource(dir)).rejects.toMatchObject({ code: 'E_BASIS_MISMATCH', message: expect.stringMatching(/H\.npy: shape \(24, 24\) but the shells in meta\.json give \(19, 19\)/) });
    writeFileSync(metaFile, JSON.stringify(meta));
    const H = Float64Array.from(water.H);
    H[1] += 0.5;
    writeFileSync(path.join(dir, 'H.npy'), encodeNpy([water.n, water.n], H));
    await expect(readExportSource(dir)).rejects.toThrow(/H\.npy: matrix is not symmetric/);
  });
});
