/**
 * Irreps: a value object naming a direct sum of O(3) irreducible representations, e3nn style
 * ("8x0e+4x1o+2x2e" = 8 scalars, 4 odd vectors, 2 even l = 2 tensors). Every equivariant layer states its input and
 * output irreps with it (reference/style-anchors.md, e3nn). Feature vectors are laid out entry by entry, each entry
 * mul copies of a (2l + 1)-vector in the wiki order m = −l…l.
 */
import { HamError } from '../contracts/errors.ts';

/** +1 for even ('e'), −1 for odd ('o') under inversion r → −r. */
export type Parity = 1 | -1;

/** `mul` copies of the irrep of degree `l` and parity `parity`. */
export interface MulIrrep {
  readonly mul: number;
  readonly l: number;
  readonly parity: Parity;
}

/** Half-open range [start, end) of one entry's components in the flat feature vector. */
export interface IrrepsSlice {
  readonly start: number;
  readonly end: number;
}

const TERM = /^(?:(\d+)x)?(\d+)([eo])$/;

export class Irreps implements Iterable<MulIrrep> {
  readonly entries: readonly MulIrrep[];
  /** Length of the flat feature vector: Σ mul · (2l + 1). */
  readonly dim: number;
  /** Number of irreps counted with multiplicity: Σ mul. */
  readonly count: number;

  constructor(entries: Iterable<MulIrrep>) {
    const list: MulIrrep[] = [];
    for (const { mul, l, parity } of entries) {
      if (!Number.isSafeInteger(mul) || mul < 0 || !Number.isSafeInteger(l) || l < 0 || (parity !== 1 && parity !== -1)) {
        throw new HamError('E_INPUT', `invalid irrep entry {mul: ${mul}, l: ${l}, parity: ${parity}}: need integers ` +
          'mul ≥ 0, l ≥ 0 and parity 1 or -1');
      }
      list.push(Object.freeze({ mul, l, parity }));
    }
    this.entries = Object.freeze(list);
    this.dim = list.reduce((sum, e) => sum + e.mul * (2 * e.l + 1), 0);
    this.count = list.reduce((sum, e) => sum + e.mul, 0);
  }

  /** Parses "8x0e+4x1o+2x2e" (spaces around '+' allowed, "1x" optional, "" is the empty sum). */
  static parse(text: string): Irreps {
    const trimmed = text.trim();
    if (trimmed === '') return new Irreps([]);
    const entries = trimmed.split('+').map((raw, index): MulIrrep => {
      const term = raw.trim();
      const match = TERM.exec(term);
      if (!match) {
        throw new HamError('E_INPUT', `invalid irreps "${text}": term ${index + 1} "${term}" is not of the form ` +
          '"<mul>x<l><parity>" such as "8x0e" or "1o" (parity e = even, o = odd)');
      }
      const [, mul, l, parity] = match;
      return { mul: mul === undefined ? 1 : Number(mul), l: Number(l), parity: parity === 'e' ? 1 : -1 };
    });
    return new Irreps(entries);
  }

  /** Offsets of each mul × irrep block in the flat feature vector, in entry order. */
  slices(): IrrepsSlice[] {
    let start = 0;
    return this.entries.map((e) => {
      const slice = { start, end: start + e.mul * (2 * e.l + 1) };
      start = slice.end;
      return slice;
    });
  }

  /** Merges neighbouring entries with the same (l, parity) and drops mul = 0 entries; the order is kept (as e3nn). */
  simplify(): Irreps {
    const out: MulIrrep[] = [];
    for (const e of this.entries) {
      if (e.mul === 0) continue;
      const last = out[out.length - 1];
      if (last && last.l === e.l && last.parity === e.parity) out[out.length - 1] = { ...last, mul: last.mul + e.mul };
      else out.push(e);
    }
    return new Irreps(out);
  }

  /** Canonical text, e.g. "8x0e+4x1o"; parse(toString()) gives back an equal Irreps. */
  toString(): string {
    return this.entries.map((e) => `${e.mul}x${e.l}${e.parity === 1 ? 'e' : 'o'}`).join('+');
  }

  [Symbol.iterator](): Iterator<MulIrrep> {
    return this.entries[Symbol.iterator]();
  }
}
