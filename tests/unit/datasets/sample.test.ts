import { describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import {
  atomOrbitalOffsets, blockData, blockIndex, blockKey, denseMatrix, isOnsite, moleculeBlocks, orbitalCount,
} from '../../../core/datasets/sample.ts';
import { moleculeSamples, MOLECULE_SHELLS } from './fixtures.ts';

describe('HamiltonianSample helpers', () => {
  it('molecule blocks tile the dense matrix: i-major, every ordered pair, R = 0', () => {
    const [s] = moleculeSamples(1);
    const { blocks } = s;
    expect(Array.from(blocks.i)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(blocks.j)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(blocks.R.every((r) => r === 0)).toBe(true);
    expect(Array.from(atomOrbitalOffsets(MOLECULE_SHELLS))).toEqual([0, 9, 10, 11]);
    expect(orbitalCount(s)).toBe(11);
    expect(blocks.offsets[9]).toBe(121);
    expect([0, 4, 8].every((b) => isOnsite(blocks, b))).toBe(true);
    expect(isOnsite(blocks, 1)).toBe(false);
  });

  it('denseMatrix inverts moleculeBlocks exactly, for H and S', () => {
    const [s] = moleculeSamples(1, 3);
    for (const which of ['H', 'S'] as const) {
      const dense = denseMatrix(s, which);
      const again = moleculeBlocks(s.atomShells, denseMatrix(s, 'H'), denseMatrix(s, 'S'));
      expect(Array.from(which === 'H' ? again.H : again.S as Float64Array)).toEqual(Array.from(which === 'H' ? s.blocks.H : s.blocks.S as Float64Array));
      // Block (0, 1) is rows 0..8, column 9 of the dense matrix.
      const b01 = blockData(s.blocks, which, 1);
      expect(Array.from(b01)).toEqual(Array.from({ length: 9 }, (_, r) => dense[r * 11 + 9]));
    }
  });

  it('denseMatrix refuses a crystal (R ≠ 0 blocks) with E_INPUT', () => {
    const [s] = moleculeSamples(1);
    const crystal = { ...s, blocks: { ...s.blocks, R: s.blocks.R.map((_, k) => (k === 3 ? 1 : 0)) } };
    expect(() => denseMatrix(crystal, 'H')).toThrow(HamError);
  });

  it('blockIndex finds blocks by (i, j, R)', () => {
    const [s] = moleculeSamples(1);
    const index = blockIndex(s.blocks);
    expect(index.get(blockKey(2, 1, [0, 0, 0]))).toBe(7);
    expect(index.get(blockKey(2, 1, [1, 0, 0]))).toBeUndefined();
  });
});
