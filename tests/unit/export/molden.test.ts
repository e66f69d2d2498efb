/**
 * Molden export, read back: with our own reader of the file's [GTO] section the overlap is recomputed analytically
 * (core/integrals) and the file's orbitals must be orthonormal under it (Cᵀ S C = 1) and solve H C = S C E; NumPy,
 * independently of our integral code, checks that every written contraction has norm 1 for normalised primitives
 * (the raw def2-SVP coefficients do not) and that the orbitals are orthonormal under psi4's own overlap matrix
 * reordered to Molden's order by hand.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertCoefficients, convertMatrix } from '../../../core/basis/conventions.ts';
import type { GaussianBasisSet } from '../../../core/basis/gaussian-basis.ts';
import { elementShells, loadBasisSet } from '../../../core/basis/library.ts';
import { exportHamiltonian } from '../../../core/export/service.ts';
import { overlapMatrix } from '../../../core/integrals/overlap.ts';
import { loadConformer, python, writePredictionFolder, type Conformer } from './fixtures.ts';
import { readMolden, type MoldenFile } from './molden-reader.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-molden-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function exportMolden(c: Conformer, name: string): Promise<{ file: string; molden: MoldenFile }> {
  const out = path.join(tmp, `${name}-molden`);
  await exportHamiltonian({ source: writePredictionFolder(path.join(tmp, name), c), format: 'molden', out });
  const file = path.join(out, 'orbitals.molden');
  return { file, molden: readMolden(readFileSync(file, 'utf8')) };
}

/** Max |Cᵀ S C − 1| over the file's orbitals, with S recomputed from the file's own basis and atoms. */
function readBack(m: MoldenFile, shellLs: number[]) {
  const basis: GaussianBasisSet = { name: 'from molden file', elements: new Map(), ecpElements: new Set() };
  m.numbers.forEach((z, a) => { if (!basis.elements.has(z)) basis.elements.set(z, m.shells[a]); });
  const { S, n } = overlapMatrix(m.numbers, m.positions, basis);
  const nmo = m.mos.length;
  const Cfile = Float64Array.from({ length: n * nmo }, (_, k) => m.mos[k % nmo].coefficients[Math.floor(k / nmo)]);
  const C = convertCoefficients(Cfile, shellLs, nmo, 'molden', 'wiki');
  let worst = 0;
  for (let p = 0; p < nmo; p++) for (let q = 0; q < nmo; q++) {
    let s = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) s += C[a * nmo + p] * S[a * n + b] * C[b * nmo + q];
    worst = Math.max(worst, Math.abs(s - (p === q ? 1 : 0)));
  }
  return { worst, C, S, n, nmo };
}

