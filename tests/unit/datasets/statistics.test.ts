import { describe, expect, it } from 'vitest';
import { datasetStatistics } from '../../../core/datasets/statistics.ts';
import { moleculeBlocks, type HamiltonianSample } from '../../../core/datasets/sample.ts';

/** Two H atoms with shells s and p: n = 8; H entries chosen so that every group's numbers are easy. */
function sample(scale: number): HamiltonianSample {
  const shells = [[0, 1], [0, 1]];
  const n = 8;
  const H = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) H[a * n + b] = scale * (Math.floor(a / 4) === Math.floor(b / 4) ? 1 : 2);
  return {
    id: `s${scale}`, structure: { numbers: [1, 1], positions: [[0, 0, 0], [0, 0, 1]] }, atomShells: shells,
    unit: 'hartree', convention: 'wiki', blocks: moleculeBlocks(shells, H), references: {},
  };
}

describe('datasetStatistics', () => {
  const st = datasetStatistics([sample(1), sample(3)]);

  it('groups sub-blocks by element pair, shell pair and on-/off-site', () => {
    expect(st.samples).toBe(2);
    expect(st.unit).toBe('hartree');
    // 4 (la, lb) combinations × on/off for H–H.
    expect(st.shellPairs).toHaveLength(8);
    const onPP = st.shellPairs.find((r) => r.onsite && r.la === 1 && r.lb === 1);
    // Two atoms × two samples; each p-p sub-block is 3×3 of value 1 or 3.
    expect(onPP?.blocks).toBe(4);
    expect(onPP?.entries.count).toBe(36);
    expect(onPP?.entries.mean).toBeCloseTo(2, 12);
    expect(onPP?.entries.std).toBeCloseTo(1, 12);
    // ‖B‖² is 9 (scale 1) or 81 (scale 3).
    expect(onPP?.frobenius2.mean).toBeCloseTo(45, 12);
    expect(onPP?.frobenius2.std).toBeCloseTo(36, 12);
    const offSP = st.shellPairs.find((r) => !r.onsite && r.la === 0 && r.lb === 1);
    expect(offSP?.entries.mean).toBeCloseTo(4, 12); // values 2 and 6
  });

  it('also summarises whole blocks', () => {
    const off = st.blocks.find((r) => !r.onsite);
    expect(off?.blocks).toBe(4);
    expect(off?.entries.count).toBe(64);
    expect(off?.frobenius2.mean).toBeCloseTo((16 * 4 + 16 * 36) / 2, 10);
  });

  it('skips samples without S when asked for S statistics', () => {
    expect(datasetStatistics([sample(1)], 'S').samples).toBe(0);
  });
});
