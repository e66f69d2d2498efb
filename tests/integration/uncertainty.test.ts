/**
 * Trace disagreement as uncertainty (core/model/uncertainty.ts), on the shipped model: conformers like its training
 * data score low, strongly distorted ones and a molecule it never saw score high. Measured in development: water
 * conformers 0.09, water displaced by σ = 0.3 Å 1.48, formaldehyde snapshots 1.04. For a crystal model (graphene-dzp
 * on 2×2 cells) it grows with the displacement and the strain: measured 0.099 (none), 0.107 (σ = 0.05 Å),
 * 0.126 (0.1 Å), 0.173 (0.2 Å), 0.121 (0.05 Å with up to 8 % strain).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../core/datasets/load.ts';
import { thermalSnapshots } from '../../core/labelers/sampling.ts';
import type { HamiltonianModel } from '../../core/model/hamiltonian-model.ts';
import { resolveModel } from '../../core/model/model-registry.ts';
import { traceDisagreement } from '../../core/model/uncertainty.ts';
import { initBackend } from '../../core/runtime/backend.ts';
import { invert3 } from '../../core/structure/cell.ts';
import { parseStructures } from '../../core/structure/read.ts';
import type { Structure } from '../../core/structure/structure.ts';
import { datasetPath } from '../helpers/datasets.ts';

let model: HamiltonianModel;
let water: Structure[];
beforeAll(async () => {
  await initBackend('wasm');
  model = resolveModel('hco-def2svp').model;
  water = (await loadDataset(datasetPath('water-pbe-def2svp-rotated'))).samples.map((s) => s.structure);
});

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;

describe('trace disagreement', () => {
  it('ranks unfamiliar structures above familiar ones', () => {
    const familiar = mean(traceDisagreement(model, water));
    const distorted = mean(traceDisagreement(model, thermalSnapshots(water[0], 6, 0.3, 1)));
    const formaldehyde: Structure = { numbers: [6, 8, 1, 1], positions: [[0, 0, -0.529], [0, 0, 0.677], [0, 0.935, -1.118], [0, -0.935, -1.118]] };
    const unseen = mean(traceDisagreement(model, thermalSnapshots(formaldehyde, 6, 0.05, 1)));
    expect(familiar).toBeLessThan(0.3);
    expect(distorted).toBeGreaterThan(3 * familiar);
    expect(unseen).toBeGreaterThan(3 * familiar);
  });

  it('thermal snapshots are seeded, keep the centre of mass of the displacements and reject a silly σ', () => {
    const a = thermalSnapshots(water[0], 3, 0.05, 7);
    expect(thermalSnapshots(water[0], 3, 0.05, 7)).toEqual(a);
    for (const s of a) {
      for (let c = 0; c < 3; c++) expect(s.positions.reduce((t, p, k) => t + p[c] - water[0].positions[k][c], 0)).toBeCloseTo(0, 12);
    }
    expect(() => thermalSnapshots(water[0], 3, 2, 7)).toThrow(/between 0 and 0.5/);
  });

  it('ranks displaced and strained crystals above the perfect one (crystal model)', () => {
    const graphene = resolveModel('graphene-dzp').model;
    const cell = parseStructures(GRAPHENE_2X2, 'graphene-2x2.vasp', 'poscar')[0];
    const score = (sigma: number, strain?: number) => mean(traceDisagreement(graphene, thermalSnapshots(cell, 4, sigma, 1, strain ? { max: strain, axes: [true, true, false] } : undefined)));
    const perfect = score(0);
    expect(score(0.1)).toBeGreaterThan(perfect * 1.1);
    expect(score(0.2)).toBeGreaterThan(score(0.1));
    expect(score(0.05, 0.08)).toBeGreaterThan(score(0.05));
  });

  it('strains a slab within its plane, keeping fractional coordinates and the vacuum', () => {
    const cell = parseStructures(GRAPHENE_2X2, 'graphene-2x2.vasp', 'poscar')[0];
    const frac = (s: Structure) => { const inv = invert3(s.cell!)!; return s.positions.map((p) => [0, 1, 2].map((c) => p[0] * inv[0][c] + p[1] * inv[1][c] + p[2] * inv[2][c])); };
    const snaps = thermalSnapshots(cell, 20, 0, 3, { max: 0.02, axes: [true, true, false] });
    const strained = snaps.filter((s) => s.cell![0][0] !== cell.cell![0][0]);
    expect(strained.length).toBeGreaterThan(4);
    expect(strained.length).toBeLessThan(16);
    for (const s of snaps) {
      expect(s.cell![2]).toEqual([0, 0, 12]);
      expect(s.cell![0][2]).toBe(0);
      expect(Math.abs(s.cell![0][0] / cell.cell![0][0] - 1)).toBeLessThanOrEqual(0.02);
      frac(s).forEach((f, a) => f.forEach((x, c) => expect(x).toBeCloseTo(frac(cell)[a][c], 12)));
    }
    expect(() => thermalSnapshots(cell, 2, 0.05, 1, { max: 0.5, axes: [true, true, false] })).toThrow(/strain must be between 0 and 0.1/);
  });
});

const GRAPHENE_2X2 = `graphene 2x2
1.0
4.92 0 0
2.46 4.260844986 0
0 0 12
C
8
Direct
${[0, 1].flatMap((i) => [0, 1].flatMap((j) => [`${(i + 1 / 3) / 2} ${(j + 1 / 3) / 2} 0.5`, `${(i + 2 / 3) / 2} ${(j + 2 / 3) / 2} 0.5`])).join('\n')}
`;