describe('molden export', async () => {
  const water = loadConformer('water-pbe-def2svp', 3);
  const { file, molden } = await exportMolden(water, 'water');

  it('has the sections, units and conventions readers look for', () => {
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('[Molden Format]\n')).toBe(true);
    expect(text).toMatch(/^\[Atoms\] Angs$/m);
    expect(molden.flags).toEqual(['5D']);
    expect(molden.title.join(' ')).toMatch(/no ORCA sign flip of the \|m\| >= 3 functions is applied/);
    expect(molden.title.join(' ')).toMatch(/hartree/);
    expect(molden.numbers).toEqual([8, 1, 1]);
    molden.positions.forEach((p, a) => p.forEach((x, c) => expect(x).toBeCloseTo(water.positions[a][c], 12)));
    expect(molden.mos).toHaveLength(24);
    expect(molden.mos.map((m) => m.occupation)).toEqual([...Array(5).fill(2), ...Array(19).fill(0)]);
    expect(new Set(molden.mos.map((m) => m.spin))).toEqual(new Set(['Alpha']));
  });

  it('the file basis is def2-SVP (same exponents, coefficients proportional to the basis file)', () => {
    const basis = loadBasisSet('def2-SVP');
    molden.numbers.forEach((z, a) => {
      const ref = elementShells(basis, z);
      expect(molden.shells[a].map((s) => s.l)).toEqual(ref.map((s) => s.l));
      molden.shells[a].forEach((s, k) => {
        expect(s.exponents).toEqual(ref[k].exponents);
        const ratio = s.coefficients[0] / ref[k].coefficients[0];
        s.coefficients.forEach((c, p) => expect(c / ref[k].coefficients[p]).toBeCloseTo(ratio, 12));
      });
    });
  });

  it('read back: Cᵀ S C = 1 to 1e-8 with S recomputed from the file, and H C = S C E with the file energies', () => {
    const { worst, C, S, n, nmo } = readBack(molden, water.shellLs);
    expect(worst).toBeLessThan(1e-8);
    const H = convertMatrix(water.H, water.shellLs, 'psi4', 'wiki');
    let residual = 0;
    for (let p = 0; p < nmo; p++) for (let a = 0; a < n; a++) {
      let r = 0;
      for (let b = 0; b < n; b++) r += (H[a * n + b] - molden.mos[p].energy * S[a * n + b]) * C[b * nmo + p];
      residual = Math.max(residual, Math.abs(r));
    }
    expect(residual).toBeLessThan(1e-8);
  });

  it("NumPy: contractions have norm 1 (raw def2-SVP coefficients do not) and Cᵀ S_psi4 C = 1 in Molden's order", () => {
    const out = python(`
import sys, numpy as np
text = open(sys.argv[1]).read().split('\\n')
sec, shells, mos = None, [], []
i = 0
while i < len(text):
    t = text[i].strip(); i += 1
    if t.startswith('['):
        sec = t.split(']')[0][1:].upper(); continue
    if sec == 'GTO' and t and t.split()[0] in 'spdfg':
        l = 'spdfg'.index(t.split()[0]); n = int(t.split()[1])
        prim = np.array([[float(v) for v in text[i + k].split()] for k in range(n)]); i += n
        shells.append((l, prim[:, 0], prim[:, 1]))
    elif sec == 'MO' and t:
        if t.startswith('Sym'): mos.append([])
        elif '=' not in t: mos[-1].append(float(t.split()[1]))
def norm2(l, a, d):  # overlap of normalised primitives: (2 sqrt(a_i a_j) / (a_i + a_j))^(l + 3/2)
    return d @ ((2 * np.sqrt(np.outer(a, a)) / np.add.outer(a, a)) ** (l + 1.5)) @ d
print('worst_norm', max(abs(norm2(l, a, d) - 1) for l, a, d in shells))
print('raw_h1s', norm2(0, np.array([13.010701, 1.9622572, 0.44453796]), np.array([0.019682158, 0.13796524, 0.47831935])))
# psi4 order within a shell: p z, x, y; d m = 0, +1, -1, +2, -2. Molden: p x, y, z; d the same as psi4.
perm = []
for l in [0, 0, 0, 1, 1, 2] + [0, 0, 1] * 2:
    o = len(perm)
    perm += [o + k for k in ([1, 2, 0] if l == 1 else range(2 * l + 1))]
S = np.load(sys.argv[2])[np.ix_(perm, perm)]
C = np.array(mos).T
print('worst_orth', np.abs(C.T @ S @ C - np.eye(C.shape[1])).max())
`, file, path.join(tmp, 'water', 'S.npy'));
    const value = (key: string) => Number(new RegExp(`${key} (\\S+)`).exec(out)?.[1]);
    expect(value('worst_norm')).toBeLessThan(1e-12);
    expect(Math.abs(value('raw_h1s') - 1)).toBeGreaterThan(0.5);
    expect(value('worst_orth')).toBeLessThan(1e-8);
  });

  it('ethanol (C, O with d shells): read back Cᵀ S C = 1 to 1e-8', async () => {
    const ethanol = loadConformer('ethanol-pbe-def2svp', 11);
    const { molden: m } = await exportMolden(ethanol, 'ethanol');
    expect(m.mos).toHaveLength(72);
    expect(m.mos.filter((o) => o.occupation === 2)).toHaveLength(13);
    expect(readBack(m, ethanol.shellLs).worst).toBeLessThan(1e-8);
  });
});
