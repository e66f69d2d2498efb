/**
 * The shared equivariance helper (e3nn's assert_equivariant, reference/style-anchors.md): rotate per-l features by
 * the real Wigner matrices of core/so3 and compare a layer's output on rotated input with its rotated output.
 */
import * as tf from '../../core/runtime/tf.ts';
import { expect } from 'vitest';
import { wignerD } from '../../core/so3/index.ts';
import type { IrrepFeatures } from '../../core/nn/irrep-features.ts';

/** f_l[n, :, c] → D_l(R) f_l[n, :, c] for every l. */
export function rotateFeatures(f: IrrepFeatures, R: ArrayLike<number>): IrrepFeatures {
  return f.map((fl, l) => {
    const D = tf.tensor2d(Float32Array.from(wignerD(l, R)), [2 * l + 1, 2 * l + 1]);
    const [rows, m, c] = fl.shape;
    // (D ⊗ 1) applied along axis 1: transpose m to the front, multiply, transpose back.
    const moved = fl.transpose([1, 0, 2]).reshape([m, rows * c]);
    return tf.matMul(D, moved).reshape([m, rows, c]).transpose([1, 0, 2]) as tf.Tensor3D;
  });
}

export function randomFeatures(rows: number, lmax: number, channels: number, seed: number, scale = 1): IrrepFeatures {
  return Array.from({ length: lmax + 1 }, (_, l) => tf.randomNormal([rows, 2 * l + 1, channels], 0, scale, 'float32', seed + l) as tf.Tensor3D);
}

export function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.sub(a, b).abs().max().dataSync()[0];
}

export function maxAbsOf(a: tf.Tensor): number {
  return a.abs().max().dataSync()[0];
}

/** Every l: |out(rotated in) − rotated out| ≤ rel · max|out|. */
export function expectEquivariant(outOfRotated: IrrepFeatures, rotatedOut: IrrepFeatures, rel: number): void {
  outOfRotated.forEach((o, l) => {
    const scale = Math.max(maxAbsOf(rotatedOut[l]), 1e-6);
    expect(maxAbs(o, rotatedOut[l]) / scale, `l = ${l}`).toBeLessThan(rel);
  });
}
