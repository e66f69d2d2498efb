/**
 * Extended XYZ (ASE's extxyz): the comment line carries `Lattice="ax ay az bx by bz cx cy cz"` (rows = lattice
 * vectors, Å), `pbc="T T F"`, `Properties=name:type:width:...` describing the atom columns, and further
 * key=value pairs that become `info`. Without Lattice a frame is a molecule; with Lattice and no pbc it is
 * periodic along all three axes, as in ASE. Unlike ASE, a quoted value stays a string even if it looks like a
 * number: `info` holds scalars only, and the writer quotes exactly its strings, so values round-trip.
 */
import { HamError } from '../../contracts/errors.ts';
import type { Mat3, Structure, Vec3 } from '../structure.ts';
import { infoValue, parseBool, parseCommentLine } from './extxyz-comment.ts';
import {
  asFrames, atomLine, formatError, parseElement, parseInteger, parseReal, symbolsForWriting, type Where,
} from './text.ts';
import { splitXyzFrames } from './xyz-frames.ts';

interface Column {
  name: string;
  type: string;
  width: number;
  /** Index of the column's first field on an atom line. */
  offset: number;
}

interface Layout {
  /** Fields per atom line. */
  width: number;
  /** Element column: `species` (symbols) or ASE's alternative `Z` (atomic numbers). */
  element: Column;
  pos: Column;
}

const DEFAULT_PROPERTIES = 'species:S:1:pos:R:3';
const RESERVED_KEYS = new Set(['Lattice', 'pbc', 'Properties']);

function parseProperties(value: string, at: Where): Layout {
  const parts = value.split(':');
  if (parts.length % 3 !== 0) {
    throw formatError(`expected name:type:width triples, found ${parts.length} ':'-separated parts`, at);
  }
  const columns: Column[] = [];
  let offset = 0;
  for (let p = 0; p < parts.length; p += 3) {
    const [name, type, widthText] = parts.slice(p, p + 3);
    if (!/^[SRIL]$/.test(type)) throw formatError(`column '${name}' has type '${type}', expected S, R, I or L`, at);
    const width = parseInteger(widthText, `width of column '${name}'`, at);
    if (width < 1) throw formatError(`column '${name}' has width ${width}`, at);
    columns.push({ name, type, width, offset });
    offset += width;
  }
  const find = (name: string, type: string, width: number): Column | undefined => {
    const col = columns.find((c) => c.name === name);
    if (col && (col.type !== type || col.width !== width)) {
      throw formatError(`column '${name}' must be ${name}:${type}:${width}`, at);
    }
    return col;
  };
  const element = find('species', 'S', 1) ?? find('Z', 'I', 1);
  if (!element) throw formatError(`no 'species:S:1' (or 'Z:I:1') column`, at);
  const pos = find('pos', 'R', 3);
  if (!pos) throw formatError(`no 'pos:R:3' column`, at);
  return { width: offset, element, pos };
}

function parseLattice(value: string, at: Where): Mat3 {
  const v = value.trim().split(/\s+/);
  if (v.length !== 9) throw formatError(`expected 9 numbers (three lattice vectors), found ${v.length}`, at);
  const x = v.map((t, k) => parseReal(t, `lattice component ${k + 1}`, at));
  return [[x[0], x[1], x[2]], [x[3], x[4], x[5]], [x[6], x[7], x[8]]];
}

function parsePbc(value: string, at: Where): [boolean, boolean, boolean] {
  const v = value.trim().split(/\s+/).map(parseBool);
  if (v.length !== 3 || v.some((b) => b === undefined)) {
    throw formatError(`expected three of T/F, found '${value}'`, at);
  }
  return v as [boolean, boolean, boolean];
}

export function readExtxyz(text: string, file: string): Structure[] {
  return splitXyzFrames(text, file).map((frame) => {
    const line = frame.headerLine + 1;
    let cell: Mat3 | undefined;
    let pbc: [boolean, boolean, boolean] | undefined;
    let layout = parseProperties(DEFAULT_PROPERTIES, { file, line });
    const info: Record<string, string | number | boolean> = {};
    for (const e of parseCommentLine(frame.comment, { file, line })) {
      const at = { file, line, key: e.key };
      if (e.key === 'Lattice') cell = parseLattice(e.value, at);
      else if (e.key === 'pbc') pbc = parsePbc(e.value, at);
      else if (e.key === 'Properties') layout = parseProperties(e.value, at);
      else info[e.key] = infoValue(e);
    }
    if (!cell && pbc?.some(Boolean)) {
      throw formatError(`pbc is periodic along some axis but there is no Lattice`, { file, line, key: 'pbc' });
    }

    const numbers: number[] = [];
    const positions: Vec3[] = [];
    for (const { fields, line: atomLine } of frame.atoms) {
      const at = { file, line: atomLine };
      if (fields.length !== layout.width) {
        throw formatError(`expected ${layout.width} columns as declared by Properties, found ${fields.length}`, at);
      }
      const el = fields[layout.element.offset];
      if (layout.element.name === 'Z') parseInteger(el, 'atomic number', at);
      numbers.push(parseElement(el, at));
      const p = layout.pos.offset;
      positions.push([
        parseReal(fields[p], 'x coordinate', at),
        parseReal(fields[p + 1], 'y coordinate', at),
        parseReal(fields[p + 2], 'z coordinate', at),
      ]);
    }

    const s: Structure = { numbers, positions };
    if (cell) {
      s.cell = cell;
      s.pbc = pbc ?? [true, true, true];
    }
    if (Object.keys(info).length > 0) s.info = info;
    return s;
  });
}

function infoEntry(key: string, value: string | number | boolean): string {
  if (!/^[^\s="{}[\]]+$/.test(key) || RESERVED_KEYS.has(key)) {
    throw new HamError('E_INPUT', `info key '${key}' cannot be written to extended XYZ`);
  }
  if (typeof value === 'boolean') return `${key}=${value ? 'T' : 'F'}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HamError('E_INPUT', `info value ${key}=${value} is not finite`);
    return `${key}=${value}`;
  }
  // Strings are always quoted so that "T" or "1.5" read back as strings, not as a boolean or a number.
  return `${key}="${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

/** Extended XYZ of one or more frames: species and positions, Lattice and pbc, and every `info` entry. */
export function writeExtxyz(structures: Structure | Structure[]): string {
  return asFrames(structures, 'extended XYZ').map((s) => {
    const symbols = symbolsForWriting(s);
    if (!s.cell && s.pbc?.some(Boolean)) throw new HamError('E_INPUT', 'structure is periodic but has no cell');
    const header: string[] = [];
    if (s.cell) header.push(`Lattice="${s.cell.flat().map(String).join(' ')}"`);
    header.push(`Properties=${DEFAULT_PROPERTIES}`);
    header.push(`pbc="${(s.pbc ?? [false, false, false]).map((b) => (b ? 'T' : 'F')).join(' ')}"`);
    for (const [key, value] of Object.entries(s.info ?? {})) header.push(infoEntry(key, value));
    const atoms = s.positions.map((p, k) => atomLine(symbols[k], p));
    return [String(s.numbers.length), header.join(' '), ...atoms].join('\n') + '\n';
  }).join('');
}
