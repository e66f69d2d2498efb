import { describe, expect, it } from 'vitest';
import { parseCommentLine } from '../../../core/structure/formats/extxyz-comment.ts';
import { readExtxyz, writeExtxyz } from '../../../core/structure/formats/extxyz.ts';
import type { Structure } from '../../../core/structure/structure.ts';
import { readFixture } from './helpers.ts';

const at = { file: 'f.extxyz', line: 2 };

describe('extended-XYZ comment line', () => {
  it('reads quoted values with escapes, bracketed values, spaces around = and bare flags', () => {
    const entries = parseCommentLine(String.raw`a="say \"hi\"" b = 2 c={1 2 3} flag d=x=y`, at);
    expect(entries).toEqual([
      { key: 'a', value: 'say "hi"', quoted: true },
      { key: 'b', value: '2', quoted: false },
      { key: 'c', value: '1 2 3', quoted: true },
      { key: 'flag', value: 'T', quoted: false },
      { key: 'd', value: 'x=y', quoted: false },
    ]);
  });
});

describe('readExtxyz', () => {
  it('reads Lattice rows, pbc, skips extra columns by width and types info values', () => {
    const [s] = readExtxyz(readFixture('quartz-slab.extxyz'), 'quartz-slab.extxyz');
    expect(s.numbers).toEqual([14, 8, 8, 14]);
    expect(s.cell).toEqual([[4, 0, 0], [1, 3.5, 0], [0, 0, 12]]);
    expect(s.pbc).toEqual([true, true, false]);
    expect(s.positions).toEqual([[0, 0, 1], [1, 1.5, 1.5], [2.5, 0.5, 2], [3, 2, 2.5]]);
    expect(s.info).toEqual({ energy: -12.5, title: 'slab with vacuum', converged: true, count: 7, method: 'PBE' });
  });

  it('reads the dataset layout (pbc="F F F", no Lattice) as a molecule', () => {
    const text = '1\nProperties=species:S:1:pos:R:3 pbc="F F F" index=0 energy_hartree=-0.5 method=PBE/def2-SVP\n'
      + 'H 0.1 0.2 0.3\n';
    expect(readExtxyz(text, 'h.xyz')).toEqual([{
      numbers: [1], positions: [[0.1, 0.2, 0.3]],
      info: { index: 0, energy_hartree: -0.5, method: 'PBE/def2-SVP' },
    }]);
  });

  it('makes a Lattice without pbc periodic along all axes (ASE) and accepts a Z column', () => {
    const text = '2\nLattice="3 0 0 0 3 0 0 0 3" Properties=Z:I:1:pos:R:3\n6 0 0 0\n8 1.2 0 0\n';
    const [s] = readExtxyz(text, 'co.extxyz');
    expect(s.pbc).toEqual([true, true, true]);
    expect(s.numbers).toEqual([6, 8]);
  });
});

describe('writeExtxyz', () => {
  it('round-trips cell, pbc, positions and info, keeping strings that look like numbers strings', () => {
    const frames: Structure[] = [
      {
        numbers: [14, 8], positions: [[0.1, 0.2, 0.3], [1.23456789012, -4, 5]],
        cell: [[4.1, 0, 0], [1.3, 3.9, 0], [0.2, 0.1, 7.7]], pbc: [true, false, true],
        info: { energy: -1.25e-3, label: 'T', version: '1.5', note: 'has "quotes" and \\', ok: false },
      },
      { numbers: [1], positions: [[0, 0, 0]] },
    ];
    const again = readExtxyz(writeExtxyz(frames), 'again.extxyz');
    expect(again[0].cell).toEqual(frames[0].cell);
    expect(again[0].pbc).toEqual(frames[0].pbc);
    expect(again[0].info).toEqual(frames[0].info);
    expect(again[0].positions[1][0]).toBeCloseTo(1.23456789012, 10);
    expect(again[1]).toEqual({ numbers: [1], positions: [[0, 0, 0]] });
  });
});
