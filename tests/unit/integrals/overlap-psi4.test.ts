import { describe, expect, it } from 'vitest';
import { convertMatrix } from '../../../core/basis/conventions.ts';
import { loadBasisSet } from '../../../core/basis/library.ts';
import { BOHR_IN_ANGSTROM_CODATA2014 } from '../../../core/contracts/units.ts';
import { overlapMatrix } from '../../../core/integrals/overlap.ts';
import { loadStructure } from './dataset-fixture.ts';

const basis = loadBasisSet('def2-SVP');

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const CASES: [string, number][] = [
  ['water-pbe-def2svp', 0], ['water-pbe-def2svp', 1],
  ['ethanol-pbe-def2svp', 0], ['ethanol-pbe-def2svp', 1],
  ['water-pbe-def2svp-rotated', 0], ['ethanol-pbe-def2svp-rotated', 0],
];

describe('overlap matrix against psi4 1.3.2 (def2-SVP)', () => {
  for (const [dataset, index] of CASES) {
    it(`${dataset} #${index}: max |S − S_psi4| ≤ 1e-9 in wiki order`, () => {
      const ref = loadStructure(dataset, index);
      // psi4 1.3.2 converted Å → bohr with CODATA 2014; with its constant the geometry is psi4's to the last bit.
      const { S, n, layout } = overlapMatrix(ref.numbers, ref.positions, basis, { bohrInAngstrom: BOHR_IN_ANGSTROM_CODATA2014 });
      expect(n).toBe(ref.n);
      expect(layout.shellLs).toEqual(ref.shellLs);
      expect(maxAbsDiff(S, convertMatrix(ref.S, ref.shellLs, 'psi4', 'wiki'))).toBeLessThanOrEqual(1e-9);
    });
  }

  it('the CODATA 2018 default shifts S by a few 1e-10 on these geometries: the bohr constant is what differs', () => {
    const ref = loadStructure('ethanol-pbe-def2svp', 0);
    const psi = convertMatrix(ref.S, ref.shellLs, 'psi4', 'wiki');
    const exact = maxAbsDiff(overlapMatrix(ref.numbers, ref.positions, basis, { bohrInAngstrom: BOHR_IN_ANGSTROM_CODATA2014 }).S, psi);
    const shifted = maxAbsDiff(overlapMatrix(ref.numbers, ref.positions, basis).S, psi);
    expect(exact).toBeLessThan(1e-13);
    expect(shifted).toBeGreaterThan(1e-11);
    expect(shifted).toBeLessThan(1e-9);
  });
});
