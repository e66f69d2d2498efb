/**
 * SO(2) convolution (Passaro & Zitnick, ICML 2023, eqs. 7–9; the eSCN operator): rotate the source features into the
 * edge frame (edge-frame.ts), apply per |m| a linear map over all (l, channel) pairs — for m = 0 one real matrix,
 * for m > 0 the complex-style pair y₊ = W₁x₊ − W₂x₋, y₋ = W₂x₊ + W₁x₋, which commutes with rotations about the
 * edge — scale by radial functions of the edge length, and rotate back. It equals a full tensor product with the
 * edge's spherical harmonics (with learned path weights) at a fraction of the cost: a batched rotation per degree
 * each way and one large matmul per |m|, the features regrouped by native transposes and gathers (axis-ops.ts).
 */
import * as tf from '../runtime/tf.ts';
import { concatAlong, regroupAlong, splitAlong } from './axis-ops.ts';
import { matMul } from './matmul.ts';
import { mMajorOrder } from './edge-frame.ts';
import { silu, type IrrepFeatures } from './irrep-features.ts';
import type { Params } from './params.ts';

export interface EdgeFrameTensors {
  /**
   * The rotation into each edge's frame degree by degree: D[l − 1] = D_l(R_e) [E, 2l+1, 2l+1] for l = 1…lmax (D_0 = 1),
   * wiki order, and DT its transposes. Per degree rather than D' as one block-diagonal [E, dim, dim]: the products
   * skip D's zero blocks (165 of 625 entries at lmax = 4), 1.3–3× faster on the wasm backend for all its extra calls.
   */
  D: tf.Tensor3D[];
  DT: tf.Tensor3D[];
  /** Radial basis [E, nRadial] and smooth cutoff envelope [E, 1]. */
  rbf: tf.Tensor2D;
  envelope: tf.Tensor2D;
}

/** The frame tensors of E edges from D' (edgeFrameWigner: row-major [E, dim, dim], rows m-major), once per batch. */
export function edgeFrameTensors(frame: Float32Array, E: number, lmax: number, rbf: tf.Tensor2D, envelope: tf.Tensor2D): EdgeFrameTensors {
  const dim = (lmax + 1) ** 2;
  const { index } = mMajorOrder(lmax);
  const rowOf = new Int32Array(dim);
  index.forEach((wiki, k) => { rowOf[wiki] = k; });
  const D: tf.Tensor3D[] = [];
  const DT: tf.Tensor3D[] = [];
  for (let l = 1; l <= lmax; l++) {
    const n = 2 * l + 1;
    const d = new Float32Array(E * n * n);
    const t = new Float32Array(E * n * n);
    for (let e = 0; e < E; e++) {
      for (let a = 0; a < n; a++) {
        const src = e * dim * dim + rowOf[l * l + a] * dim + l * l;
        for (let b = 0; b < n; b++) {
          d[(e * n + a) * n + b] = frame[src + b];
          t[(e * n + b) * n + a] = frame[src + b];
        }
      }
    }
    D.push(tf.tensor3d(d, [E, n, n]));
    DT.push(tf.tensor3d(t, [E, n, n]));
  }
  return { D, DT, rbf, envelope };
}

export class SO2Convolution {
  private readonly blockSizes: number[];
  /** Wiki-order positions of each |m| block's rows (m-major), and m-major positions of each degree's rows. */
  private readonly blockRows: number[][];
  private readonly degreeRows: number[][];
  private readonly w0: tf.Variable;
  private readonly w1: tf.Variable[] = [];
  private readonly w2: tf.Variable[] = [];
  private readonly radial: tf.Variable[];
  private readonly radialBias: tf.Variable[];

