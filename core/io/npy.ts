/**
 * NumPy `.npy` reader and writer, written by hand: the npm packages for it handle only part of the format (no
 * version 2.0/3.0 headers, no Fortran order, or no int64) and pull in dependencies, and the format is small.
 *
 * Format (NEP 1, numpy/lib/format.py docstring): magic "\x93NUMPY", major and minor version bytes, header length
 * (uint16 LE for 1.0, uint32 LE for 2.0 and 3.0), then a Python dict literal with exactly the keys 'descr',
 * 'fortran_order' and 'shape' (latin-1 for 1.0/2.0, UTF-8 for 3.0), padded with spaces and ended by '\n' so the
 * data start on a 64-byte boundary (older writers used 16; any padding is accepted here), then the raw data.
 *
 * Supported dtypes: little-endian '<f8', '<f4', '<i4', '<i8', '<i2' (the ones our datasets use, formats §2). A
 * Fortran-ordered array is reordered to C order on read. Data come back in the matching typed array; '<i8' comes
 * back as a BigInt64Array (exact), and `npyToFloat64` converts any of them to numbers, refusing int64 values
 * beyond ±2^53. Typed arrays use the host's byte order; every platform Node supports is little-endian.
 */
import { readFileSync } from 'node:fs';
import { HamError } from '../contracts/errors.ts';
import { writeFileAtomic } from './atomic-write.ts';

export const NPY_DTYPES = ['<f8', '<f4', '<i4', '<i8', '<i2'] as const;
export type NpyDtype = (typeof NPY_DTYPES)[number];
export type NpyData = Float64Array | Float32Array | Int32Array | BigInt64Array | Int16Array;

export interface NpyArray {
  /** C-order shape; [] for a 0-d array (one element). */
  shape: number[];
  dtype: NpyDtype;
  /** Elements in C (row-major) order. */
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;

interface DtypeInfo {
  size: number;
  make(buffer: ArrayBuffer): NpyData;
  empty(n: number): NpyData;
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  '<f8': { size: 8, make: (b) => new Float64Array(b), empty: (n) => new Float64Array(n) },
  '<f4': { size: 4, make: (b) => new Float32Array(b), empty: (n) => new Float32Array(n) },
  '<i4': { size: 4, make: (b) => new Int32Array(b), empty: (n) => new Int32Array(n) },
  '<i8': { size: 8, make: (b) => new BigInt64Array(b), empty: (n) => new BigInt64Array(n) },
  '<i2': { size: 2, make: (b) => new Int16Array(b), empty: (n) => new Int16Array(n) },
};

function isNpyDtype(d: string): d is NpyDtype {
  return (NPY_DTYPES as readonly string[]).includes(d);
}

function formatError(file: string, message: string): HamError {
  return new HamError('E_FORMAT', message, { file });
}

// ---------------------------------------------------------------------------------------------------------------
// Header: a Python literal of the restricted form numpy writes (dict of str → str | bool | tuple of int).

type PyValue = string | number | boolean | PyValue[] | { [key: string]: PyValue };

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string, private readonly file: string) {}

  parseAll(): PyValue {
    const v = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected text after the header dict');
    return v;
  }

  private fail(what: string): never {
    throw formatError(this.file, `.npy header is not a valid dict literal (${what}): ${JSON.stringify(this.text.trim())}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}' at offset ${this.pos}`);
    this.pos++;
  }

  private value(): PyValue {
    const c = this.peek();
    if (c === '{') return this.dict();
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return this.string();
    const word = /^(True|False|[+-]?\d+L?)/.exec(this.text.slice(this.pos));
    if (!word) this.fail(`unexpected character '${c}' at offset ${this.pos}`);
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    return Number(word[0].replace(/L$/, ''));
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  private sequence(close: string): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    while (this.peek() !== close) {
      items.push(this.value());
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) this.fail(`expected ',' or '${close}' at offset ${this.pos}`);
    }
    this.pos++;
    return items;
  }

  private dict(): { [key: string]: PyValue } {
    this.pos++;
    const out: { [key: string]: PyValue } = {};
    while (this.peek() !== '}') {
      const c = this.peek();
      if (c !== "'" && c !== '"') this.fail(`dict key must be a string at offset ${this.pos}`);
      const key = this.string();
      this.expect(':');
      out[key] = this.value();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.fail(`expected ',' or '}' at offset ${this.pos}`);
    }
    this.pos++;
    return out;
  }
}

interface Header {
  dtype: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
}

