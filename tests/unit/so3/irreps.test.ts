/** The Irreps value object (core/so3/irreps.ts): parse, print, dimensions, slices, simplify, errors. */
import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { Irreps } from '../../../core/so3/index.ts';

describe('Irreps', () => {
  it('parses "8x0e+4x1o+2x2e" into entries with parity ±1, and prints it back', () => {
    const irreps = Irreps.parse('8x0e+4x1o+2x2e');
    expect([...irreps]).toEqual([
      { mul: 8, l: 0, parity: 1 },
      { mul: 4, l: 1, parity: -1 },
      { mul: 2, l: 2, parity: 1 },
    ]);
    expect(irreps.toString()).toBe('8x0e+4x1o+2x2e');
    expect(irreps.dim).toBe(8 + 12 + 10);
    expect(irreps.count).toBe(14);
  });

  it('accepts spaces around "+", an omitted "1x" and the empty string; prints canonically', () => {
    const irreps = Irreps.parse(' 0e + 3x1o+ 1x2e ');
    expect(irreps.toString()).toBe('1x0e+3x1o+1x2e');
    expect(Irreps.parse(irreps.toString()).toString()).toBe(irreps.toString());
    const empty = Irreps.parse('');
    expect([empty.dim, empty.count, empty.toString(), empty.slices().length]).toEqual([0, 0, '', 0]);
  });

  it('gives the model\'s feature irreps the right dimension (DESIGN.md §5)', () => {
    expect(Irreps.parse('64x0e+32x1o+32x2e+16x3o+16x4e').dim).toBe(64 + 96 + 160 + 112 + 144);
  });

  it('slices() gives consecutive half-open ranges covering 0…dim', () => {
    expect(Irreps.parse('8x0e+4x1o+2x2e+0x3o+1x1o').slices()).toEqual([
      { start: 0, end: 8 },
      { start: 8, end: 20 },
      { start: 20, end: 30 },
      { start: 30, end: 30 },
      { start: 30, end: 33 },
    ]);
  });

  it('simplify() merges neighbours with equal (l, parity), drops mul 0 and keeps the order', () => {
    expect(Irreps.parse('2x0e+3x0e+0x1o+1x1e+4x1e+1x0e+2x1o+1x1o').simplify().toString()).toBe('5x0e+5x1e+1x0e+3x1o');
    expect(Irreps.parse('1x0e+0x2e+1x0e').simplify().toString()).toBe('2x0e');
  });

  it('is immutable: entries are frozen', () => {
    const irreps = Irreps.parse('2x1o');
    expect(Object.isFrozen(irreps.entries)).toBe(true);
    expect(Object.isFrozen(irreps.entries[0])).toBe(true);
  });

  it('rejects malformed strings with E_INPUT naming the bad term', () => {
    for (const [text, term] of [
      ['8x0e+4x1', 'term 2 "4x1"'],
      ['x1e', 'term 1 "x1e"'],
      ['2x1y', 'term 1 "2x1y"'],
      ['1x-1e', 'term 1 "1x-1e"'],
      ['1x1.5e', 'term 1 "1x1.5e"'],
      ['1x0e++1x1o', 'term 2 ""'],
      ['16 x 0e', 'term 1 "16 x 0e"'],
    ]) {
      let error: unknown;
      try {
        Irreps.parse(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(HamError);
      expect((error as HamError).code).toBe('E_INPUT');
      expect((error as HamError).message).toContain(term);
    }
  });

  it('rejects invalid entries passed to the constructor', () => {
    expect(() => new Irreps([{ mul: -1, l: 0, parity: 1 }])).toThrow(HamError);
    expect(() => new Irreps([{ mul: 1, l: 0.5, parity: 1 }])).toThrow(/mul ≥ 0, l ≥ 0/);
    expect(() => new Irreps([{ mul: 1, l: 0, parity: 0 as 1 }])).toThrow(/parity/);
  });
});
