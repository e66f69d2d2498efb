import { describe, expect, it } from 'vitest';
import { divergingColor, scalePosition } from '../../../renderer/composables/color-scale.ts';

describe('diverging colour scale', () => {
  it('is linear and symmetric without linthresh, clamped at ±max', () => {
    expect(scalePosition(0.5, { max: 2 })).toBe(0.25);
    expect(scalePosition(-0.5, { max: 2 })).toBe(-0.25);
    expect(scalePosition(10, { max: 2 })).toBe(1);
  });
  it('symmetric-log: linear inside the threshold, one decade per step beyond', () => {
    const o = { max: 1000, linthresh: 1 };
    expect(scalePosition(0.5, o)).toBeCloseTo(0.5 / 4, 12);
    expect(scalePosition(10, o)).toBeCloseTo(2 / 4, 12);
    expect(scalePosition(-100, o)).toBeCloseTo(-3 / 4, 12);
  });
  it('white at zero, RdBu ends', () => {
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    expect(divergingColor(-1)).toEqual([33, 102, 172]);
    expect(divergingColor(1)).toEqual([178, 24, 43]);
  });
});
