/**
 * A thin HDF5 layer over h5wasm (the HDF5 C library compiled to WebAssembly). Its Node build (`h5wasm/node`) is
 * compiled with Emscripten's NODERAWFS, so `new File(path)` opens real host paths directly; nothing is copied
 * into a virtual file system. h5wasm is loaded lazily, so commands that never touch HDF5 do not load the wasm, and
 * through `require` (Node ≥ 20.19 loads ES modules that way): the CLI runs under tsx, whose import hooks would
 * otherwise re-process h5wasm's 4 MB wasm-embedding module on every start (≈1.7 s instead of ≈0.15 s).
 *
 * Reads go through h5wasm's low-level module calls (metadata, then one read into a wasm buffer): the high-level
 * `Dataset.value` adds a type lookup and a second copy per dataset, which dominates for files holding a thousand
 * 13×13 blocks (the DeepH layout). HDF5's own error stack is turned into exceptions (instead of being printed to
 * stderr) and every failure becomes a HamError naming the file and, where there is one, the key.
 */
import { rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HamError } from '../contracts/errors.ts';
import { commitAtomic, tempPathFor } from './atomic-write.ts';

type H5Lib = typeof import('h5wasm/node');
type H5Module = Awaited<H5Lib['ready']>;

let loaded: Promise<{ lib: H5Lib; mod: H5Module }> | undefined;

function h5(): Promise<{ lib: H5Lib; mod: H5Module }> {
  loaded ??= (async () => {
    const lib = createRequire(import.meta.url)(fileURLToPath(import.meta.resolve('h5wasm/node'))) as H5Lib;
    const mod = await lib.ready;
    mod.activate_throwing_error_handler();
    return { lib, mod };
  })();
  return loaded;
}

/** The first line of HDF5's error stack that says what went wrong, without source paths. */
function h5Reason(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  const explicit = /error message = '([^']+)'/.exec(text);
  if (explicit) return explicit[1];
  const first = /#000: .*? in (\w+\(\)): (.*)/.exec(text);
  return first ? `${first[2]} (${first[1]})` : text.split('\n')[0];
}

/** HDF5 type classes h5wasm reports in metadata.type (H5T_class_t). */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_COMPOUND = 6;

export interface H5Array {
  shape: number[];
  /** Elements in C order, converted to float64. */
  data: Float64Array;
}

export interface H5DatasetInfo {
  shape: number[];
  /** 'float' and 'integer' can be read with `read`; 'compound' is, e.g., h5py's complex numbers. */
  kind: 'float' | 'integer' | 'compound' | 'other';
  /** Bytes per element. */
  size: number;
}

/** A read-only HDF5 file. Obtain with `openH5`; call `close()` (or use `withH5`). */
export class H5File {
  private constructor(
    readonly file: string,
    private readonly mod: H5Module,
    private readonly handle: InstanceType<H5Lib['File']>,
  ) {}

