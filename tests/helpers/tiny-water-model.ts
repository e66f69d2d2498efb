/** A one-layer model of a few channels for water (H, O; def2-SVP), normalised on `samples`: fast enough for unit tests. */
import type { HamiltonianSample } from '../../core/datasets/sample.ts';
import { DEFAULT_ARCHITECTURE, type Architecture } from '../../core/model/architecture.ts';
import { HamiltonianModel } from '../../core/model/hamiltonian-model.ts';
import { computeNormalization } from '../../core/model/normalization.ts';

export function tinyWaterModel(samples: readonly HamiltonianSample[], seed: number): HamiltonianModel {
  const arch: Architecture = {
    ...DEFAULT_ARCHITECTURE, channels: 6, layers: 1, radialHidden: 8,
    tracegrad: { invariants: 2, hidden: 8, zDim: 3, alphaInit: 0.3 },
    elements: [1, 8], shells: { 1: [0, 0, 1], 8: [0, 0, 0, 1, 1, 2] }, basis: 'def2-SVP', unit: 'hartree', avgNeighbors: 2,
  };
  const types = new HamiltonianModel(arch, new Map()).types;
  return new HamiltonianModel(arch, computeNormalization(samples, types), seed);
}
