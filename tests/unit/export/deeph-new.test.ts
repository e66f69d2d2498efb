/**
 * New-layout DeepH export (DeepH-dock): graphene and a water prediction exported and read back through our reader of
 * that layout give the same structure and every H and S block to 1e-10 (H in eV); h5py reads the index tables and
 * entries with DeepH-dock's shapes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HARTREE_IN_EV } from '../../../core/contracts/units.ts';
import { readDeephLegacyFolder } from '../../../core/datasets/deeph-legacy.ts';
import { readDeephNewFolder } from '../../../core/datasets/deeph-new.ts';
import { blockIndex, blockKey, type HamiltonianSample } from '../../../core/datasets/sample.ts';
import { exportHamiltonian } from '../../../core/export/service.ts';
import { readExportSource } from '../../../core/export/source.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { PYTHON } from '../../helpers/python.ts';
import { loadConformer, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-deeph-new-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function maxDifference(a: HamiltonianSample, b: HamiltonianSample, hScale: number): number {
  const index = blockIndex(b.blocks);
  expect(index.size).toBe(a.blocks.i.length);
  let worst = 0;
  for (let k = 0; k < a.blocks.i.length; k++) {
    const p = index.get(blockKey(a.blocks.i[k], a.blocks.j[k], a.blocks.R.subarray(3 * k, 3 * k + 3)))!;
    for (const [m, f] of [['H', hScale], ['S', 1]] as const) {
      const x = a.blocks[m]!.subarray(a.blocks.offsets[k], a.blocks.offsets[k + 1]);
      const y = b.blocks[m]!.subarray(b.blocks.offsets[p], b.blocks.offsets[p + 1]);
      x.forEach((v, e) => { worst = Math.max(worst, Math.abs(v * f - y[e])); });
    }
  }
  return worst;
}

describe('deeph-new export', () => {
  it('graphene: structure, Fermi level and every block round-trip to 1e-10; h5py reads the tables', async () => {
    const folder = datasetPath('graphene-3x3-pbe-dzp/0000');
    const original = (await readDeephLegacyFolder(folder)).sample;
    const out = path.join(tmp, 'graphene');
    const r = await exportHamiltonian({ source: folder, format: 'deeph-new', out });
    expect(r.files.sort()).toEqual(['POSCAR', 'hamiltonian.h5', 'info.json', 'overlap.h5']);
    const back = (await readDeephNewFolder(out)).sample;
    expect(back.structure.numbers).toEqual(original.structure.numbers);
    back.structure.positions.forEach((p, a) => p.forEach((v, c) => expect(Math.abs(v - original.structure.positions[a][c])).toBeLessThan(1e-10)));
    expect(back.references.fermiLevel).toBe(original.references.fermiLevel);
    expect(maxDifference(original, back, 1)).toBeLessThan(1e-10);
    const shapes = execFileSync(PYTHON, ['-c', `import h5py; f = h5py.File('${path.join(out, 'hamiltonian.h5')}', 'r'); print(f['atom_pairs'].shape, f['chunk_boundaries'].shape, f['chunk_shapes'].shape, f['entries'].dtype, f['atom_pairs'].dtype)`], { encoding: 'utf8' });
    const n = original.blocks.i.length;
    expect(shapes.trim()).toBe(`(${n}, 5) (${n + 1},) (${n}, 2) float64 int64`);
  });

  it('a molecule prediction goes into a box, H converted to eV', async () => {
    const source = writePredictionFolder(path.join(tmp, 'water-pred'), loadConformer('water-pbe-def2svp', 3));
    const water = (await readExportSource(source)).sample;
    const out = path.join(tmp, 'water-new');
    await exportHamiltonian({ source, format: 'deeph-new', out });
    const back = (await readDeephNewFolder(out)).sample;
    expect(back.structure.cell).toBeDefined();
    expect(back.blocks.i.length).toBe(9);
    expect(maxDifference(water, back, HARTREE_IN_EV)).toBeLessThan(1e-10);
  });
});
