import { spawnSync } from 'node:child_process';
import { PYTHON } from '../../helpers/python.ts';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { encodeNpy, npyToFloat64, parseNpy, readNpy, writeNpy, type NpyData } from '../../../core/io/npy.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A .npy file assembled by hand: magic, version, header (as given, no padding added), raw data. */
function handMade(version: 1 | 2 | 3, header: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(header);
  const lenSize = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenSize + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (lenSize === 2) view.setUint16(8, h.length, true);
  else view.setUint32(8, h.length, true);
  out.set(h, 8 + lenSize);
  out.set(data, 8 + lenSize + h.length);
  return out;
}

const bytesOf = (a: NpyData) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function expectFormatError(fn: () => unknown, ...fragments: string[]): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HamError);
    expect((e as HamError).code).toBe('E_FORMAT');
    for (const f of fragments) expect((e as HamError).message).toContain(f);
    return;
  }
  throw new Error('expected an E_FORMAT HamError');
}

const SAMPLES: Record<string, NpyData> = {
  '<f8': Float64Array.from([1.5, -2.25, 3e-300, Math.PI, 0, -0]),
  '<f4': Float32Array.from([1.5, -2.25, 3.5, 0.125, 7, -1]),
  '<i4': Int32Array.from([1, -2, 2147483647, -2147483648, 0, 5]),
  '<i8': BigInt64Array.from([1n, -2n, 9007199254740993n, -(2n ** 63n), 0n, 5n]),
};

