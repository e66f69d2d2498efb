import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { openH5, withH5, writeH5 } from '../../../core/io/hdf5.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-h5-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function hamError(p: Promise<unknown>): Promise<HamError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HamError);
    return e as HamError;
  }
  throw new Error('expected a HamError');
}

describe('hdf5', () => {
  it('writes named datasets atomically and reads them back with their shapes', async () => {
    const file = path.join(tmp, 'blocks.h5');
    const block = Float64Array.from({ length: 6 }, (_, k) => k / 3);
    await writeH5(file, [
      { name: '[0, 0, 0, 1, 2]', shape: [2, 3], data: block },
      { name: 'ints', shape: [2, 2], data: Int32Array.of(-1, 2, 3, 4) },
      { name: 'longs', shape: [3], data: BigInt64Array.of(-5n, 0n, 7n) },
    ]);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await withH5(file, (f) => {
      expect(f.keys().sort()).toEqual(['[0, 0, 0, 1, 2]', 'ints', 'longs']);
      const b = f.read('[0, 0, 0, 1, 2]');
      expect(b.shape).toEqual([2, 3]);
      expect(Array.from(b.data)).toEqual(Array.from(block));
      expect(f.info('ints')).toEqual({ shape: [2, 2], kind: 'integer', size: 4 });
      expect(Array.from(f.read('ints').data)).toEqual([-1, 2, 3, 4]);
      expect(Array.from(f.read('longs').data)).toEqual([-5, 0, 7]);
    });
  });

  it('names the file when it is missing or not HDF5, and the key when a dataset is missing', async () => {
    const missing = path.join(tmp, 'absent.h5');
    const e1 = await hamError(openH5(missing));
    expect(e1.code).toBe('E_NOT_FOUND');
    expect(e1.message).toContain(missing);

    const text = path.join(tmp, 'text.h5');
    writeFileSync(text, 'not hdf5 at all');
    const e2 = await hamError(openH5(text));
    expect(e2.code).toBe('E_FORMAT');
    expect(e2.message).toContain(text);

    const file = path.join(tmp, 'one.h5');
    await writeH5(file, [{ name: 'a', shape: [1], data: Float64Array.of(1) }]);
    const e3 = await hamError(withH5(file, (f) => f.read('nope')));
    expect(e3.code).toBe('E_FORMAT');
    expect(e3.location).toEqual({ file, key: 'nope' });
  });

  it('rejects a data length that does not match the shape, leaving no file behind', async () => {
    const file = path.join(tmp, 'bad.h5');
    const e = await hamError(writeH5(file, [{ name: 'x', shape: [2, 2], data: Float64Array.of(1, 2, 3) }]));
    expect(e.code).toBe('E_INPUT');
    expect(e.location.key).toBe('x');
    expect(readdirSync(tmp).filter((f) => f.startsWith('.bad.h5') || f === 'bad.h5')).toEqual([]);
  });
});
