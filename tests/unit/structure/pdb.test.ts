import { describe, expect, it } from 'vitest';
import { readPdb } from '../../../core/structure/formats/pdb.ts';
import { readFixture } from './helpers.ts';

const atom = (serial: number, name: string, x: number, element = ''): string =>
  `ATOM  ${String(serial).padStart(5)} ${name.padEnd(4)} RES A   1    ${x.toFixed(3).padStart(8)}`
  + `${'0.000'.padStart(8)}${'0.000'.padStart(8)}  1.00  0.00          ${element.padStart(2)}`;

describe('readPdb', () => {
  it('reads two MODEL frames, the CRYST1 cell and elements from columns 77-78 or the atom name', () => {
    const frames = readPdb(readFixture('two-models.pdb'), 'two-models.pdb');
    expect(frames).toHaveLength(2);
    expect(frames[0].numbers).toEqual([8, 1, 1, 26, 17]);
    expect(frames[1].positions[0]).toEqual([0.01, 0, 0.12]);
    expect(frames[1].positions[3]).toEqual([3.1, 3, 3]);
    const cell = frames[0].cell!;
    expect(cell[0]).toEqual([10, 0, 0]);
    expect(cell[1][0]).toBeCloseTo(-5.5, 12);
    expect(cell[1][1]).toBeCloseTo(11 * Math.sqrt(3) / 2, 12);
    expect(cell[2]).toEqual([0, 0, 12]);
    expect(frames[1].pbc).toEqual([true, true, true]);
  });

  it('reads atoms without MODEL as one frame and treats the CRYST1 placeholder as no cell', () => {
    const text = [
      'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1',
      atom(1, ' CA', 1), atom(2, 'CA', 2), atom(3, 'HG11', 3), atom(4, ' N', 4, 'N'), 'TER', 'END',
      atom(5, ' C', 5),
    ].join('\n');
    const frames = readPdb(text, 'ca.pdb');
    expect(frames).toHaveLength(1);
    // " CA " is a C-alpha carbon, "CA  " calcium, "HG11" a hydrogen; reading stops at END.
    expect(frames[0].numbers).toEqual([6, 20, 1, 7]);
    expect(frames[0].cell).toBeUndefined();
  });
});