describe('npy round trip', () => {
  for (const [dtype, data] of Object.entries(SAMPLES)) {
    for (const version of [1, 2, 3] as const) {
      it(`${dtype}, format ${version}.0, shape (2, 3)`, () => {
        const bytes = encodeNpy([2, 3], data, { version });
        expect(bytes[6]).toBe(version);
        expect((bytes.length - data.byteLength) % 64).toBe(0); // data start 64-byte aligned
        const back = parseNpy(bytes);
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual([2, 3]);
        expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(data as ArrayLike<number | bigint>));
      });
    }
  }

  it('0-d and 1-d shapes', () => {
    expect(parseNpy(encodeNpy([], Float64Array.of(42))).shape).toEqual([]);
    const one = parseNpy(encodeNpy([3], Int32Array.of(1, 2, 3)));
    expect(one.shape).toEqual([3]);
    expect(Array.from(one.data as Int32Array)).toEqual([1, 2, 3]);
  });

  it('reads a hand-built version 2.0 header with odd padding, double quotes and key order', () => {
    const data = Float64Array.of(1, 2, 3, 4);
    const header = `{"shape": (2,2), "fortran_order": False,   "descr": "<f8"}   \n`; // not 64-aligned
    const arr = parseNpy(handMade(2, header, bytesOf(data)), 'v2.npy');
    expect(arr.shape).toEqual([2, 2]);
    expect(Array.from(arr.data as Float64Array)).toEqual([1, 2, 3, 4]);
  });

  it('reorders a Fortran-ordered array to C order (2-D and 3-D)', () => {
    // C-order value at (i, j) is 10 i + j for shape (2, 3); Fortran order stores column by column.
    const f2 = Float64Array.of(0, 10, 1, 11, 2, 12);
    const arr = parseNpy(handMade(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n", bytesOf(f2)));
    expect(Array.from(arr.data as Float64Array)).toEqual([0, 1, 2, 10, 11, 12]);
    // shape (2, 3, 4): value 100 i + 10 j + k; Fortran offset i + 2 j + 6 k.
    const f3 = new Int32Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) f3[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const arr3 = parseNpy(handMade(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }\n", bytesOf(f3)));
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expected.push(100 * i + 10 * j + k);
    expect(Array.from(arr3.data as Int32Array)).toEqual(expected);
  });

  it('npyToFloat64 converts every dtype and refuses int64 beyond 2^53', () => {
    expect(Array.from(npyToFloat64(parseNpy(encodeNpy([2], Int32Array.of(-3, 4)))))).toEqual([-3, 4]);
    expect(Array.from(npyToFloat64(parseNpy(encodeNpy([2], BigInt64Array.of(-3n, 2n ** 53n)))))).toEqual([-3, 2 ** 53]);
    expectFormatError(() => npyToFloat64(parseNpy(encodeNpy([1], BigInt64Array.of(2n ** 53n + 1n))), 'big.npy'), 'big.npy', 'float64');
  });

  it('writeNpy writes atomically (no temporary file left) and readNpy reads it back', () => {
    const file = path.join(tmp, 'w.npy');
    writeNpy(file, [2], Float64Array.of(1, 2));
    expect(Array.from(readNpy(file).data as Float64Array)).toEqual([1, 2]);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('npy rejects', () => {
  const good = encodeNpy([2, 2], Float64Array.of(1, 2, 3, 4));

  it('truncated data, naming the file and the sizes', () => {
    expectFormatError(() => parseNpy(good.subarray(0, good.length - 8), 'short.npy'), 'short.npy', 'truncated', '32 bytes');
  });

  it('a truncated header', () => {
    expectFormatError(() => parseNpy(good.subarray(0, 40), 'head.npy'), 'head.npy', 'truncated');
  });

  it('bad magic bytes', () => {
    const bad = good.slice();
    bad[1] = 0x4f;
    expectFormatError(() => parseNpy(bad, 'magic.npy'), 'magic.npy', 'magic');
  });

  it('an unknown format version', () => {
    const bad = good.slice();
    bad[6] = 4;
    expectFormatError(() => parseNpy(bad, 'v4.npy'), 'v4.npy', 'version 4.0');
  });

  it('big-endian data', () => {
    const file = handMade(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8));
    expectFormatError(() => parseNpy(file, 'be.npy'), 'be.npy', "'>f8'", 'big-endian');
  });

  it('unsupported dtypes (complex, object, structured)', () => {
    const c = handMade(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(16));
    expectFormatError(() => parseNpy(c, 'c.npy'), 'c.npy', "'<c16'");
    const o = handMade(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8));
    expectFormatError(() => parseNpy(o, 'o.npy'), 'o.npy', 'pickles');
    const s = handMade(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8));
    expectFormatError(() => parseNpy(s, 's.npy'), 's.npy', 'structured');
  });

  it('a header without the required keys or with a bad shape', () => {
    const k = handMade(1, "{'descr': '<f8', 'shape': (1,), }\n", new Uint8Array(8));
    expectFormatError(() => parseNpy(k, 'keys.npy'), 'keys.npy', 'fortran_order');
    const sh = handMade(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }\n", new Uint8Array(8));
    expectFormatError(() => parseNpy(sh, 'shape.npy'), 'shape.npy', 'shape');
  });

  it('a missing file is E_NOT_FOUND naming it', () => {
    const file = path.join(tmp, 'absent.npy');
    expect(() => readNpy(file)).toThrow(file);
    try {
      readNpy(file);
    } catch (e) {
      expect((e as HamError).code).toBe('E_NOT_FOUND');
    }
  });
});

// NumPy itself must read our files unchanged (formats-and-conventions.md §2).
describe('interoperability with NumPy (python3)', () => {
  it('NumPy loads what we write, every dtype and format version', () => {
    const files: string[] = [];
    for (const [dtype, data] of Object.entries(SAMPLES)) {
      for (const version of [1, 2] as const) {
        const file = path.join(tmp, `np-${dtype.slice(1)}-v${version}.npy`);
        writeNpy(file, [2, 3], data, { version });
        files.push(file);
      }
    }
    const script = `
import json, sys, numpy as np
out = []
for f in sys.argv[1:]:
    a = np.load(f, allow_pickle=False)
    out.append({'dtype': a.dtype.str, 'shape': list(a.shape), 'c': bool(a.flags.c_contiguous), 'values': [str(v) for v in a.ravel()]})
print(json.dumps(out))`;
    const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const loaded = JSON.parse(r.stdout) as { dtype: string; shape: number[]; c: boolean; values: string[] }[];
    loaded.forEach((l, k) => {
      const dtype = Object.keys(SAMPLES)[Math.floor(k / 2)];
      expect(l.dtype).toBe(dtype);
      expect(l.shape).toEqual([2, 3]);
      const ours = Array.from(SAMPLES[dtype] as ArrayLike<number | bigint>);
      // Integers compare exactly as text (int64 beyond 2^53 included); floats as numbers.
      if (dtype.startsWith('<i')) expect(l.values).toEqual(ours.map(String));
      else expect(l.values.map(Number)).toEqual(ours.map(Number));
    });
  });

  it('we read what NumPy writes: Fortran order, version 2.0, int64', () => {
    const f = path.join(tmp, 'from-numpy-fortran.npy');
    const v2 = path.join(tmp, 'from-numpy-v2.npy');
    const script = `
import numpy as np
a = np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4))
np.save(${JSON.stringify(f)}, a)
with open(${JSON.stringify(v2)}, 'wb') as fh:
    np.lib.format.write_array(fh, np.arange(6, dtype='<i8').reshape(3, 2), version=(2, 0))`;
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const a = readNpy(f);
    expect(a.shape).toEqual([2, 3, 4]);
    expect(Array.from(a.data as Float64Array)).toEqual(Array.from({ length: 24 }, (_, k) => k));
    const b = readNpy(v2);
    expect(b.dtype).toBe('<i8');
    expect(b.shape).toEqual([3, 2]);
    expect(Array.from(npyToFloat64(b))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

it('a NaN survives the round trip (the reader does not judge values)', () => {
  const file = path.join(tmp, 'nan.npy');
  writeFileSync(file, encodeNpy([1], Float64Array.of(Number.NaN)));
  expect(Number.isNaN((readNpy(file).data as Float64Array)[0])).toBe(true);
});
