/**
 * PySCF export. PySCF itself is not installed on this machine, so run_pyscf.py cannot run here: Python's own parser
 * checks the script and its geometry, and NumPy checks the arrays — S.npy is psi4's overlap of the same conformer
 * reordered to PySCF's cart=False order by an index table written out here (p: psi4 z, x, y → x, y, z; d: psi4
 * m = 0, +1, −1, +2, −2 → m = −2…2), and dm0 is a closed-shell density of 10 electrons.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportHamiltonian } from '../../../core/export/service.ts';
import { encodeNpy } from '../../../core/io/npy.ts';
import { loadConformer, python, writePredictionFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-pyscf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pyscf export', async () => {
  const water = loadConformer('water-pbe-def2svp', 9);
  // The prediction folder is in wiki order, so the export must really convert.
  const source = writePredictionFolder(path.join(tmp, 'pred'), water, { order: 'wiki' });
  const out = path.join(tmp, 'pyscf');
  const result = await exportHamiltonian({ source, format: 'pyscf', out });
  writeFileSync(path.join(tmp, 'S_psi4.npy'), encodeNpy([water.n, water.n], water.S));
  writeFileSync(path.join(tmp, 'H_psi4.npy'), encodeNpy([water.n, water.n], water.H));

  it('writes H, S, dm0, run_pyscf.py and meta.json naming units and the pyscf order', () => {
    expect(result.files.sort()).toEqual(['H.npy', 'S.npy', 'dm0.npy', 'meta.json', 'run_pyscf.py']);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.orbital_order).toBe('pyscf');
    expect(meta.units.H).toBe('hartree');
    expect(meta.basis).toBe('def2-SVP');
  });

  it('NumPy: S.npy is psi4\'s S in PySCF order, H.npy psi4\'s H likewise, and trace(dm0 S) = 10 with dm0 S dm0 = 2 dm0', () => {
    const report = python(`
import sys, numpy as np
d, S_psi4, H_psi4 = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3])
perm = []
for l in [0, 0, 0, 1, 1, 2] + [0, 0, 1] * 2:
    o = len(perm)
    perm += [o + k for k in {0: [0], 1: [1, 2, 0], 2: [4, 2, 0, 1, 3]}[l]]
S, H, dm0 = (np.load(d + '/' + f) for f in ('S.npy', 'H.npy', 'dm0.npy'))
P = np.ix_(perm, perm)
print('dS', np.abs(S - S_psi4[P]).max())
print('dH', np.abs(H - H_psi4[P]).max())
print('naive', np.abs(S - S_psi4).max())
print('trace', np.trace(dm0 @ S))
print('idem', np.abs(dm0 @ S @ dm0 - 2 * dm0).max())
print('sym', np.abs(dm0 - dm0.T).max())
`, out, path.join(tmp, 'S_psi4.npy'), path.join(tmp, 'H_psi4.npy'));
    const v = (k: string) => Number(new RegExp(`^${k} (\\S+)$`, 'm').exec(report)?.[1]);
    expect(v('dS')).toBeLessThan(1e-14);
    expect(v('dH')).toBeLessThan(1e-14);
    expect(v('naive')).toBeGreaterThan(0.1);
    expect(v('trace')).toBeCloseTo(10, 10);
    expect(v('idem')).toBeLessThan(1e-10);
    expect(v('sym')).toBe(0);
  });

  it("run_pyscf.py parses as Python, builds gto.M with def2-svp in Å from the conformer's exact positions, checks int1e_ovlp and passes dm0", () => {
    const report = python(`
import ast, sys
src = open(sys.argv[1]).read()
tree = ast.parse(src)
atom = next(n.value.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == 'ATOM')
print('atoms', repr([[l.split()[0]] + [float(x) for x in l.split()[1:]] for l in atom.strip().split('\\n')]))
calls = {n.func.attr: {k.arg: ast.literal_eval(k.value) for k in n.keywords if isinstance(k.value, ast.Constant)}
         for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
print('M', calls['M'])
print('RKS', calls['RKS'])
print('intor', 'int1e_ovlp' in src, 'kernel(dm0=dm0)' in src, 'cycles' in src)
`, path.join(out, 'run_pyscf.py'));
    const atoms = JSON.parse(/^atoms (.*)$/m.exec(report)![1].replace(/'/g, '"')) as [string, number, number, number][];
    expect(atoms.map((a) => a[0])).toEqual(['O', 'H', 'H']);
    atoms.forEach((a, i) => expect(a.slice(1)).toEqual(water.positions[i]));
    expect(report).toMatch(/^M \{'basis': 'def2-svp', 'unit': 'Angstrom', 'charge': 0, 'spin': 0, 'cart': False\}$/m);
    expect(report).toMatch(/^RKS \{'xc': 'pbe'\}$/m);
    expect(report).toMatch(/^intor True True True$/m);
  });
});
