/**
 * Frame layout shared by plain and extended XYZ: an atom-count line, a comment line, then one line per atom,
 * frames back to back. Only blank lines may follow the last frame.
 */
import { assertNotEmpty, formatError, isInteger, lastContentLine, splitLines } from './text.ts';

export interface XyzAtomLine {
  /** Whitespace-separated fields of the line. */
  fields: string[];
  /** 1-based line number. */
  line: number;
}

export interface XyzFrame {
  /** 1-based line number of the atom-count line. */
  headerLine: number;
  comment: string;
  atoms: XyzAtomLine[];
}

function fieldsOf(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

export function splitXyzFrames(text: string, file: string): XyzFrame[] {
  assertNotEmpty(text, file);
  const lines = splitLines(text);
  const frames: XyzFrame[] = [];
  const lastNonBlank = lastContentLine(lines);
  let k = 0;
  while (k <= lastNonBlank) {
    const headerLine = k + 1;
    const header = lines[k].trim();
    if (!isInteger(header) || Number(header) < 1) {
      const previous = frames.at(-1);
      const hint = previous
        ? ` (the frame at line ${previous.headerLine} declares ${previous.atoms.length} atoms: is its count too small?)`
        : '';
      throw formatError(`expected a positive atom count, found '${header}'${hint}`, { file, line: headerLine });
    }
    const count = Number(header);
    if (k + 1 >= lines.length) {
      throw formatError(`file ends after the atom count: the comment line is missing`, { file, line: headerLine });
    }
    const comment = lines[k + 1];
    const atoms: XyzAtomLine[] = [];
    for (let a = 0; a < count; a++) {
      const lineNo = k + 3 + a;
      const fields = lineNo <= lines.length ? fieldsOf(lines[lineNo - 1]) : [];
      if (fields.length === 0 || (fields.length === 1 && isInteger(fields[0]))) {
        const why = fields.length === 0 ? (lineNo > lastNonBlank + 1 ? 'the file ends' : 'blank line')
          : `'${fields[0]}' looks like the next frame's atom count`;
        throw formatError(`header at line ${headerLine} says ${count} atoms, found ${a} (${why})`,
          { file, line: lineNo });
      }
      atoms.push({ fields, line: lineNo });
    }
    frames.push({ headerLine, comment, atoms });
    k += 2 + count;
  }
  return frames;
}
