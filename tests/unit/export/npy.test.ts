/**
 * npy export read by NumPy (and h5py for the crystal's original blocks): molecules as H.npy/S.npy in the requested
 * order, checked against psi4's matrices reordered by an index table written out here; crystals as H_R/S_R/R, whose
 * slices must hold every block of the DeepH folder they came from and satisfy H(−R) = H(R)ᵀ.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportHamiltonian } from '../../../core/export/service.ts';
import { encodeNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { loadConformer, python, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const value = (report: string, key: string) => Number(new RegExp(`^${key} (\\S+)$`, 'm').exec(report)?.[1]);

describe('npy export', () => {
  const ethanol = loadConformer('ethanol-pbe-def2svp', 4);
  const source = writePredictionFolder(path.join(tmp, 'pred'), ethanol);
  writeFileSync(path.join(tmp, 'H_psi4.npy'), encodeNpy([ethanol.n, ethanol.n], ethanol.H));

  it('molecule, default wiki order: meta.json says so, and H is psi4\'s H with p (y, z, x) and d m = −2…2', async () => {
    const out = path.join(tmp, 'wiki');
    const r = await exportHamiltonian({ source, format: 'npy', out });
    expect(r.order).toBe('wiki');
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'hamstudio-export', export: 'npy', orbital_order: 'wiki', basis: 'def2-SVP', atomic_numbers: ethanol.numbers });
    expect(meta.units).toMatchObject({ H: 'hartree', S: 'dimensionless', positions: 'angstrom' });
    expect(meta.shells).toEqual(ethanol.atomShells);
    expect(meta.positions).toEqual(ethanol.positions);
    expect(meta.model.name).toBe('reference-H');
    const report = python(`
import sys, json, numpy as np
d = sys.argv[1]
shells = json.load(open(d + '/meta.json'))['shells']
perm = []
for l in [l for atom in shells for l in atom]:
    o = len(perm)
    perm += [o + k for k in {0: [0], 1: [2, 0, 1], 2: [4, 2, 0, 1, 3]}[l]]
H = np.load(d + '/H.npy')
ref = np.load(sys.argv[2])
print('shape', H.shape, H.dtype)
print('dH', np.abs(H - ref[np.ix_(perm, perm)]).max())
`, out, path.join(tmp, 'H_psi4.npy'));
    expect(report).toMatch(/^shape \(72, 72\) float64$/m);
    expect(value(report, 'dH')).toBe(0);
  });

  it('molecule, --order psi4 gives back the psi4 matrices bit for bit', async () => {
    const out = path.join(tmp, 'psi4');
    await exportHamiltonian({ source, format: 'npy', out, order: 'psi4' });
    const report = python(`
import sys, numpy as np
print('dH', np.abs(np.load(sys.argv[1] + '/H.npy') - np.load(sys.argv[2])).max())
`, out, path.join(tmp, 'H_psi4.npy'));
    expect(value(report, 'dH')).toBe(0);
  });

  it('crystal (graphene, GPAW order): H_R, S_R and R hold every block of the DeepH folder; H(−R) = H(R)ᵀ', async () => {
    const folder = datasetPath('graphene-3x3-pbe-dzp/0000');
    const out = path.join(tmp, 'graphene');
    const r = await exportHamiltonian({ source: folder, format: 'npy', out, order: 'gpaw' });
    expect(r.kind).toBe('crystal');
    expect(r.files.sort()).toEqual(['H_R.npy', 'R.npy', 'S_R.npy', 'meta.json']);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.units.H).toBe('eV');
    expect(meta.cell[0][0]).toBeCloseTo(7.38, 12);
    const report = python(`
import sys, h5py, numpy as np
d, src = sys.argv[1], sys.argv[2]
H, S, R = (np.load(d + '/' + f) for f in ('H_R.npy', 'S_R.npy', 'R.npy'))
print('shapes', H.shape, S.shape, R.shape, R.dtype)
index = {tuple(r): k for k, r in enumerate(R)}
worst = 0.0
for name, M in (('hamiltonians.h5', H), ('overlaps.h5', S)):
    with h5py.File(src + '/' + name, 'r') as f:
        for key in f.keys():
            r1, r2, r3, i, j = (int(x) for x in key.strip('[]').split(','))
            block = M[index[(r1, r2, r3)], 13 * (i - 1):13 * i, 13 * (j - 1):13 * j]
            worst = max(worst, np.abs(block - f[key][()]).max())
print('blocks', worst)
print('herm', max(np.abs(H[index[tuple(-r)]] - H[k].T).max() for k, r in enumerate(R)))
`, out, folder);
    expect(report).toMatch(/^shapes \(\d+, 234, 234\) \(\d+, 234, 234\) \(\d+, 3\) int32$/m);
    expect(value(report, 'blocks')).toBe(0);
    expect(value(report, 'herm')).toBeLessThan(1e-9);
  });
});
