/**
 * CIF crystal structures: one structure per data block that has an atom-site loop. The asymmetric unit is
 * expanded to P1 with the block's symmetry operations (`_space_group_symop_operation_xyz` or the older
 * `_symmetry_equiv_pos_as_xyz`); images of a site that coincide modulo 1 within 1e-4 (fractional) are one atom.
 * Occupancies are not read: every listed site is an atom.
 */
import { HamError } from '../../contracts/errors.ts';
import { cellFromParameters, invert3, vecMat } from '../cell.ts';
import { atomicNumber } from '../elements.ts';
import type { Mat3, Structure, Vec3 } from '../structure.ts';
import { type CifBlock, type CifLoop, type CifValue, parseCif } from './cif-syntax.ts';
import { applySymop, parseSymop, type SymOp } from './symop.ts';
import { formatError, parseReal, type Where } from './text.ts';

const DUPLICATE_TOLERANCE = 1e-4;
const SYMOP_TAGS = ['_space_group_symop_operation_xyz', '_symmetry_equiv_pos_as_xyz'];
const SPACE_GROUP_TAGS = [
  '_space_group_name_h-m_alt', '_symmetry_space_group_name_h-m', '_space_group_it_number',
  '_symmetry_int_tables_number',
];

const isNull = (v: CifValue): boolean => !v.quoted && (v.text === '?' || v.text === '.');

/** A CIF number: standard uncertainty in parentheses, `0.1234(5)`, is dropped. */
function cifNumber(v: CifValue, what: string, file: string): number {
  const at = { file, line: v.line };
  if (isNull(v)) throw formatError(`${what} is not given ('${v.text}')`, at);
  return parseReal(v.text.replace(/\(\d+\)$/, ''), what, at);
}

/** Element from a type symbol ("Na1+", "O2-") or a site label ("Cl1", "O2a"): two letters if they name one. */
function siteElement(v: CifValue, at: Where): number {
  const letters = /^[A-Za-z]{1,2}/.exec(v.text)?.[0] ?? '';
  const z = atomicNumber(letters) ?? atomicNumber(letters.slice(0, 1));
  if (z === undefined) throw new HamError('E_UNSUPPORTED_ELEMENT', `unknown element in '${v.text}'`, at);
  return z;
}

function readCell(block: CifBlock, file: string): Mat3 {
  const param = (name: string): number => {
    const tag = `_cell_${name}`;
    const v = block.items.get(tag);
    if (!v) throw formatError(`missing ${tag}`, { file, line: block.line });
    return cifNumber(v, tag, file);
  };
  const p = ['length_a', 'length_b', 'length_c', 'angle_alpha', 'angle_beta', 'angle_gamma'].map(param);
  const cell = cellFromParameters(p[0], p[1], p[2], p[3], p[4], p[5]);
  if (!cell || !invert3(cell)) {
    const line = block.items.get('_cell_length_a')?.line ?? block.line;
    throw formatError(`cell parameters ${p.join(', ')} do not describe a cell`, { file, line });
  }
  return cell;
}

function readSymops(block: CifBlock, file: string): SymOp[] {
  for (const tag of SYMOP_TAGS) {
    const loop = block.loops.find((l) => l.tags.includes(tag));
    const values = loop ? loop.rows.map((r) => r[loop.tags.indexOf(tag)]) : [block.items.get(tag)];
    const ops = values.filter((v): v is CifValue => v !== undefined);
    if (ops.length > 0) return ops.map((v) => parseSymop(v.text, { file, line: v.line }));
  }
  // Without operations the sites are only the whole structure if the group is P1; anything else needs the
  // space-group tables, which this reader does not carry.
  for (const tag of SPACE_GROUP_TAGS) {
    const v = block.items.get(tag);
    if (v && !isNull(v) && !['p1', '1'].includes(v.text.replace(/\s+/g, '').toLowerCase())) {
      throw formatError(`space group '${v.text}' is given without symmetry operations; add a `
        + `_space_group_symop_operation_xyz loop (or expand the structure to P 1)`, { file, line: v.line });
    }
  }
  return [{ rotation: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], translation: [0, 0, 0] }];
}

const wrap = (x: number): number => {
  const w = x - Math.floor(x);
  return w >= 1 ? 0 : w; // x − floor(x) rounds to 1 for tiny negative x
};

const sameSite = (a: Vec3, b: Vec3): boolean =>
  a.every((x, k) => Math.abs(x - b[k] - Math.round(x - b[k])) < DUPLICATE_TOLERANCE);

function atomSiteLoop(block: CifBlock): CifLoop | undefined {
  return block.loops.find((l) => l.tags.includes('_atom_site_fract_x') || l.tags.includes('_atom_site_cartn_x'));
}

function readBlock(block: CifBlock, loop: CifLoop, file: string): Structure {
  const cell = readCell(block, file);
  const ops = readSymops(block, file);
  const col = (tag: string): number => loop.tags.indexOf(tag);
  const fractional = col('_atom_site_fract_x') >= 0;
  const axes = (fractional ? ['fract_x', 'fract_y', 'fract_z'] : ['cartn_x', 'cartn_y', 'cartn_z'])
    .map((a) => `_atom_site_${a}`);
  const missing = axes.find((tag) => col(tag) < 0);
  if (missing) throw formatError(`atom-site loop has no ${missing}`, { file, line: loop.line });
  // Cartesian sites are taken in the standard orientation of the cell (a along x, b in the xy plane);
  // readCell has checked that the cell is invertible.
  const inverse = invert3(cell) as Mat3;
  const typeCol = col('_atom_site_type_symbol');
  const labelCol = col('_atom_site_label');

  const numbers: number[] = [];
  const positions: Vec3[] = [];
  for (const row of loop.rows) {
    const at = { file, line: row[0].line };
    const type = typeCol >= 0 && !isNull(row[typeCol]) ? row[typeCol] : undefined;
    const symbolValue = type ?? (labelCol >= 0 ? row[labelCol] : undefined);
    if (!symbolValue) throw formatError('atom site has neither _atom_site_type_symbol nor _atom_site_label', at);
    const z = siteElement(symbolValue, at);
    const xyz = axes.map((tag) => cifNumber(row[col(tag)], tag, file)) as Vec3;
    const site = fractional ? xyz : vecMat(xyz, inverse);
    const orbit: Vec3[] = [];
    for (const op of ops) {
      const image = applySymop(op, site).map(wrap) as Vec3;
      if (orbit.some((o) => sameSite(o, image))) continue;
      orbit.push(image);
      numbers.push(z);
      positions.push(vecMat(image, cell));
    }
  }
  return { numbers, positions, cell, pbc: [true, true, true], info: { cif_block: block.name } };
}

export function readCif(text: string, file: string): Structure[] {
  const structures: Structure[] = [];
  for (const block of parseCif(text, file)) {
    const loop = atomSiteLoop(block);
    if (loop) structures.push(readBlock(block, loop, file));
  }
  if (structures.length === 0) {
    throw formatError('no data block has an atom-site loop (_atom_site_fract_x or _atom_site_Cartn_x)',
      { file, line: 1 });
  }
  return structures;
}