function interpretHeader(text: string, file: string): Header {
  const dict = new LiteralParser(text, file).parseAll();
  if (typeof dict !== 'object' || Array.isArray(dict)) throw formatError(file, '.npy header is not a dict');
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') {
    throw formatError(file, `.npy header must have exactly the keys descr, fortran_order, shape; found ${keys || 'none'}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== 'string') throw formatError(file, 'unsupported .npy dtype: structured or record arrays are not supported');
  if (!isNpyDtype(descr)) {
    const why = descr.startsWith('>') ? 'big-endian data are not supported'
      : descr.startsWith('|O') ? 'object arrays (pickles) are not supported'
        : `supported: ${NPY_DTYPES.join(', ')}`;
    throw formatError(file, `unsupported .npy dtype '${descr}' (${why})`);
  }
  if (typeof fortranOrder !== 'boolean') throw formatError(file, '.npy header: fortran_order must be True or False');
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw formatError(file, '.npy header: shape must be a tuple of non-negative integers');
  }
  return { dtype: descr, fortranOrder, shape: shape as number[] };
}

// ---------------------------------------------------------------------------------------------------------------

/** Element access shared by every NpyData type (bigint for int64, number otherwise). */
type Indexable = { [k: number]: number | bigint };

/** Reorder Fortran-ordered (column-major) elements to C order for the same shape. */
function fortranToC(src: NpyData, shape: number[], empty: (n: number) => NpyData): NpyData {
  if (shape.length < 2) return src;
  const n = src.length;
  const out = empty(n);
  const fStride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fStride.push(s);
    s *= d;
  }
  const idx = new Array<number>(shape.length).fill(0);
  let f = 0;
  // Walk C order (last axis fastest) while tracking the Fortran offset incrementally.
  for (let c = 0; c < n; c++) {
    (out as Indexable)[c] = (src as Indexable)[f];
    for (let a = shape.length - 1; a >= 0; a--) {
      idx[a]++;
      f += fStride[a];
      if (idx[a] < shape[a]) break;
      f -= fStride[a] * shape[a];
      idx[a] = 0;
    }
  }
  return out;
}

/** Parse the bytes of a `.npy` file; `file` names it in errors. */
export function parseNpy(bytes: Uint8Array, file = '<buffer>'): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, k) => bytes[k] === b)) {
    throw formatError(file, 'not a NumPy .npy file (bad magic bytes)');
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) throw formatError(file, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) throw formatError(file, 'truncated .npy header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenSize + headerLen;
  if (dataStart > bytes.length) throw formatError(file, `truncated .npy header (needs ${dataStart} bytes, file has ${bytes.length})`);
  const headerBytes = bytes.subarray(8 + lenSize, dataStart);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { dtype, fortranOrder, shape } = interpretHeader(headerText, file);

  const info = DTYPES[dtype];
  const count = shape.reduce((a, d) => a * d, 1);
  const nbytes = count * info.size;
  if (bytes.length - dataStart < nbytes) {
    throw formatError(file, `truncated .npy data: shape (${shape.join(', ')}) ${dtype} needs ${nbytes} bytes, the file has ${bytes.length - dataStart}`);
  }
  // Copy into a fresh, aligned buffer: the data offset need not be a multiple of the item size (any padding).
  const aligned = new Uint8Array(nbytes);
  aligned.set(bytes.subarray(dataStart, dataStart + nbytes));
  const raw = info.make(aligned.buffer);
  return { shape, dtype, data: fortranOrder ? fortranToC(raw, shape, info.empty) : raw };
}

/** Read a `.npy` file; errors name the file. */
export function readNpy(file: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HamError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', code === 'ENOENT' ? 'file not found' : `cannot read: ${code}`, { file });
  }
  return parseNpy(bytes, file);
}

/** Elements as float64; int64 values must be exactly representable (|v| ≤ 2^53). */
export function npyToFloat64(arr: NpyArray, file = '<buffer>'): Float64Array {
  if (arr.data instanceof Float64Array) return arr.data;
  if (arr.data instanceof BigInt64Array) {
    const out = new Float64Array(arr.data.length);
    const limit = 2n ** 53n;
    arr.data.forEach((v, k) => {
      if (v > limit || v < -limit) throw formatError(file, `int64 value ${v} at element ${k} does not fit a float64 exactly`);
      out[k] = Number(v);
    });
    return out;
  }
  return Float64Array.from(arr.data);
}

// ---------------------------------------------------------------------------------------------------------------
// Writer

function dtypeOfData(data: NpyData): NpyDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  return '<i2';
}

export interface NpyWriteOptions {
  /** Format version; default 1 (2 when the header needs more than 65535 bytes). 3 = 2 with a UTF-8 header. */
  version?: 1 | 2 | 3;
}

/** Encode C-ordered `data` with `shape` as `.npy` bytes that `numpy.load` reads unchanged. */
export function encodeNpy(shape: readonly number[], data: NpyData, opts: NpyWriteOptions = {}): Uint8Array {
  const count = shape.reduce((a, d) => a * d, 1);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || count !== data.length) {
    throw new HamError('E_INPUT', `npy: shape (${shape.join(', ')}) does not match ${data.length} elements`);
  }
  const dtype = dtypeOfData(data);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = opts.version ?? 1;
  const pad = (lenSize: number) => {
    const unpadded = MAGIC.length + 2 + lenSize + dict.length + 1;
    return dict + ' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + '\n';
  };
  if (version === 1 && pad(2).length > 0xffff) version = 2;
  const lenSize = version === 1 ? 2 : 4;
  const header = new TextEncoder().encode(pad(lenSize)); // ASCII: identical in latin-1 and UTF-8
  const out = new Uint8Array(MAGIC.length + 2 + lenSize + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lenSize === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, 8 + lenSize);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 8 + lenSize + header.length);
  return out;
}

/** Write a `.npy` file atomically (temporary name + rename). */
export function writeNpy(file: string, shape: readonly number[], data: NpyData, opts: NpyWriteOptions = {}): void {
  writeFileAtomic(file, encodeNpy(shape, data, opts));
}
