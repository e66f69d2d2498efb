/**
 * The project's seeded RNG (core/runtime/rng.ts).
 * Statistical checks use 4σ bounds so they fail only on a real defect, never by chance for the fixed seeds.
 */
import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { Rng } from '../../../core/runtime/rng.ts';

describe('Rng', () => {
  it('is xoshiro128**: from state (1, 2, 3, 4) it gives the reference outputs (Rust rand_xoshiro test vector)', () => {
    // Reaches into the private 128-bit state `s`, the only way to start from a published state.
    const rng = new Rng(0) as unknown as { s: Uint32Array; nextUint32(): number };
    rng.s.set([1, 2, 3, 4]);
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(Array.from({ length: 10 }, () => rng.nextUint32())).toEqual(expected);
  });

  it('reproduces its stream from the seed, and different seeds differ', () => {
    const draw = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.uniform());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12 (n = 20000, 4σ)', () => {
    const rng = new Rng(1);
    const n = 20000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sumSquares += u * u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSquares / n - 1 / 3)).toBeLessThan(4 * Math.sqrt(4 / 45 / n));
  });

  it('normal() has mean 0, variance 1 and kurtosis 3 (n = 20000)', () => {
    const rng = new Rng(2);
    const n = 20000;
    let [m1, m2, m4] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it('int(n) hits every value of [0, n) about equally often (χ², 6 bins)', () => {
    const rng = new Rng(3);
    const counts = new Array<number>(6).fill(0);
    const draws = 60000;
    for (let i = 0; i < draws; i++) counts[rng.int(6)]++;
    const expected = draws / 6;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5); // 0.999 quantile of χ² with 5 degrees of freedom
  });

  it('shuffle() permutes in place and returns the same array', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const result = new Rng(4).shuffle(items);
    expect(result).toBe(items);
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad seeds and bad int() bounds with E_INPUT', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => new Rng(seed)).toThrow(HamError);
    const rng = new Rng(5);
    for (const n of [0, 2.5, 2 ** 33]) expect(() => rng.int(n)).toThrow(/Rng.int/);
  });
});
