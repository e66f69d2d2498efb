/**
 * Protein Data Bank files (wwPDB format v3.3, fixed columns): ATOM/HETATM coordinates (Å) in columns 31–54,
 * CRYST1 cell parameters, and MODEL/ENDMDL frames (atoms outside any MODEL form one frame). Reading stops at END.
 */
import { HamError } from '../../contracts/errors.ts';
import { cellFromParameters } from '../cell.ts';
import { atomicNumber } from '../elements.ts';
import type { Mat3, Structure, Vec3 } from '../structure.ts';
import { assertNotEmpty, formatError, parseReal, splitLines, type Where } from './text.ts';

interface Frame {
  numbers: number[];
  positions: Vec3[];
  /** 1-based line of the MODEL record, undefined for atoms outside MODEL/ENDMDL. */
  modelLine?: number;
}

/** Columns first..last (1-based, inclusive) of a record, trimmed. */
const columns = (line: string, first: number, last: number): string => line.slice(first - 1, last).trim();

function readCryst1(line: string, at: Where): Mat3 | undefined {
  const spans: [number, number, string][] = [
    [7, 15, 'a'], [16, 24, 'b'], [25, 33, 'c'], [34, 40, 'alpha'], [41, 47, 'beta'], [48, 54, 'gamma'],
  ];
  const p = spans.map(([first, last, name]) => parseReal(columns(line, first, last), `CRYST1 ${name}`, at));
  // Entries that are not crystals carry the placeholder "1 1 1 90 90 90 P 1" (PDB format guide, CRYST1).
  if (p[0] === 1 && p[1] === 1 && p[2] === 1 && p[3] === 90 && p[4] === 90 && p[5] === 90) return undefined;
  const cell = cellFromParameters(p[0], p[1], p[2], p[3], p[4], p[5]);
  if (!cell) throw formatError(`CRYST1 parameters ${p.join(', ')} do not describe a cell`, at);
  return cell;
}

/**
 * Element of an atom record: columns 77–78 when present; otherwise the atom name (columns 13–16), where a
 * two-letter element starts in column 13 and a one-letter element sits in column 14. Four-character names that
 * start in column 13 are hydrogens such as "HG11", so two letters are tried only for names of at most two.
 */
function atomElement(line: string, at: Where): number {
  const element = columns(line, 77, 78);
  const name = line.slice(12, 16);
  let z: number | undefined;
  if (element) z = atomicNumber(element);
  else if (/[A-Za-z]/.test(name[0] ?? '')) {
    z = (name.trim().length <= 2 ? atomicNumber(name.slice(0, 2)) : undefined) ?? atomicNumber(name[0]);
  } else z = atomicNumber(name[1] ?? '');
  if (z === undefined) {
    const what = element ? `element '${element}'` : `element in atom name '${name.trim()}'`;
    throw new HamError('E_UNSUPPORTED_ELEMENT', `unknown ${what}`, at);
  }
  return z;
}

function readAtom(line: string, at: Where): Vec3 {
  if (line.trimEnd().length < 54) {
    throw formatError('ATOM/HETATM record ends before the coordinates (columns 31–54)', at);
  }
  return [
    parseReal(columns(line, 31, 38), 'x coordinate', at),
    parseReal(columns(line, 39, 46), 'y coordinate', at),
    parseReal(columns(line, 47, 54), 'z coordinate', at),
  ];
}

export function readPdb(text: string, file: string): Structure[] {
  assertNotEmpty(text, file);
  const lines = splitLines(text);
  const frames: Frame[] = [];
  let cell: Mat3 | undefined;
  let frame: Frame | undefined;
  const close = (f: Frame, line: number): void => {
    if (f.numbers.length === 0) throw formatError('MODEL has no ATOM or HETATM records', { file, line });
    frames.push(f);
  };

  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const at = { file, line: k + 1 };
    const record = line.slice(0, 6).trim();
    if (record === 'END') break;
    if (record === 'CRYST1') {
      cell = readCryst1(line, at);
    } else if (record === 'MODEL') {
      if (frame?.modelLine !== undefined) {
        throw formatError(`MODEL inside the MODEL of line ${frame.modelLine} (missing ENDMDL)`, at);
      }
      if (frame) close(frame, k + 1);
      frame = { numbers: [], positions: [], modelLine: k + 1 };
    } else if (record === 'ENDMDL') {
      if (frame?.modelLine === undefined) throw formatError('ENDMDL without MODEL', at);
      close(frame, frame.modelLine);
      frame = undefined;
    } else if (record === 'ATOM' || record === 'HETATM') {
      frame ??= { numbers: [], positions: [] };
      frame.positions.push(readAtom(line, at));
      frame.numbers.push(atomElement(line, at));
    }
  }
  if (frame?.modelLine !== undefined) {
    throw formatError('MODEL has no ENDMDL (truncated file?)', { file, line: frame.modelLine });
  }
  if (frame) close(frame, lines.length);
  if (frames.length === 0) throw formatError('no ATOM or HETATM records', { file, line: 1 });

  return frames.map(({ numbers, positions }) =>
    cell ? { numbers, positions, cell: cell.map((r) => [...r]) as Mat3, pbc: [true, true, true] }
      : { numbers, positions });
}