  constructor(params: Params, prefix: string, lmax: number, private readonly cIn: number, private readonly cOut: number, nRadial: number, hidden: number) {
    const { index, blockSizes } = mMajorOrder(lmax);
    this.blockSizes = blockSizes;
    let start = 0;
    this.blockRows = blockSizes.map((n, m) => {
      const rows = m === 0 ? n : 2 * n;
      start += rows;
      return index.slice(start - rows, start);
    });
    this.degreeRows = Array.from({ length: lmax + 1 }, (_, l) => Array.from({ length: 2 * l + 1 }, (_, a) => index.indexOf(l * l + a)));
    const n0 = this.blockSizes[0];
    this.w0 = params.normal(`${prefix}/w0`, [n0 * cIn, n0 * cOut]);
    for (let m = 1; m <= lmax; m++) {
      const n = this.blockSizes[m];
      this.w1.push(params.normal(`${prefix}/w1_m${m}`, [n * cIn, n * cOut], 1 / Math.sqrt(2 * n * cIn)));
      this.w2.push(params.normal(`${prefix}/w2_m${m}`, [n * cIn, n * cOut], 1 / Math.sqrt(2 * n * cIn)));
    }
    const gates = this.blockSizes.reduce((a, n) => a + n, 0) * cOut;
    this.radial = [params.normal(`${prefix}/radial0`, [nRadial, hidden]), params.normal(`${prefix}/radial1`, [hidden, gates])];
    this.radialBias = [params.constant(`${prefix}/radial_b0`, [hidden], 0), params.constant(`${prefix}/radial_b1`, [gates], 1)];
  }

  /**
   * x: per l [E, 2l+1, cIn] → per l [E, 2l+1, cOut]. Its own tidy scope: the regrouping's copies of [E, 25, C]
   * features are freed as soon as the output exists (a whole forward pass over ~8,000 crystal edges otherwise
   * outgrew the wasm heap); under a gradient tape tfjs keeps what the backward pass needs.
   */
  apply(x: IrrepFeatures, frame: EdgeFrameTensors): IrrepFeatures {
    return tf.tidy(() => this.convolve(x, frame));
  }

  private convolve(x: IrrepFeatures, frame: EdgeFrameTensors): IrrepFeatures {
    const E = x[0].shape[0];
    const { cIn, cOut, blockSizes } = this;
    // Rotate degree by degree (D_0 = 1), then regroup the rows by |m|.
    const rotatedByDegree = x.map((xl, l) => (l === 0 ? xl : matMul(frame.D[l - 1], xl)));
    const rows = blockSizes.map((n, m) => (m === 0 ? n : 2 * n));
    const rotated = regroupAlong(rotatedByDegree, this.blockRows, 1); // per |m| [E, r_m, cIn]
    const gates = splitAlong(matMul(silu(matMul(frame.rbf, this.radial[0]).add(this.radialBias[0])), this.radial[1]).add(this.radialBias[1]).mul(frame.envelope), blockSizes.map((n) => n * cOut), 1);
    const y = rotated.map((r, m) => {
      const xm = r.reshape([E, rows[m] * cIn]); // for m > 0 the row vector [x₊ x₋]
      if (m === 0) return matMul(xm, this.w0).mul(gates[0]).reshape([E, rows[0], cOut]) as tf.Tensor3D;
      // [x₊ x₋] · [[W₁, W₂], [−W₂, W₁]] = [W₁x₊ − W₂x₋, W₂x₊ + W₁x₋] in row-vector form.
      const w1 = this.w1[m - 1];
      const w2 = this.w2[m - 1];
      const W = tf.concat([tf.concat([w1, w2], 1), tf.concat([w2.neg(), w1], 1)], 0);
      return matMul(xm, W).mul(concatAlong([gates[m], gates[m]], 1)).reshape([E, rows[m], cOut]) as tf.Tensor3D;
    });
    const byDegree = regroupAlong(y, this.degreeRows, 1); // per l [E, 2l+1, cOut], edge frame
    return byDegree.map((yl, l) => (l === 0 ? yl : matMul(frame.DT[l - 1], yl)));
  }
}