  static async open(file: string): Promise<H5File> {
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw new HamError('E_NOT_FOUND', 'file not found', { file });
    }
    if (!isFile) throw new HamError('E_INPUT', 'is not a file', { file });
    const { lib, mod } = await h5();
    try {
      return new H5File(file, mod, new lib.File(path.resolve(file), 'r'));
    } catch (e) {
      throw new HamError('E_FORMAT', `cannot open as HDF5: ${h5Reason(e)}`, { file });
    }
  }

  /** Names of the objects at the root of the file, in HDF5's (name) order. */
  keys(): string[] {
    return this.mod.get_names(this.handle.file_id, '/', false);
  }

  info(key: string): H5DatasetInfo {
    let meta;
    try {
      meta = this.mod.get_dataset_metadata(this.handle.file_id, `/${key}`);
    } catch (e) {
      throw new HamError('E_FORMAT', `no readable dataset: ${h5Reason(e)}`, { file: this.file, key });
    }
    const kind = meta.type === H5T_FLOAT ? 'float' : meta.type === H5T_INTEGER ? 'integer'
      : meta.type === H5T_COMPOUND ? 'compound' : 'other';
    if ((kind === 'float' || kind === 'integer') && !meta.littleEndian) {
      throw new HamError('E_FORMAT', 'big-endian datasets are not supported', { file: this.file, key });
    }
    return { shape: meta.shape ?? [], kind, size: meta.size };
  }

  /** Read a numeric dataset (float32/64 or any integer type) as float64 with its shape. */
  read(key: string): H5Array {
    const { shape, kind, size } = this.info(key);
    if (kind !== 'float' && kind !== 'integer') {
      const what = kind === 'compound' ? 'compound (e.g. complex) values' : 'non-numeric values';
      throw new HamError('E_FORMAT', `dataset holds ${what}; only real numbers are supported`, { file: this.file, key });
    }
    const count = shape.reduce((a, d) => a * d, 1);
    const nbytes = count * size;
    const ptr = this.mod._malloc(Math.max(nbytes, 1));
    try {
      this.mod.get_dataset_data(this.handle.file_id, `/${key}`, null, null, null, BigInt(ptr));
      // HEAPU8 must be read after the call: the wasm memory may have grown (new ArrayBuffer).
      const bytes = this.mod.HEAPU8.slice(ptr, ptr + nbytes);
      return { shape, data: toFloat64(bytes.buffer, kind, size, this.file, key) };
    } catch (e) {
      if (e instanceof HamError) throw e;
      throw new HamError('E_FORMAT', `cannot read dataset: ${h5Reason(e)}`, { file: this.file, key });
    } finally {
      this.mod._free(ptr);
    }
  }

  close(): void {
    this.handle.close();
  }
}

function toFloat64(buf: ArrayBuffer, kind: 'float' | 'integer', size: number, file: string, key: string): Float64Array {
  if (kind === 'float') {
    if (size === 8) return new Float64Array(buf);
    if (size === 4) return Float64Array.from(new Float32Array(buf));
  } else {
    if (size === 8) return Float64Array.from(new BigInt64Array(buf), Number);
    if (size === 4) return Float64Array.from(new Int32Array(buf));
    if (size === 2) return Float64Array.from(new Int16Array(buf));
    if (size === 1) return Float64Array.from(new Int8Array(buf));
  }
  throw new HamError('E_FORMAT', `unsupported ${size}-byte ${kind} type`, { file, key });
}

export function openH5(file: string): Promise<H5File> {
  return H5File.open(file);
}

/** Open, run `fn`, and close even when `fn` throws. */
export async function withH5<T>(file: string, fn: (f: H5File) => T | Promise<T>): Promise<T> {
  const f = await H5File.open(file);
  try {
    return await fn(f);
  } finally {
    f.close();
  }
}

export interface H5DatasetSpec {
  name: string;
  shape: readonly number[];
  /** Stored as float64, int32 or int64 (little-endian) according to the array type. */
  data: Float64Array | Int32Array | BigInt64Array;
}

const H5_DTYPE = (d: H5DatasetSpec['data']): string =>
  d instanceof Float64Array ? '<d' : d instanceof Int32Array ? '<i' : '<q';

/**
 * Write a new HDF5 file of numeric datasets (float64 for matrices; int32/int64 for index tables such as
 * DeepH-dock's atom_pairs), uncompressed, atomically: temporary name, then rename.
 */
export async function writeH5(file: string, datasets: readonly H5DatasetSpec[]): Promise<void> {
  const { lib } = await h5();
  const target = path.resolve(file);
  const tmp = tempPathFor(target);
  let out: InstanceType<H5Lib['File']> | undefined;
  try {
    out = new lib.File(tmp, 'w');
    for (const d of datasets) {
      const count = d.shape.reduce((a, n) => a * n, 1);
      if (count !== d.data.length) {
        throw new HamError('E_INPUT', `shape (${d.shape.join(', ')}) does not match ${d.data.length} values`, { file, key: d.name });
      }
      out.create_dataset({ name: d.name, data: d.data, shape: [...d.shape], dtype: H5_DTYPE(d.data) });
    }
    out.close();
    out = undefined;
  } catch (e) {
    out?.close();
    rmSync(tmp, { force: true });
    if (e instanceof HamError) throw e;
    throw new HamError('E_IO', `cannot write HDF5: ${h5Reason(e)}`, { file });
  }
  commitAtomic(tmp, target);
}
