/**
 * VASP POSCAR / CONTCAR (https://www.vasp.at/wiki/POSCAR): comment; scale (one factor, a negative target volume,
 * or three Cartesian factors); three lattice vectors; species line (VASP 5; absent in VASP 4); counts; optional
 * "Selective dynamics"; Direct or Cartesian; one position per atom. What follows the positions (velocities,
 * predictor-corrector data in a CONTCAR) is ignored. Always periodic along all three axes.
 */
import { HamError } from '../../contracts/errors.ts';
import { det3, invert3, vecMat } from '../cell.ts';
import { atomicNumber } from '../elements.ts';
import type { Mat3, Structure, Vec3 } from '../structure.ts';
import {
  assertNotEmpty, formatError, formatReal, isInteger, isReal, lastContentLine, parseInteger, parseReal, splitLines,
  symbolsForWriting, type Where,
} from './text.ts';

export interface PoscarOptions {
  /** Element symbols, one per count, for VASP 4 files (no species line). */
  species?: string[];
}

// VASP 5.4+ may decorate symbols with the POTCAR flavour or hash ("Fe_pv", "Si/abc123"): the element comes first.
function speciesNumber(token: string, at: Where): number {
  const z = atomicNumber(token.split(/[_/]/)[0]);
  if (z === undefined) {
    throw new HamError('E_UNSUPPORTED_ELEMENT', `unknown element '${token}' in the species line`, at);
  }
  return z;
}

export function readPoscar(text: string, file: string, opts: PoscarOptions = {}): Structure[] {
  assertNotEmpty(text, file);
  const lines = splitLines(text);
  const at = (idx: number): Where => ({ file, line: idx + 1 });
  const lastNonBlank = lastContentLine(lines);
  const fieldsAt = (idx: number, what: string): string[] => {
    const t = idx < lines.length ? lines[idx].trim() : '';
    if (t === '') throw formatError(`missing ${what}${idx > lastNonBlank ? ' (the file ends here)' : ''}`, at(idx));
    return t.split(/\s+/);
  };

  const comment = lines[0].trim();
  const scaleFields = fieldsAt(1, 'scale factor');
  const threeScales = scaleFields.length >= 3 && isReal(scaleFields[1]) && isReal(scaleFields[2]);
  const scales = scaleFields.slice(0, threeScales ? 3 : 1).map((t) => parseReal(t, 'scale factor', at(1)));

  const lattice = [0, 1, 2].map((r) => {
    const f = fieldsAt(2 + r, `lattice vector ${r + 1} (a POSCAR has three lattice-vector lines after the scale)`);
    if (f.length < 3) throw formatError(`lattice vector ${r + 1} needs three numbers, found ${f.length}`, at(2 + r));
    return f.slice(0, 3).map((t, c) => parseReal(t, `component ${c + 1} of lattice vector ${r + 1}`, at(2 + r)));
  }) as Mat3;

  // VASP 5 has a species line before the counts; in VASP 4 the counts come right after the lattice.
  let idx = 5;
  const first = fieldsAt(idx, 'species line (VASP 5) or atom counts');
  const vasp4 = first.every(isInteger);
  const speciesLine = vasp4 ? undefined : idx++;
  const countsLine = idx++;
  const counts = fieldsAt(countsLine, 'atom counts line').map((t) => {
    const n = parseInteger(t, 'atom count', at(countsLine));
    if (n < 1) throw formatError(`atom count ${n} must be positive`, at(countsLine));
    return n;
  });
  const species = speciesLine !== undefined
    ? first.map((t) => speciesNumber(t, at(speciesLine)))
    : vasp4Species(opts, comment, counts.length, file, countsLine);
  if (species.length !== counts.length) {
    throw formatError(`species line has ${species.length} symbols but the counts line has ${counts.length} numbers`,
      at(countsLine));
  }

  if (/^\s*[sS]/.test(lines[idx] ?? '')) idx++; // "Selective dynamics": the T/F flags after x y z are ignored
  const mode = fieldsAt(idx, `coordinate mode ('Direct' or 'Cartesian')`)[0];
  // VASP's rule: C/c/K/k mean Cartesian. Anything but D/d is rejected rather than silently read as Direct.
  const cartesian = /^[cCkK]/.test(mode);
  if (!cartesian && !/^[dD]/.test(mode)) {
    throw formatError(`expected 'Direct' or 'Cartesian', found '${mode}'`, at(idx));
  }
  idx++;

  // Scale factors per Cartesian axis; Cartesian positions are scaled exactly like the lattice.
  const factors = scaleFactors(lattice, scales, at(1));
  const cell = lattice.map((row) => row.map((x, c) => x * factors[c])) as Mat3;
  if (!invert3(cell)) throw formatError('lattice vectors are linearly dependent', at(2));

  const total = counts.reduce((a, b) => a + b, 0);
  const numbers = counts.flatMap((n, s) => Array<number>(n).fill(species[s]));
  const positions: Vec3[] = [];
  for (let a = 0; a < total; a++, idx++) {
    const t = idx < lines.length ? lines[idx].trim() : '';
    if (t === '') {
      throw formatError(`expected ${total} atom positions (counts on line ${countsLine + 1}), found ${a}`, at(idx));
    }
    const f = t.split(/\s+/);
    if (f.length < 3) throw formatError(`expected 'x y z', found '${t}'`, at(idx));
    const v = f.slice(0, 3).map((tok, c) => parseReal(tok, `${'xyz'[c]} coordinate of atom ${a + 1}`, at(idx))) as Vec3;
    positions.push(cartesian ? [v[0] * factors[0], v[1] * factors[1], v[2] * factors[2]] : vecMat(v, cell));
  }

  const s: Structure = { numbers, positions, cell, pbc: [true, true, true] };
  if (comment) s.info = { comment };
  return [s];
}

