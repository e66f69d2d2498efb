/**
 * Plain XYZ: count line, free comment line, `symbol x y z` per atom (Å), any number of frames. Columns after z
 * (forces, charges from other programs) are ignored. No cell: every frame is a molecule.
 */
import type { Structure, Vec3 } from '../structure.ts';
import { asFrames, atomLine, formatError, parseElement, parseReal, symbolsForWriting } from './text.ts';
import { splitXyzFrames } from './xyz-frames.ts';

export function readXyz(text: string, file: string): Structure[] {
  return splitXyzFrames(text, file).map((frame) => {
    const numbers: number[] = [];
    const positions: Vec3[] = [];
    for (const { fields, line } of frame.atoms) {
      const at = { file, line };
      if (fields.length < 4) throw formatError(`expected 'symbol x y z', found ${fields.length} fields`, at);
      numbers.push(parseElement(fields[0], at));
      positions.push([
        parseReal(fields[1], 'x coordinate', at),
        parseReal(fields[2], 'y coordinate', at),
        parseReal(fields[3], 'z coordinate', at),
      ]);
    }
    const comment = frame.comment.trim();
    return comment ? { numbers, positions, info: { comment } } : { numbers, positions };
  });
}

/** Plain XYZ of one or more frames; the comment line is `info.comment` when it is a one-line string. */
export function writeXyz(structures: Structure | Structure[]): string {
  return asFrames(structures, 'XYZ').map((s) => {
    const symbols = symbolsForWriting(s);
    const comment = typeof s.info?.comment === 'string' ? s.info.comment.replace(/[\r\n]+/g, ' ') : '';
    const atoms = s.positions.map((p, k) => atomLine(symbols[k], p));
    return [String(s.numbers.length), comment, ...atoms].join('\n') + '\n';
  }).join('');
}
