/**
 * Density matrix, frontier orbitals and Mulliken charges (core/physics/density.ts, mulliken.ts) on psi4's converged
 * water and ethanol Hamiltonians: Tr(P S) = N, P S P = 2 P, charges that add up to zero with a negative oxygen, and
 * the same charges psi4's own Mulliken analysis gives for the same SCF.
 */
import { describe, expect, it } from 'vitest';
import { convertMatrix } from '../../../core/basis/conventions.ts';
import { atomOrbitalOffsets } from '../../../core/datasets/sample.ts';
import { closedShellDensity, frontierOrbitals, occupiedCoefficients } from '../../../core/physics/density.ts';
import { generalizedEigen } from '../../../core/physics/generalized-eigen.ts';
import { occupiedOrbitals } from '../../../core/physics/molecular-metrics.ts';
import { mulliken } from '../../../core/physics/mulliken.ts';
import { loadConformer, python } from './fixtures.ts';

function matmul(A: Float64Array, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const a = A[i * n + k];
    for (let j = 0; j < n; j++) C[i * n + j] += a * B[k * n + j];
  }
  return C;
}

const trace = (M: Float64Array, n: number) => Array.from({ length: n }, (_, i) => M[i * n + i]).reduce((a, b) => a + b, 0);

describe('closed-shell density and Mulliken analysis', () => {
  const water = loadConformer('water-pbe-def2svp', 0);
  const H = convertMatrix(water.H, water.shellLs, 'psi4', 'wiki');
  const S = convertMatrix(water.S, water.shellLs, 'psi4', 'wiki');
  const { n } = water;
  const eig = generalizedEigen(H, S, n);
  const nOcc = occupiedOrbitals(water.numbers);
  const P = closedShellDensity(eig, nOcc);
  const charges = mulliken(P, S, n, atomOrbitalOffsets(water.atomShells), water.numbers).charges;

  it('water: Tr(P S) = 10 electrons and P S P = 2 P', () => {
    expect(nOcc).toBe(5);
    expect(trace(matmul(P, S, n), n)).toBeCloseTo(10, 10);
    const PSP = matmul(matmul(P, S, n), P, n);
    expect(Math.max(...PSP.map((v, k) => Math.abs(v - 2 * P[k])))).toBeLessThan(1e-10);
  });

  it('water: Mulliken charges add up to zero, O negative, both H positive', () => {
    expect(charges.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(charges[0]).toBeLessThan(-0.1);
    expect(charges[1]).toBeGreaterThan(0.05);
    expect(charges[2]).toBeGreaterThan(0.05);
  });

  it("water: the charges equal psi4's Mulliken charges of the same PBE/def2-SVP SCF", () => {
    const geometry = water.numbers.map((z, a) => `${z === 8 ? 'O' : 'H'} ${water.positions[a].join(' ')}`).join('\n');
    const out = python(`
import sys, json
sys.path.insert(0, '/usr/lib/x86_64-linux-gnu')
import psi4
psi4.core.be_quiet()
psi4.set_options({'basis': 'def2-svp', 'puream': True, 'scf_type': 'df', 'e_convergence': 1e-10, 'd_convergence': 1e-10})
mol = psi4.geometry("""0 1\\n${geometry}\\nsymmetry c1\\nnocom\\nnoreorient\\nunits angstrom""")
e, wfn = psi4.energy('pbe', return_wfn=True)
psi4.oeprop(wfn, 'MULLIKEN_CHARGES')
print(json.dumps(list(wfn.atomic_point_charges().np)))
`);
    const psi4Charges = JSON.parse(out.trim().split('\n').pop() as string) as number[];
    psi4Charges.forEach((q, a) => expect(Math.abs(q - charges[a])).toBeLessThan(1e-6));
  });

  it('water: HOMO, LUMO and gap are the reference orbital energies 5 and 6', () => {
    const f = frontierOrbitals(eig, nOcc);
    expect(f.homo).toBe(eig.values[4]);
    expect(f.lumo).toBe(eig.values[5]);
    expect(f.gap).toBeCloseTo(eig.values[5] - eig.values[4], 14);
    expect(f.gap).toBeGreaterThan(0.1);
  });

  it('ethanol: Tr(P S) = 26 electrons, charges add up to zero and O is the most negative atom', () => {
    const eth = loadConformer('ethanol-pbe-def2svp', 7);
    const He = convertMatrix(eth.H, eth.shellLs, 'psi4', 'wiki');
    const Se = convertMatrix(eth.S, eth.shellLs, 'psi4', 'wiki');
    const e = generalizedEigen(He, Se, eth.n);
    const Pe = closedShellDensity(e, occupiedOrbitals(eth.numbers));
    expect(trace(matmul(Pe, Se, eth.n), eth.n)).toBeCloseTo(26, 9);
    const q = mulliken(Pe, Se, eth.n, atomOrbitalOffsets(eth.atomShells), eth.numbers).charges;
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const o = eth.numbers.indexOf(8);
    expect(Math.min(...q)).toBe(q[o]);
  });

  it('occupiedCoefficients are the first columns of C; out-of-range occupations are refused', () => {
    const C = occupiedCoefficients(eig, nOcc);
    for (let a = 0; a < n; a++) for (let k = 0; k < nOcc; k++) expect(C[a * nOcc + k]).toBe(eig.vectors[a * eig.m + k]);
    expect(() => closedShellDensity(eig, 0)).toThrow(/0 doubly occupied/);
    expect(() => frontierOrbitals(eig, n + 1)).toThrow(/25 doubly occupied orbitals requested, the basis has 24/);
    expect(frontierOrbitals(eig, n)).toEqual({ homo: eig.values[n - 1] });
  });
});
