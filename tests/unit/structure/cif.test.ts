import { describe, expect, it } from 'vitest';
import { readCif } from '../../../core/structure/formats/cif.ts';
import { applySymop, parseSymop } from '../../../core/structure/formats/symop.ts';
import type { Structure } from '../../../core/structure/structure.ts';
import { readFixture } from './helpers.ts';

/** Sorted fractional coordinates (rounded) of the atoms of element z, for set comparisons. */
function fractionalSites(s: Structure, z: number): string[] {
  const a = s.cell![0][0];
  const c = s.cell![2][2];
  return s.positions.filter((_, k) => s.numbers[k] === z)
    .map(([x, y, w]) => [x / a, y / a, w / c].map((f) => (f + 1e-9).toFixed(5)).join(' ')).sort();
}

describe('symmetry operations', () => {
  it('parse fractions, decimals, coefficients and x-y terms', () => {
    const op = parseSymop('-x+1/2, 0.25+y-x, 2*z-1', { file: 'f.cif', line: 1 });
    expect(op.rotation).toEqual([[-1, 0, 0], [-1, 1, 0], [0, 0, 2]]);
    expect(op.translation).toEqual([0.5, 0.25, -1]);
    expect(applySymop(op, [0.1, 0.2, 0.3])).toEqual([0.4, 0.35, -0.4]);
  });
});

describe('readCif', () => {
  it('expands rock-salt NaCl from its asymmetric unit and 192 operations to 8 atoms', () => {
    const [s] = readCif(readFixture('NaCl.cif'), 'NaCl.cif');
    expect(s.numbers).toHaveLength(8);
    expect(s.cell).toEqual([[5.6402, 0, 0], [0, 5.6402, 0], [0, 0, 5.6402]]);
    expect(s.pbc).toEqual([true, true, true]);
    expect(fractionalSites(s, 11)).toEqual(['0.00000 0.00000 0.00000', '0.00000 0.50000 0.50000',
      '0.50000 0.00000 0.50000', '0.50000 0.50000 0.00000']);
    expect(fractionalSites(s, 17)).toEqual(['0.00000 0.00000 0.50000', '0.00000 0.50000 0.00000',
      '0.50000 0.00000 0.00000', '0.50000 0.50000 0.50000']);
    expect(s.info).toEqual({ cif_block: 'NaCl' });
  });

  it('reads rutile with old-style tags, label-derived symbols, quotes and a skipped text field', () => {
    const frames = readCif(readFixture('rutile.cif'), 'rutile.cif');
    expect(frames).toHaveLength(1); // data_global has no atom sites
    const [s] = frames;
    expect(s.numbers.filter((z) => z === 22)).toHaveLength(2);
    expect(s.numbers.filter((z) => z === 8)).toHaveLength(4);
    expect(s.cell![2][2]).toBe(2.9587);
    expect(fractionalSites(s, 8)).toEqual(['0.19522 0.80478 0.50000', '0.30478 0.30478 0.00000',
      '0.69522 0.69522 0.00000', '0.80478 0.19522 0.50000']);
  });

  it('reads Cartesian sites, P1 without operations, mmCIF-style dotted tags and several blocks', () => {
    const text = [
      'data_a', '_cell.length_a 4', '_cell.length_b 5', '_cell.length_c 6',
      '_cell.angle_alpha 90', '_cell.angle_beta 90', '_cell.angle_gamma 90',
      'loop_', '_atom_site.type_symbol', '_atom_site.Cartn_x', '_atom_site.Cartn_y', '_atom_site.Cartn_z',
      'C 1 2 3', 'O 2 2.5 3.0(1)',
      'data_b', '_cell_length_a 3', '_cell_length_b 3', '_cell_length_c 3',
      '_cell_angle_alpha 60', '_cell_angle_beta 60', '_cell_angle_gamma 60',
      "_symmetry_space_group_name_H-M 'P 1'",
      'loop_', '_atom_site_label', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z',
      'Cu1 0 0 0',
    ].join('\n');
    const [a, b] = readCif(text, 'two.cif');
    expect(a.numbers).toEqual([6, 8]);
    a.positions[1].forEach((x, k) => expect(x).toBeCloseTo([2, 2.5, 3][k], 12));
    expect(b.numbers).toEqual([29]);
    expect(b.cell![1][0]).toBeCloseTo(1.5, 12);
    expect(b.cell![2][2]).toBeCloseTo(3 * Math.sqrt(2 / 3), 12);
  });
});
