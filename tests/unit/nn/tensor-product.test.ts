import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { geometricFactors, geometricFactorTensors, tensorProduct, tensorProductPaths } from '../../../core/nn/tensor-product.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import { randomRotation } from '../../../core/so3/index.ts';
import { expectEquivariant, randomFeatures, rotateFeatures } from '../../helpers/equivariance.ts';

beforeAll(async () => { await tf.setBackend('cpu'); });

function randomVectors(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: 3 * n }, () => rng.normal());
}

function rotateVectors(v: Float64Array, R: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let e = 0; e < v.length / 3; e++) for (let i = 0; i < 3; i++) {
    out[3 * e + i] = R[3 * i] * v[3 * e] + R[3 * i + 1] * v[3 * e + 1] + R[3 * i + 2] * v[3 * e + 2];
  }
  return out;
}

describe('tensor product with edge spherical harmonics', () => {
  const plan = tensorProductPaths(4, 4);

  it('enumerates the 65 SO(3) paths l1 ⊗ l2 → l3 with every l ≤ 4', () => {
    expect(plan.nPaths).toBe(65);
    expect(plan.groups.length).toBe(25);
    expect(plan.pathsPerL3).toEqual([5, 12, 16, 17, 15]);
  });

  it('is equivariant: rotating features and edge vectors rotates the output', () => {
    const rng = new Rng(1);
    const E = 7;
    const c = 3;
    const vec = randomVectors(E, rng);
    const x = randomFeatures(E, 4, c, 5);
    const w = tf.randomNormal([E, plan.nPaths, c], 0, 1, 'float32', 9) as tf.Tensor3D;
    const out = tensorProduct(plan, x, geometricFactorTensors(plan, geometricFactors(plan, vec, E), E), w);
    const R = randomRotation(rng);
    const outRot = tensorProduct(plan, rotateFeatures(x, R), geometricFactorTensors(plan, geometricFactors(plan, rotateVectors(vec, R), E), E), w);
    expectEquivariant(outRot, rotateFeatures(out, R), 2e-5);
  });

  it('l1 = 1 ⊗ Y_1 → 0 is the dot product with the unit edge vector (√3/√3 · component-normalised Y)', () => {
    // With only the (1, 1, 0) path weighted: out_0 = C^{110} · √3 ŷ · x / √5 (five paths reach l3 = 0) and
    // C^{110} = δ/√3, so out_0 = (r̂ · x)_{wiki order} / √5.
    const E = 1;
    const c = 1;
    const vec = new Float64Array([0.3, -1.2, 0.5]);
    const n = Math.hypot(0.3, -1.2, 0.5);
    const x = [tf.zeros([1, 1, 1]), tf.tensor3d([[[2]], [[-1]], [[0.5]]].flat(2), [1, 3, 1]), ...[2, 3, 4].map((l) => tf.zeros([1, 2 * l + 1, 1]))] as tf.Tensor3D[];
    const pathIndex = plan.groups.find((g) => g.l1 === 1 && g.l3 === 0)!.firstPath;
    const wv = new Float32Array(plan.nPaths);
    wv[pathIndex] = 1;
    const out = tensorProduct(plan, x, geometricFactorTensors(plan, geometricFactors(plan, vec, E), E), tf.tensor3d(wv, [1, plan.nPaths, c]));
    // wiki order (y, z, x): x-feature = (2, −1, 0.5) is (x_y, x_z, x_x)
    const dot = (2 * -1.2 + -1 * 0.5 + 0.5 * 0.3) / n;
    expect(out[0].dataSync()[0]).toBeCloseTo(dot / Math.sqrt(5), 5);
  });

  it('weight gradients agree with finite differences', () => {
    const rng = new Rng(2);
    const E = 3;
    const c = 2;
    const B = geometricFactorTensors(plan, geometricFactors(plan, randomVectors(E, rng), E), E);
    const x = randomFeatures(E, 4, c, 7);
    const base = tf.randomNormal([E, plan.nPaths, c], 0, 1, 'float32', 3) as tf.Tensor3D;
    const loss = (w: tf.Tensor) => tensorProduct(plan, x, B, w as tf.Tensor3D).map((o) => o.square().sum()).reduce((a, b) => a.add(b)) as tf.Scalar;
    const g = tf.grad(loss)(base).dataSync();
    const vals = base.dataSync();
    for (let t = 0; t < 5; t++) {
      const idx = rng.int(vals.length);
      const eps = 1e-2;
      const at = (d: number) => { const b = vals.slice(); b[idx] += d; return loss(tf.tensor3d(b, base.shape)).dataSync()[0]; };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(fd - g[idx])).toBeLessThan(1e-2 * Math.max(1, Math.abs(g[idx])));
    }
  });
});