function scaleFactors(lattice: Mat3, scales: number[], at: Where): Vec3 {
  if (scales.length === 3) {
    if (!scales.every((x) => x > 0)) throw formatError('three scale factors must all be positive', at);
    return scales as Vec3;
  }
  const s = scales[0];
  if (s === 0) throw formatError('scale factor is zero', at);
  if (s > 0) return [s, s, s];
  const volume = Math.abs(det3(lattice));
  if (volume === 0) throw formatError('negative scale (a target volume) given for a zero-volume lattice', at);
  const f = Math.cbrt(-s / volume);
  return [f, f, f];
}

function vasp4Species(opts: PoscarOptions, comment: string, n: number, file: string, countsLine: number): number[] {
  if (opts.species) {
    if (opts.species.length !== n) {
      throw new HamError('E_INPUT', `${opts.species.length} species given for ${n} atom counts`, { file });
    }
    return opts.species.map((t) => speciesNumber(t, { file, line: countsLine + 1 }));
  }
  // ASE's fallback for VASP 4: element symbols at the start of the comment line.
  const words = comment.split(/\s+/).slice(0, n);
  if (words.length === n && words.every((w) => atomicNumber(w) !== undefined)) {
    return words.map((w) => atomicNumber(w) as number);
  }
  throw formatError('species line is missing (VASP 4 format): add a line with the element symbols, e.g. "Si O", '
    + 'after the lattice vectors', { file, line: countsLine + 1 });
}

/** VASP 5 POSCAR in Direct coordinates; consecutive atoms of one element form one species entry, order kept. */
export function writePoscar(structure: Structure): string {
  const symbols = symbolsForWriting(structure);
  if (!structure.cell) throw new HamError('E_INPUT', 'a POSCAR needs a cell; this structure has none');
  const inv = invert3(structure.cell);
  if (!inv) throw new HamError('E_INPUT', 'cannot write a POSCAR: the cell is singular');
  const species: string[] = [];
  const counts: number[] = [];
  symbols.forEach((sym, k) => {
    if (k > 0 && sym === symbols[k - 1]) counts[counts.length - 1]++;
    else {
      species.push(sym);
      counts.push(1);
    }
  });
  const comment = typeof structure.info?.comment === 'string' ? structure.info.comment.replace(/[\r\n]+/g, ' ')
    : species.join(' ');
  const row = (v: number[]): string => v.map((x) => formatReal(x, 16)).join(' ');
  return [
    comment,
    '1.0',
    ...structure.cell.map(row),
    species.join(' '),
    counts.join(' '),
    'Direct',
    ...structure.positions.map((p) => row(vecMat(p, inv))),
  ].join('\n') + '\n';
}
