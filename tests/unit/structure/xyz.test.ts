import { describe, expect, it } from 'vitest';
import { readXyz, writeXyz } from '../../../core/structure/formats/xyz.ts';
import { catchHamError, readFixture } from './helpers.ts';

describe('readXyz', () => {
  it('reads every frame of water.xyz, with lower-case symbols and atomic numbers', () => {
    const frames = readXyz(readFixture('water.xyz'), 'water.xyz');
    expect(frames).toHaveLength(2);
    expect(frames[0].numbers).toEqual([8, 1, 1]);
    expect(frames[1].numbers).toEqual([8, 1, 1]);
    expect(frames[0].positions[1]).toEqual([0, 0.7572, -0.4692]);
    expect(frames[1].positions[2]).toEqual([0, -0.76, -0.47]);
    expect(frames[0].info).toEqual({ comment: 'water, PBE/def2-SVP geometry' });
    expect(frames[0].cell).toBeUndefined();
  });

  it('ignores columns after z and trailing blank lines', () => {
    const [s] = readXyz('1\n\nHe 1 2 3 0.5 extra\n\n  \n', 'he.xyz');
    expect(s).toEqual({ numbers: [2], positions: [[1, 2, 3]] });
  });

  it('accepts CRLF line ends', () => {
    expect(readXyz('1\r\nc\r\nC 0 0 1e-1\r\n', 'c.xyz')[0].positions).toEqual([[0, 0, 0.1]]);
  });
});

describe('writeXyz', () => {
  it('round-trips frames to 1e-10 Å', () => {
    const frames = readXyz(readFixture('water.xyz'), 'water.xyz');
    const again = readXyz(writeXyz(frames), 'again.xyz');
    expect(again.map((s) => s.numbers)).toEqual(frames.map((s) => s.numbers));
    again.forEach((s, f) => s.positions.forEach((p, a) => p.forEach((x, k) => {
      expect(x).toBeCloseTo(frames[f].positions[a][k], 10);
    })));
    expect(again[1].info?.comment).toBe('water, second frame with atomic numbers');
  });

  it('writes a single structure and rejects an atomic number that is no element', () => {
    expect(writeXyz({ numbers: [1], positions: [[0, 0, 0]] })).toMatch(/^1\n\nH( +0\.0000000000){3}\n$/);
    const err = catchHamError(() => writeXyz({ numbers: [0], positions: [[0, 0, 0]] }));
    expect(err.code).toBe('E_INPUT');
    expect(err.message).toBe('atom 1 has atomic number 0, which is not an element');
  });
});
