/**
 * Whole-model checks (DESIGN.md §5 "Equivariance is tested, not assumed"): predictions for a randomly rotated
 * molecule equal D(R) H D(R)ᵀ of the unrotated prediction, for every architecture of the ablation; H is exactly
 * symmetric; the model covers exactly its elements.
 */
import * as tf from '../../../core/runtime/tf.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseMatrix, type HamiltonianSample } from '../../../core/datasets/sample.ts';
import { ARCHS, DEFAULT_ARCHITECTURE, type Architecture } from '../../../core/model/architecture.ts';
import { HamiltonianModel } from '../../../core/model/hamiltonian-model.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import { blockDiagonalD, randomRotation } from '../../../core/so3/index.ts';
import type { Structure } from '../../../core/structure/structure.ts';

beforeAll(async () => { await tf.setBackend('cpu'); });

const SHELLS = { 1: [0, 0, 1], 6: [0, 0, 0, 1, 1, 2], 8: [0, 0, 0, 1, 1, 2] };

function arch(kind: Architecture['arch']): Architecture {
  return {
    ...DEFAULT_ARCHITECTURE, arch: kind, channels: 4, layers: 2, radialHidden: 8,
    tracegrad: { invariants: 2, hidden: 8, zDim: 3, alphaInit: 0.5 },
    elements: [1, 6, 8], shells: SHELLS, basis: 'def2-SVP', unit: 'hartree', avgNeighbors: 4,
  };
}

const ethanol: Structure = {
  numbers: [6, 6, 8, 1, 1, 1, 1, 1, 1],
  positions: [[0.01, -0.56, 0.02], [-1.24, 0.3, -0.05], [1.17, 0.2, 0.1], [0.02, -1.2, 0.9], [0.05, -1.21, -0.86], [-1.26, 0.95, 0.83], [-2.14, -0.33, -0.07], [-1.23, 0.93, -0.94], [1.93, -0.4, 0.16]],
};

function rotateStructure(s: Structure, R: Float64Array): Structure {
  return { ...s, positions: s.positions.map((p) => [0, 1, 2].map((i) => R[3 * i] * p[0] + R[3 * i + 1] * p[1] + R[3 * i + 2] * p[2]) as [number, number, number]) };
}

function predictDense(model: HamiltonianModel, s: Structure): Float64Array {
  const graph = model.graph(s);
  const blocks = model.predictBlocks(model.batch([{ graph }], false), [graph])[0];
  const sample: HamiltonianSample = { id: 't', structure: s, atomShells: model.atomShells(s.numbers), unit: 'hartree', convention: 'wiki', blocks, references: {} };
  return denseMatrix(sample, 'H');
}

function rotateMatrix(H: Float64Array, D: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const d = D[i * n + k]; if (d) for (let j = 0; j < n; j++) t[i * n + j] += d * H[k * n + j]; }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += t[i * n + k] * D[j * n + k]; out[i * n + j] = s; }
  return out;
}

describe('Hamiltonian model', () => {
  for (const kind of ARCHS) {
    it(`${kind}: a rotated molecule's prediction is D H Dᵀ (relative 1e-5) and H is symmetric`, () => {
      const model = new HamiltonianModel(arch(kind), new Map(), 7);
      // Unit normalisation: the untrained network's raw output, which is what equivariance is about.
      for (const [key, type] of model.types) {
        const nc = type.plan.nCoefficients;
        const np = type.plan.shellPairs.length;
        model.normalization.set(key, { coefMean: new Float64Array(nc), coefStd: new Float64Array(nc).fill(1), traceMean: new Float64Array(np), traceStd: new Float64Array(np).fill(1), count: 0 });
      }
      const H = predictDense(model, ethanol);
      const n = 72;
      const scale = H.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(1e-3);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(H[i * n + j]).toBe(H[j * n + i]);
      const rng = new Rng(11);
      const ls = ethanol.numbers.flatMap((z) => SHELLS[z as 1 | 6 | 8]);
      for (let t = 0; t < 2; t++) {
        const R = randomRotation(rng);
        const Hr = predictDense(model, rotateStructure(ethanol, R));
        const expected = rotateMatrix(H, blockDiagonalD(ls, R), n);
        const err = Hr.reduce((m, v, k) => Math.max(m, Math.abs(v - expected[k])), 0);
        expect(err / scale).toBeLessThan(1e-5);
      }
    });
  }

  it('refuses an element it does not cover, naming the atom', () => {
    const model = new HamiltonianModel(arch('baseline'), new Map());
    expect(() => model.graph({ numbers: [8, 9], positions: [[0, 0, 0], [0, 0, 1]] })).toThrow(/atom 2 is F, which this model does not cover \(it covers H, C, O\)/);
  });
});
