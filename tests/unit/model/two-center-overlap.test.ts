/**
 * The two-centre overlap head on overlaps that are exactly two-centre: psi4's def2-SVP S of water (O s, p, d and
 * H s, p shells; O–H pairs in both directions exercise the canonical direction and its transpose). Fitted on 60
 * conformers, it must reproduce S of 20 others to spline accuracy (measured 5.4e-7) — a wrong frame rotation, m order or transpose
 * would leave errors of order |S| ~ 0.1–0.5.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../core/datasets/load.ts';
import type { HamiltonianSample } from '../../../core/datasets/sample.ts';
import { fitTwoCenterOverlap, overlapBlocks } from '../../../core/model/two-center-overlap.ts';
import { datasetPath } from '../../helpers/datasets.ts';

let samples: HamiltonianSample[];
beforeAll(async () => { samples = (await loadDataset(datasetPath('water-pbe-def2svp'))).samples; });

describe('two-centre overlap head', () => {
  it('reproduces exact two-centre overlaps of unseen conformers to 5e-6', () => {
    const shells = { 1: samples[0].atomShells[1], 8: samples[0].atomShells[0] };
    const model = fitTwoCenterOverlap(samples.slice(0, 60), shells);
    let max = 0;
    let maxS = 0;
    for (const s of samples.slice(60, 80)) {
      const S = overlapBlocks(model, s.structure, s.atomShells, s.blocks);
      S.forEach((v, k) => { max = Math.max(max, Math.abs(v - s.blocks.S![k])); maxS = Math.max(maxS, Math.abs(s.blocks.S![k])); });
    }
    expect(maxS).toBeGreaterThan(0.3);
    expect(max).toBeLessThan(5e-6); // measured 5.4e-7
  });

  it('says which data lack S', () => {
    const noS = { ...samples[0], blocks: { ...samples[0].blocks, S: undefined } };
    expect(() => fitTwoCenterOverlap([noS], { 1: [0], 8: [0] })).toThrow(/has no overlap matrix S/);
  });
});
