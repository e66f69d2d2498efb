/**
 * DeepH export: a graphene folder of the reference data read, exported and read back through our legacy DeepH
 * reader gives the same structure and blocks to 1e-10 in GPAW order and in DeepH-pack's OpenMX order; h5py and
 * NumPy read the files, the OpenMX blocks are the GPAW ones reordered by an index table written out here, and a
 * molecule becomes one folder of R = 0 blocks in eV with hamiltonians_pred.h5.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HARTREE_IN_EV } from '../../../core/contracts/units.ts';
import { readDeephLegacyFolder } from '../../../core/datasets/deeph-legacy.ts';
import { blockIndex, blockKey, type HamiltonianSample } from '../../../core/datasets/sample.ts';
import { exportHamiltonian } from '../../../core/export/service.ts';
import { encodeNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { loadConformer, python, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-deeph-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const value = (report: string, key: string) => Number(new RegExp(`^${key} (\\S+)$`, 'm').exec(report)?.[1]);

function maxBlockDifference(a: HamiltonianSample, b: HamiltonianSample): number {
  const index = blockIndex(b.blocks);
  expect(index.size).toBe(a.blocks.i.length);
  let worst = 0;
  for (let k = 0; k < a.blocks.i.length; k++) {
    const p = index.get(blockKey(a.blocks.i[k], a.blocks.j[k], a.blocks.R.subarray(3 * k, 3 * k + 3)));
    expect(p).toBeDefined();
    for (const m of ['H', 'S'] as const) {
      const x = a.blocks[m]!.subarray(a.blocks.offsets[k], a.blocks.offsets[k + 1]);
      const y = b.blocks[m]!.subarray(b.blocks.offsets[p!], b.blocks.offsets[p! + 1]);
      x.forEach((v, e) => { worst = Math.max(worst, Math.abs(v - y[e])); });
    }
  }
  return worst;
}

describe('deeph export', async () => {
  const folder = datasetPath('graphene-3x3-pbe-dzp/0000');
  const original = await readDeephLegacyFolder(folder);

  for (const order of ['gpaw', 'openmx'] as const) {
    it(`graphene round trip in ${order} order: structure, Fermi level and every H and S block to 1e-10`, async () => {
      const out = path.join(tmp, `graphene-${order}`);
      const r = await exportHamiltonian({ source: folder, format: 'deeph', out, ...(order === 'openmx' ? { order } : {}) });
      expect(r.order).toBe(order); // gpaw is the default: the order the source folder names
      expect(r.files).toContain('hamiltonians.h5'); // reference H keeps the reference file name
      const back = await readDeephLegacyFolder(out);
      expect(back.orbitalOrder).toBe(order);
      expect(back.sample.structure.numbers).toEqual(original.sample.structure.numbers);
      back.sample.structure.cell!.forEach((row, i) => row.forEach((v, c) => expect(v).toBe(original.sample.structure.cell![i][c])));
      back.sample.structure.positions.forEach((p, a) => p.forEach((v, c) => expect(v).toBe(original.sample.structure.positions[a][c])));
      expect(back.sample.atomShells).toEqual(original.sample.atomShells);
      expect(back.sample.references.fermiLevel).toBe(original.sample.references.fermiLevel);
      expect(maxBlockDifference(original.sample, back.sample)).toBeLessThan(1e-10);
    });
  }

  it('h5py and NumPy read the OpenMX-order folder: same keys, float64 blocks reordered (p x, y, z; d z², x²−y², xy, xz, yz)', () => {
    const report = python(`
import sys, h5py, numpy as np
out, src = sys.argv[1], sys.argv[2]
# GPAW (= m = -l..l) -> OpenMX within the 13 orbitals of a C dzp atom, shells s p s p d
within = {0: [0], 1: [2, 0, 1], 2: [2, 4, 0, 3, 1]}
perm = []
for l in [0, 1, 0, 1, 2]:
    o = len(perm)
    perm += [o + k for k in within[l]]
worst, dtypes = 0.0, set()
for name in ('hamiltonians.h5', 'overlaps.h5'):
    with h5py.File(out + '/' + name, 'r') as f, h5py.File(src + '/' + name, 'r') as g:
        assert sorted(f.keys()) == sorted(g.keys())
        for key in f.keys():
            dtypes.add(str(f[key].dtype))
            worst = max(worst, np.abs(f[key][()] - g[key][()][np.ix_(perm, perm)]).max())
print('blocks', worst)
print('dtypes', ','.join(sorted(dtypes)))
for name in ('lat.dat', 'rlat.dat', 'site_positions.dat'):
    print(name, np.abs(np.loadtxt(out + '/' + name) - np.loadtxt(src + '/' + name)).max())
print('elements', np.loadtxt(out + '/element.dat', dtype=int).tolist() == np.loadtxt(src + '/element.dat', dtype=int).tolist())
print('orbital_types', open(out + '/orbital_types.dat').read() == open(src + '/orbital_types.dat').read())
`, path.join(tmp, 'graphene-openmx'), folder);
    expect(value(report, 'blocks')).toBe(0);
    expect(report).toMatch(/^dtypes float64$/m);
    expect(value(report, 'lat.dat')).toBe(0);
    expect(value(report, 'rlat.dat')).toBeLessThan(1e-14);
    expect(value(report, 'site_positions.dat')).toBe(0);
    expect(report).toMatch(/^elements True$/m);
    expect(report).toMatch(/^orbital_types True$/m);
    const info = JSON.parse(readFileSync(path.join(tmp, 'graphene-openmx', 'info.json'), 'utf8'));
    expect(info).toMatchObject({ isspinful: false, nsites: 18, norbits: 234, isorthogonal: false, orbital_order: 'openmx', basis: 'dzp' });
  });

  it('a predicted molecule: hamiltonians_pred.h5 with the nine [0, 0, 0, i, j] blocks in eV, overlaps.h5, a Fermi level in the gap', async () => {
    const water = loadConformer('water-pbe-def2svp', 2);
    const out = path.join(tmp, 'water');
    const r = await exportHamiltonian({ source: writePredictionFolder(path.join(tmp, 'water-pred'), water), format: 'deeph', out });
    expect(r.order).toBe('psi4');
    expect(r.files).toContain('hamiltonians_pred.h5');
    writeFileSync(path.join(tmp, 'H_psi4.npy'), encodeNpy([water.n, water.n], water.H));
    const report = python(`
import sys, h5py, numpy as np
out, H = sys.argv[1], np.load(sys.argv[2]) * float(sys.argv[3])
off = [0, 14, 19, 24]
with h5py.File(out + '/hamiltonians_pred.h5', 'r') as f:
    print('keys', sorted(f.keys()))
    print('dH', max(np.abs(f['[0, 0, 0, %d, %d]' % (i + 1, j + 1)][()] - H[off[i]:off[i + 1], off[j]:off[j + 1]]).max() for i in range(3) for j in range(3)))
lat = np.loadtxt(out + '/lat.dat')
print('box', lat[0, 0], np.abs(lat - lat[0, 0] * np.eye(3)).max())
`, out, path.join(tmp, 'H_psi4.npy'), String(HARTREE_IN_EV));
    expect(report).toMatch(/^keys \['\[0, 0, 0, 1, 1\]', '\[0, 0, 0, 1, 2\]', '\[0, 0, 0, 1, 3\]', '\[0, 0, 0, 2, 1\]'/m);
    expect(value(report, 'dH')).toBeLessThan(1e-12);
    expect(/^box (\S+) (\S+)$/m.exec(report)?.slice(1).map(Number)).toEqual([22, 0]);
    const info = JSON.parse(readFileSync(path.join(out, 'info.json'), 'utf8'));
    expect(info.kind).toBe('molecule');
    expect(info.model.name).toBe('reference-H');
    // The middle of the gap between psi4's HOMO and LUMO (orbitals 5 and 6), in eV.
    expect(info.fermi_level).toBeCloseTo(0.5 * (water.orbitalEnergies[4] + water.orbitalEnergies[5]) * HARTREE_IN_EV, 8);
  });
});
