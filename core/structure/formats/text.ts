/**
 * Shared pieces of the line-oriented structure readers: line splitting, strict number and element parsing, and
 * the E_FORMAT error that names file and 1-based line (DESIGN.md §9).
 */
import { HamError } from '../../contracts/errors.ts';
import { atomicNumber, ELEMENT_SYMBOLS } from '../elements.ts';
import type { Structure, Vec3 } from '../structure.ts';

/** A place in the user's file: the file name as given, a 1-based line number and, if useful, a key. */
export interface Where {
  file: string;
  line: number;
  key?: string;
}

/** Lines without terminators (LF, CRLF or CR) and without a byte-order mark; line k is index k − 1. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** Index of the last line with content, −1 if none: blank lines after it are the end of the file. */
export function lastContentLine(lines: string[]): number {
  let k = lines.length - 1;
  while (k >= 0 && lines[k].trim() === '') k--;
  return k;
}

export function formatError(message: string, at: Where): HamError {
  return new HamError('E_FORMAT', message, at);
}

export function assertNotEmpty(text: string, file: string): void {
  if (text.trim() === '') throw formatError('file is empty', { file, line: 1 });
}

// Plain decimal syntax only: Number() would also accept '', '0x1f' and 'Infinity', none of which is a coordinate.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const INTEGER = /^[+-]?\d+$/;

/** A finite decimal number, or E_FORMAT naming `what` (e.g. "x coordinate of atom 3"). */
export function parseReal(token: string | undefined, what: string, at: Where): number {
  if (token === undefined || token === '') throw formatError(`missing ${what}`, at);
  if (NON_FINITE.test(token)) throw formatError(`${what} is '${token}', not a finite number`, at);
  if (!DECIMAL.test(token)) throw formatError(`${what} '${token}' is not a number`, at);
  const x = Number(token);
  if (!Number.isFinite(x)) throw formatError(`${what} '${token}' is out of range`, at);
  return x;
}

export function parseInteger(token: string | undefined, what: string, at: Where): number {
  if (token === undefined || token === '') throw formatError(`missing ${what}`, at);
  if (!INTEGER.test(token)) throw formatError(`${what} '${token}' is not an integer`, at);
  return Number(token);
}

export function isInteger(token: string): boolean {
  return INTEGER.test(token);
}

export function isReal(token: string): boolean {
  return DECIMAL.test(token);
}

/** Atomic number from a symbol (any case) or from an atomic number written in its place, as ASE's xyz accepts. */
export function parseElement(token: string, at: Where): number {
  const z = INTEGER.test(token) ? Number(token) : atomicNumber(token);
  if (z === undefined || !Number.isInteger(z) || z < 1 || z >= ELEMENT_SYMBOLS.length) {
    throw new HamError('E_UNSUPPORTED_ELEMENT', `unknown element '${token}'`, at);
  }
  return z;
}

/**
 * Element symbols of a structure about to be written. A structure that cannot be written (invalid atomic number,
 * position count mismatch, non-finite coordinate) is the caller's mistake: E_INPUT, never a RangeError.
 */
export function symbolsForWriting(s: Structure): string[] {
  if (s.numbers.length !== s.positions.length) {
    throw new HamError('E_INPUT',
      `structure has ${s.numbers.length} atomic numbers but ${s.positions.length} positions`);
  }
  return s.numbers.map((z, k) => {
    if (!Number.isInteger(z) || z < 1 || z >= ELEMENT_SYMBOLS.length) {
      throw new HamError('E_INPUT', `atom ${k + 1} has atomic number ${z}, which is not an element`);
    }
    if (!s.positions[k].every(Number.isFinite)) {
      throw new HamError('E_INPUT', `atom ${k + 1} has a non-finite position`);
    }
    return ELEMENT_SYMBOLS[z];
  });
}

/** Fixed-point real for writers, right-aligned: 10 decimals is 1e-10 Å for Cartesian coordinates. */
export function formatReal(x: number, decimals = 10): string {
  return x.toFixed(decimals).padStart(decimals + 6);
}

/** `symbol x y z` line of the XYZ writers. */
export function atomLine(symbol: string, p: Vec3): string {
  return `${symbol.padEnd(2)} ${p.map((x) => formatReal(x)).join(' ')}`;
}

/** Writers accept one structure or several frames; an empty list has nothing to write. */
export function asFrames<T>(input: T | T[], format: string): T[] {
  const frames = Array.isArray(input) ? input : [input];
  if (frames.length === 0) throw new HamError('E_INPUT', `no structures to write as ${format}`);
  return frames;
}
