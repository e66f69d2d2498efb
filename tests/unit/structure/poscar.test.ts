import { describe, expect, it } from 'vitest';
import { det3 } from '../../../core/structure/cell.ts';
import { readPoscar, writePoscar } from '../../../core/structure/formats/poscar.ts';
import type { Structure, Vec3 } from '../../../core/structure/structure.ts';
import { readFixture } from './helpers.ts';

const expectVec = (a: Vec3, b: number[], digits = 9): void => a.forEach((x, k) => expect(x).toBeCloseTo(b[k], digits));

describe('readPoscar', () => {
  it('reads VASP 5 Direct coordinates with a scale factor and selective dynamics', () => {
    const [s] = readPoscar(readFixture('POSCAR'), 'POSCAR');
    expect(s.numbers).toEqual([14, 14, 8]);
    expect(s.cell).toEqual([[5.4, 0, 0], [0, 5.4, 0], [0, 0, 5.4]].map((r) => r.map((x) => x)));
    expect(s.pbc).toEqual([true, true, true]);
    expectVec(s.positions[1], [1.35, 1.35, 1.35]);
    expectVec(s.positions[2], [2.7, 2.7, 0.54]);
    expect(s.info).toEqual({ comment: 'Si8 O2 cubic test cell' });
  });

  it('reads a Cartesian CONTCAR with a target volume, POTCAR-decorated symbols and velocities', () => {
    const [s] = readPoscar(readFixture('CONTCAR'), 'CONTCAR');
    expect(s.numbers).toEqual([31, 7]);
    expect(Math.abs(det3(s.cell!))).toBeCloseTo(60, 10);
    const f = Math.cbrt(60 / (2 * 1.7320508076 * 5));
    expectVec(s.cell![1], [-f, 1.7320508076 * f, 0], 12);
    // Cartesian positions are scaled like the lattice.
    expectVec(s.positions[1], [f, 0.5773502692 * f, 2.5 * f], 12);
  });

  it('takes VASP 4 species from the options or, as ASE does, from the comment line', () => {
    const vasp4 = (comment: string): string =>
      `${comment}\n1.0\n3 0 0\n0 3 0\n0 0 3\n1 2\nd\n0 0 0\n.5 .5 .5\n0 .5 .5\n`;
    expect(readPoscar(vasp4('Na Cl rock salt'), 'POSCAR')[0].numbers).toEqual([11, 17, 17]);
    expect(readPoscar(vasp4('no symbols here'), 'POSCAR', { species: ['K', 'Br'] })[0].numbers).toEqual([19, 35, 35]);
  });

  it('applies three scale factors to the Cartesian components', () => {
    const text = 'c\n1 2 3\n1 0 0\n0 1 0\n1 1 1\nH\n1\nCartesian\n1 1 1\n';
    const [s] = readPoscar(text, 'POSCAR');
    expect(s.cell).toEqual([[1, 0, 0], [0, 2, 0], [1, 2, 3]]);
    expect(s.positions[0]).toEqual([1, 2, 3]);
  });
});

describe('writePoscar', () => {
  it('round-trips a skewed cell, keeping atom order with repeated species entries', () => {
    const s: Structure = {
      numbers: [1, 8, 8, 1],
      positions: [[0.1, 0.2, 0.3], [1.5, -0.25, 2], [3, 3, 3], [-1, 4.5, 0.75]],
      cell: [[4, 0, 0], [2.5, 3.8, 0], [-1, 0.7, 5.2]], pbc: [true, true, true],
    };
    const text = writePoscar(s);
    expect(text.split('\n').slice(5, 8)).toEqual(['H O H', '1 2 1', 'Direct']);
    const [again] = readPoscar(text, 'POSCAR');
    expect(again.numbers).toEqual(s.numbers);
    again.positions.forEach((p, a) => expectVec(p, s.positions[a], 12));
    again.cell!.forEach((row, r) => expectVec(row, s.cell![r], 14));
  });
});
