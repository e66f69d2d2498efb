/** Errors by block type and shell pair: where the entries fall, how they add up to the overall errors. */
import { describe, expect, it } from 'vitest';
import { BlockListBuilder } from '../../../core/datasets/block-builder.ts';
import { moleculeBlocks } from '../../../core/datasets/sample.ts';
import { blockErrors, blockErrorsByType } from '../../../core/training/block-errors.ts';

// O (shells s, p: 4 orbitals) then H (s: 1 orbital); n = 5, row-major.
const numbers = [8, 1];
const atomShells = [[0, 1], [0]];
const n = 5;
const ref = Float64Array.from({ length: n * n }, (_, k) => Math.sin(k + 1));

function rowOf(rows: ReturnType<typeof blockErrorsByType>, type: string, shells: [number, number] | null) {
  const r = rows.find((x) => x.type === type && JSON.stringify(x.shells) === JSON.stringify(shells));
  if (!r) throw new Error(`no row ${type} ${JSON.stringify(shells)}`);
  return r;
}

describe('blockErrorsByType', () => {
  it('puts an O p – H s error in the H–O off-site type, shell pair s–p oriented lower Z first', () => {
    const pred = Float64Array.from(ref);
    // Row O p (orbital 2), column H s (orbital 4), and its transpose.
    pred[2 * n + 4] += 0.5;
    pred[4 * n + 2] += 0.5;
    const rows = blockErrorsByType(moleculeBlocks(atomShells, pred), moleculeBlocks(atomShells, ref), numbers, atomShells);
    expect(rows.map((r) => `${r.type} ${r.shells ?? ''}`)).toEqual([
      'off:1-8 ', 'off:1-8 0,0', 'off:1-8 0,1', 'on:1 ', 'on:1 0,0', 'on:8 ', 'on:8 0,0', 'on:8 0,1', 'on:8 1,1',
    ]);
    // Off-site O–H: 4 + 4 entries; the H s – O p pair 3 + 3 of them.
    expect(rowOf(rows, 'off:1-8', null)).toMatchObject({ onsite: false, zRow: 1, zCol: 8, count: 8, sumAbs: 1, maxAbs: 0.5 });
    expect(rowOf(rows, 'off:1-8', [0, 1])).toMatchObject({ count: 6, sumAbs: 1 });
    expect(rowOf(rows, 'off:1-8', [0, 0])).toMatchObject({ count: 2, sumAbs: 0 });
    // On-site O: s–s 1, s–p 3 + 3 (both orientations in one pair), p–p 9.
    expect(rowOf(rows, 'on:8', [0, 1])).toMatchObject({ onsite: true, count: 6, sumAbs: 0 });
    expect(rowOf(rows, 'on:8', [1, 1]).count).toBe(9);
    expect(rowOf(rows, 'on:1', null).count).toBe(1);
  });

  it('adds up to blockErrors over the whole types, on-site and off-site', () => {
    const pred = Float64Array.from(ref, (v, k) => v + 0.01 * Math.cos(3 * k));
    const [p, r] = [moleculeBlocks(atomShells, pred), moleculeBlocks(atomShells, ref)];
    const whole = blockErrorsByType(p, r, numbers, atomShells).filter((x) => x.shells === null);
    const e = blockErrors(p, r);
    const sum = (list: typeof whole, f: (x: (typeof whole)[number]) => number) => list.reduce((a, x) => a + f(x), 0);
    expect(sum(whole, (x) => x.count)).toBe(e.count);
    expect(sum(whole, (x) => x.sumAbs)).toBeCloseTo(e.sumAbs, 12);
    expect(sum(whole.filter((x) => x.onsite), (x) => x.sumAbs)).toBeCloseTo(e.onsiteSumAbs, 12);
    expect(Math.max(...whole.map((x) => x.maxAbs))).toBe(e.maxAbs);
  });

  it('counts a block the prediction lacks as zero, and compares S when asked', () => {
    const block = (v: number) => Float64Array.from({ length: 4 }, () => v);
    const refB = new BlockListBuilder();
    refB.add(0, 0, [0, 0, 0], block(1), block(0.5));
    refB.add(0, 0, [1, 0, 0], block(2), block(0.25));
    const predB = new BlockListBuilder();
    predB.add(0, 0, [0, 0, 0], block(1.5), block(0.5));
    const carbon = [[0, 0]];
    const [p, r] = [predB.build(), refB.build()];
    const H = blockErrorsByType(p, r, [6], carbon);
    expect(rowOf(H, 'on:6', null)).toMatchObject({ count: 4, sumAbs: 2 });
    // The R = (1, 0, 0) block is off-site (a periodic image of the same atom), wholly missing from the prediction.
    expect(rowOf(H, 'off:6-6', null)).toMatchObject({ count: 4, sumAbs: 8, maxAbs: 2 });
    const S = blockErrorsByType(p, r, [6], carbon, 'S');
    expect(rowOf(S, 'on:6', null).sumAbs).toBe(0);
    expect(rowOf(S, 'off:6-6', null).sumAbs).toBe(1);
  });
});
