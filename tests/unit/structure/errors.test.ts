/**
 * Bad input: one case per error, each a HamError naming file and 1-based line (DESIGN.md §9).
 */
import { describe, it } from 'vitest';
import type { ErrorCode } from '../../../core/contracts/errors.ts';
import { parseStructures } from '../../../core/structure/read.ts';
import { expectHamError } from './helpers.ts';

interface Case {
  name: string;
  file: string;
  text: string;
  code?: ErrorCode;
  line: number;
  message: string | RegExp;
}

const lines = (...l: string[]): string => l.join('\n') + '\n';
const WATER = ['O 0 0 0', 'H 0 0.76 0.5', 'H 0 -0.76 0.5'];
const CELL = ['4.0 0.0 0.0', '0.0 4.0 0.0', '0.0 0.0 4.0'];
const CIF_CELL = ['data_x', '_cell_length_a 4', '_cell_length_b 4', '_cell_length_c 4', '_cell_angle_alpha 90',
  '_cell_angle_beta 90', '_cell_angle_gamma 90'];
const CIF_SITES = ['loop_', '_atom_site_label', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z'];
const pdbAtom = (x: string, element = ' C'): string =>
  `ATOM      1  C   RES A   1    ${x.padStart(8)}   0.000   0.000  1.00  0.00          ${element}`;

const cases: Case[] = [
  // Every format
  { name: 'empty file', file: 'empty.xyz', text: '', line: 1, message: 'file is empty' },
  { name: 'blank file', file: 'blank.cif', text: ' \n\n', line: 1, message: 'file is empty' },

  // XYZ
  { name: 'fewer atoms than the header', file: 'w.xyz', text: lines('5', 'c', ...WATER), line: 6,
    message: 'header at line 1 says 5 atoms, found 3 (the file ends)' },
  { name: 'a short frame running into the next', file: 'w.xyz', text: lines('4', 'c', ...WATER, '3', 'c', ...WATER),
    line: 6, message: "found 3 ('3' looks like the next frame's atom count)" },
  { name: 'more atoms than the header', file: 'w.xyz', text: lines('2', 'c', ...WATER), line: 5,
    message: "expected a positive atom count, found 'H 0 -0.76 0.5' (the frame at line 1 declares 2 atoms" },
  { name: 'non-integer count', file: 'w.xyz', text: lines('three', 'c', ...WATER), line: 1,
    message: "expected a positive atom count, found 'three'" },
  { name: 'missing comment line', file: 'w.xyz', text: '3', line: 1, message: 'the comment line is missing' },
  { name: 'unknown element', file: 'w.xyz', text: lines('3', 'c', 'O 0 0 0', 'Xx 0 0 1', 'H 0 1 0'),
    code: 'E_UNSUPPORTED_ELEMENT', line: 4, message: "unknown element 'Xx'" },
  { name: 'atomic number out of range', file: 'w.xyz', text: lines('1', 'c', '119 0 0 0'),
    code: 'E_UNSUPPORTED_ELEMENT', line: 3, message: "unknown element '119'" },
  { name: 'non-numeric coordinate', file: 'w.xyz', text: lines('3', 'c', 'O 0 0 0', 'H 0 abc 1', 'H 0 1 0'),
    line: 4, message: "y coordinate 'abc' is not a number" },
  { name: 'NaN coordinate', file: 'w.xyz', text: lines('1', 'c', 'O 0 0 NaN'), line: 3,
    message: "z coordinate is 'NaN', not a finite number" },
  { name: 'infinite coordinate', file: 'w.xyz', text: lines('1', 'c', 'O -inf 0 0'), line: 3,
    message: "x coordinate is '-inf', not a finite number" },
  { name: 'overflowing coordinate', file: 'w.xyz', text: lines('1', 'c', 'O 1e999 0 0'), line: 3,
    message: 'out of range' },
  { name: 'missing coordinate', file: 'w.xyz', text: lines('1', 'c', 'O 0 0'), line: 3,
    message: "expected 'symbol x y z', found 3 fields" },

  // Extended XYZ
  { name: 'Lattice with 8 numbers', file: 'e.extxyz', text: lines('1', 'Lattice="1 0 0 0 1 0 0 0"', 'H 0 0 0'),
    line: 2, message: '[Lattice]: expected 9 numbers' },
  { name: 'non-numeric Lattice', file: 'e.extxyz', text: lines('1', 'Lattice="1 0 0 0 1 0 0 0 x"', 'H 0 0 0'),
    line: 2, message: "lattice component 9 'x' is not a number" },
  { name: 'bad pbc', file: 'e.extxyz', text: lines('1', 'Lattice="1 0 0 0 1 0 0 0 1" pbc="T T"', 'H 0 0 0'),
    line: 2, message: "[pbc]: expected three of T/F, found 'T T'" },
  { name: 'periodic without Lattice', file: 'e.extxyz',
    text: lines('1', 'pbc="T T T" Properties=species:S:1:pos:R:3', 'H 0 0 0'), line: 2, message: 'no Lattice' },
  { name: 'Properties without pos', file: 'e.extxyz', text: lines('1', 'Properties=species:S:1:x:R:3', 'H 0 0 0'),
    line: 2, message: "no 'pos:R:3' column" },
  { name: 'Properties with a bad type', file: 'e.extxyz', text: lines('1', 'Properties=species:S:1:pos:Q:3', 'H 0 0 0'),
    line: 2, message: "column 'pos' has type 'Q'" },
  { name: 'fewer columns than Properties', file: 'e.extxyz',
    text: lines('2', 'Properties=species:S:1:pos:R:3:forces:R:3', 'H 0 0 0 1 1 1', 'H 0 0 1 1 1'), line: 4,
    message: 'expected 7 columns as declared by Properties, found 6' },
  { name: 'unterminated quote', file: 'e.extxyz', text: lines('1', 'Lattice="1 0 0', 'H 0 0 0'), line: 2,
    message: 'unterminated "..."' },
  { name: 'duplicate key', file: 'e.extxyz', text: lines('1', 'Properties=species:S:1:pos:R:3 a=1 a=2', 'H 0 0 0'),
    line: 2, message: "key 'a' appears twice" },

  // POSCAR
  { name: 'missing lattice', file: 'POSCAR', text: lines('c', '1.0'), line: 3,
    message: 'missing lattice vector 1 (a POSCAR has three lattice-vector lines after the scale) (the file ends' },
  { name: 'short lattice vector', file: 'POSCAR',
    text: lines('c', '1.0', '4 0 0', '0 4', '0 0 4', 'H', '1', 'D', '0 0 0'), line: 4,
    message: 'lattice vector 2 needs three numbers, found 2' },
  { name: 'VASP 4 without species', file: 'POSCAR', text: lines('comment', '1.0', ...CELL, '1', 'Direct', '0 0 0'),
    line: 6, message: 'species line is missing (VASP 4 format)' },
  { name: 'unknown species', file: 'POSCAR', text: lines('c', '1.0', ...CELL, 'Si Qz', '1 1', 'D', '0 0 0', '.5 .5 .5'),
    code: 'E_UNSUPPORTED_ELEMENT', line: 6, message: "unknown element 'Qz' in the species line" },
  { name: 'species and counts disagree', file: 'POSCAR', text: lines('c', '1.0', ...CELL, 'Si O', '1', 'D', '0 0 0'),
    line: 7, message: 'species line has 2 symbols but the counts line has 1 numbers' },
  { name: 'too few positions', file: 'POSCAR',
    text: lines('c', '1.0', ...CELL, 'Si', '3', 'Direct', '0 0 0', '.5 .5 .5'), line: 11,
    message: 'expected 3 atom positions (counts on line 7), found 2' },
  { name: 'non-numeric position', file: 'POSCAR', text: lines('c', '1.0', ...CELL, 'Si', '1', 'Direct', '0 zero 0'),
    line: 9, message: "y coordinate of atom 1 'zero' is not a number" },
  { name: 'unknown coordinate mode', file: 'POSCAR', text: lines('c', '1.0', ...CELL, 'Si', '1', 'Fractional', '0 0 0'),
    line: 8, message: "expected 'Direct' or 'Cartesian', found 'Fractional'" },
  { name: 'zero scale', file: 'POSCAR', text: lines('c', '0', ...CELL, 'Si', '1', 'D', '0 0 0'), line: 2,
    message: 'scale factor is zero' },
  { name: 'singular lattice', file: 'POSCAR', text: lines('c', '1', '1 0 0', '2 0 0', '0 0 1', 'Si', '1', 'D', '0 0 0'),
    line: 3, message: 'linearly dependent' },

  // CIF
  { name: 'unterminated text field', file: 'x.cif', text: lines('data_x', '_title', ';', 'never closed'), line: 3,
    message: "text field opened with ';' is never closed" },
  { name: 'unterminated quote in CIF', file: 'x.cif', text: lines('data_x', "_name 'open"), line: 2,
    message: 'unterminated' },
  { name: 'ragged loop', file: 'x.cif', text: lines(...CIF_CELL, ...CIF_SITES, 'Na1 0 0 0', 'Cl1 0.5 0.5'), line: 8,
    message: 'loop has 7 values, not a multiple of its 4 tags' },
  { name: 'missing cell length', file: 'x.cif', text: lines('data_x', '_cell_length_a 4', ...CIF_SITES, 'Na1 0 0 0'),
    line: 1, message: 'missing _cell_length_b' },
  { name: 'impossible cell angles', file: 'x.cif',
    text: lines(...CIF_CELL.slice(0, 4), '_cell_angle_alpha 150', '_cell_angle_beta 150', '_cell_angle_gamma 150',
      ...CIF_SITES, 'Na1 0 0 0'), line: 2, message: 'do not describe a cell' },
  { name: 'space group without operations', file: 'x.cif',
    text: lines(...CIF_CELL, "_symmetry_space_group_name_H-M 'F m -3 m'", ...CIF_SITES, 'Na1 0 0 0'), line: 8,
    message: "space group 'F m -3 m' is given without symmetry operations" },
  { name: 'unreadable symmetry operation', file: 'x.cif',
    text: lines(...CIF_CELL, 'loop_', '_symmetry_equiv_pos_as_xyz', "'x,y,z'", "'-x,y+q,z'", ...CIF_SITES, 'Na1 0 0 0'),
    line: 11, message: "cannot read symmetry operation '-x,y+q,z' at '+q'" },
  { name: 'unknown site element', file: 'x.cif', text: lines(...CIF_CELL, ...CIF_SITES, 'Na1 0 0 0', 'Qq1 0 0 .5'),
    code: 'E_UNSUPPORTED_ELEMENT', line: 14, message: "unknown element in 'Qq1'" },
  { name: 'unknown coordinate', file: 'x.cif', text: lines(...CIF_CELL, ...CIF_SITES, 'Na1 0 ? 0'), line: 13,
    message: "_atom_site_fract_y is not given ('?')" },
  { name: 'non-numeric CIF coordinate', file: 'x.cif', text: lines(...CIF_CELL, ...CIF_SITES, 'Na1 0 0 0.5x'), line: 13,
    message: "_atom_site_fract_z '0.5x' is not a number" },
  { name: 'no atom sites', file: 'x.cif', text: lines(...CIF_CELL), line: 1,
    message: 'no data block has an atom-site loop' },
  { name: 'value before data_', file: 'x.cif', text: lines('_cell_length_a 4', 'data_x'), line: 1,
    message: "'_cell_length_a' appears before the first data_ block" },

  // PDB
  { name: 'non-numeric PDB coordinate', file: 'p.pdb', text: lines(pdbAtom('0.000'), pdbAtom('1.0x0')), line: 2,
    message: "x coordinate '1.0x0' is not a number" },
  { name: 'truncated ATOM record', file: 'p.pdb',
    text: lines(pdbAtom('0.000'), 'ATOM      2  C   RES A   1       1.000'), line: 2,
    message: 'record ends before the coordinates' },
  { name: 'unknown PDB element', file: 'p.pdb', text: lines(pdbAtom('0.000', 'XX')), code: 'E_UNSUPPORTED_ELEMENT',
    line: 1, message: "unknown element 'XX'" },
  { name: 'MODEL without ENDMDL', file: 'p.pdb', text: lines('MODEL        1', pdbAtom('0.000')), line: 1,
    message: 'MODEL has no ENDMDL (truncated file?)' },
  { name: 'ENDMDL without MODEL', file: 'p.pdb', text: lines(pdbAtom('0.000'), 'ENDMDL'), line: 2,
    message: 'ENDMDL without MODEL' },
  { name: 'nested MODEL', file: 'p.pdb', text: lines('MODEL        1', pdbAtom('0.000'), 'MODEL        2'), line: 3,
    message: 'MODEL inside the MODEL of line 1' },
  { name: 'no atoms', file: 'p.pdb', text: lines('HEADER    NOTHING', 'END'), line: 1,
    message: 'no ATOM or HETATM records' },
  { name: 'bad CRYST1', file: 'p.pdb',
    text: lines('CRYST1   10.000   abc     10.000  90.00  90.00  90.00 P 1', pdbAtom('0.000')), line: 1,
    message: "CRYST1 b 'abc' is not a number" },
];

describe('bad structure files', () => {
  it.each(cases)('$name → $file:$line', (c) => {
    expectHamError(() => parseStructures(c.text, c.file), c.code ?? 'E_FORMAT', c.file, c.line, c.message);
  });
});
