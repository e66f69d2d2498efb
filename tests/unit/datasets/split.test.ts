import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { splitIndices } from '../../../core/datasets/split.ts';

describe('splitIndices', () => {
  it('is deterministic per seed, disjoint, sorted and covers the requested sizes', () => {
    const a = splitIndices(200, { unit: 'count', val: 20, test: 30 }, 42);
    expect(splitIndices(200, { unit: 'count', val: 20, test: 30 }, 42)).toEqual(a);
    expect(splitIndices(200, { unit: 'count', val: 20, test: 30 }, 43)).not.toEqual(a);
    expect([a.train.length, a.val.length, a.test.length]).toEqual([150, 20, 30]);
    const all = [...a.train, ...a.val, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 200 }, (_, k) => k));
    for (const part of [a.train, a.val, a.test]) expect(part).toEqual([...part].sort((x, y) => x - y));
  });

  it('takes fractions of n, rounded, and an explicit train size', () => {
    const f = splitIndices(475, { unit: 'fraction', val: 0.1, test: 0.1 }, 1);
    expect([f.train.length, f.val.length, f.test.length]).toEqual([379, 48, 48]);
    const g = splitIndices(100, { unit: 'fraction', train: 0.5, val: 0.1, test: 0.2 }, 1);
    expect([g.train.length, g.val.length, g.test.length]).toEqual([50, 10, 20]);
  });

  it('gives a non-zero fraction of a small set at least one sample, and none of a single sample', () => {
    expect(splitIndices(4, { unit: 'fraction', val: 0.1, test: 0 }, 1).val).toHaveLength(1);
    expect(splitIndices(4, { unit: 'fraction', val: 0, test: 0 }, 1).val).toHaveLength(0);
    expect(splitIndices(1, { unit: 'fraction', val: 0.1, test: 0 }, 1).val).toHaveLength(0);
  });

  it('keeps the test set when validation or training sizes change', () => {
    const a = splitIndices(100, { unit: 'count', val: 10, test: 15 }, 5);
    const b = splitIndices(100, { unit: 'count', val: 25, test: 15, train: 30 }, 5);
    expect(b.test).toEqual(a.test);
  });

  it('rejects impossible sizes with E_INPUT', () => {
    expect(() => splitIndices(10, { unit: 'count', val: 6, test: 6 }, 1)).toThrow(HamError);
    expect(() => splitIndices(10, { unit: 'fraction', val: 1.5, test: 0 }, 1)).toThrow(/fraction/);
    expect(() => splitIndices(10, { unit: 'count', val: 2.5, test: 0 }, 1)).toThrow(/integer/);
  });
});
