/**
 * The one table of structure formats (after ASE's ase/io/formats.py): name, description, extensions, whether a
 * file holds several frames, a content sniffer, and the reader (and writer where we write the format).
 * Detection: the extension or VASP's file names first; content sniffing when the name says nothing.
 */
import { basename, extname } from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import type { Structure } from '../structure.ts';
import { readCif } from './cif.ts';
import { readExtxyz, writeExtxyz } from './extxyz.ts';
import { readPdb } from './pdb.ts';
import { readPoscar, writePoscar } from './poscar.ts';
import { isInteger, isReal, splitLines } from './text.ts';
import { readXyz, writeXyz } from './xyz.ts';

export type FormatName = 'xyz' | 'extxyz' | 'poscar' | 'cif' | 'pdb';

export interface StructureFormat {
  name: FormatName;
  description: string;
  /** Lower-case extensions including the dot. */
  extensions: string[];
  /** Upper-case file-name prefixes that identify the format whatever the extension (VASP's POSCAR, CONTCAR). */
  namePrefixes: string[];
  multiFrame: boolean;
  /** Whether the text looks like this format; only consulted when the file name is not conclusive. */
  sniff(text: string): boolean;
  read(text: string, file: string): Structure[];
  write?(structures: Structure[]): string;
}

const headLines = (text: string): string[] => splitLines(text.slice(0, 4096));
const fields = (line: string | undefined): string[] => (line ?? '').trim().split(/\s+/);
const allReal = (f: string[], n: number): boolean => f.length >= n && f.slice(0, n).every(isReal);

function looksXyz(text: string): boolean {
  const l = headLines(text);
  const atom = fields(l[2]);
  return isInteger(l[0]?.trim() ?? '') && atom.length >= 4 && allReal(atom.slice(1), 3);
}

function looksExtxyz(text: string): boolean {
  return looksXyz(text) && /(^|\s)(Properties|Lattice)\s*=/.test(headLines(text)[1] ?? '');
}

function looksPoscar(text: string): boolean {
  const l = headLines(text);
  return allReal(fields(l[1]), 1) && [2, 3, 4].every((k) => allReal(fields(l[k]), 3));
}

export const STRUCTURE_FORMATS: readonly StructureFormat[] = [
  {
    name: 'cif', description: 'Crystallographic Information File', extensions: ['.cif'], namePrefixes: [],
    multiFrame: true, sniff: (t) => /^\s*data_/im.test(t.slice(0, 65536)), read: readCif,
  },
  {
    name: 'pdb', description: 'Protein Data Bank', extensions: ['.pdb', '.ent'], namePrefixes: [],
    multiFrame: true, sniff: (t) => /^(ATOM {2}|HETATM|CRYST1|HEADER)/m.test(t.slice(0, 65536)), read: readPdb,
  },
  {
    name: 'xyz', description: 'XYZ', extensions: ['.xyz'], namePrefixes: [],
    multiFrame: true, sniff: (t) => looksXyz(t) && !looksExtxyz(t), read: readXyz, write: writeXyz,
  },
  {
    name: 'extxyz', description: 'Extended XYZ (ASE)', extensions: ['.extxyz', '.xyz'], namePrefixes: [],
    multiFrame: true, sniff: looksExtxyz, read: readExtxyz, write: writeExtxyz,
  },
  {
    name: 'poscar', description: 'VASP POSCAR/CONTCAR', extensions: ['.vasp', '.poscar'],
    namePrefixes: ['POSCAR', 'CONTCAR'], multiFrame: false, sniff: looksPoscar,
    read: (text, file) => readPoscar(text, file),
    write: (structures) => {
      if (structures.length !== 1) {
        throw new HamError('E_INPUT', `a POSCAR holds one structure, not ${structures.length}`);
      }
      return writePoscar(structures[0]);
    },
  },
];

const NAMES = STRUCTURE_FORMATS.map((f) => f.name).join(', ');

export function getFormat(name: string): StructureFormat {
  const format = STRUCTURE_FORMATS.find((f) => f.name === name);
  if (!format) throw new HamError('E_INPUT', `unknown structure format '${name}'; known formats: ${NAMES}`);
  return format;
}

/**
 * Format of a file from its name and content. Several formats may share an extension (.xyz is plain or
 * extended XYZ): the one whose sniffer accepts the content wins, else the first listed for that extension.
 */
export function detectFormat(path: string, text: string): FormatName {
  const name = basename(path);
  const ext = extname(name).toLowerCase();
  const byName = STRUCTURE_FORMATS.filter((f) => f.extensions.includes(ext)
    || f.namePrefixes.some((p) => name.toUpperCase().startsWith(p)));
  const candidates = byName.length > 0 ? byName : STRUCTURE_FORMATS;
  const found = candidates.find((f) => f.sniff(text)) ?? byName[0];
  if (!found) {
    const known = STRUCTURE_FORMATS.flatMap((f) => [...f.extensions, ...f.namePrefixes]);
    throw new HamError('E_INPUT', `cannot tell the structure format of this file (extension '${ext}'); `
      + `known: ${[...new Set(known)].join(', ')}`, { file: path });
  }
  return found.name;
}
