/**
 * SO(2) convolution (Passaro & Zitnick, ICML 2023, eqs. 7–9; the eSCN operator): rotate the source features into the
 * edge frame (edge-frame.ts), apply per |m| a linear map over all (l, channel) pairs — for m = 0 one real matrix,
 * for m > 0 the complex-style pair y₊ = W₁x₊ − W₂x₋, y₋ = W₂x₊ + W₁x₋, which commutes with rotations about the
 * edge — scale by radial functions of the edge length, and rotate back. It equals a full tensor product with the
 * edge's spherical harmonics (with learned path weights) at a fraction of the cost, and it is built from a few large
 * matmuls, which is what the wasm backend does fast (per-op overhead dominates small batched products).
 */
import * as tf from '../runtime/tf.ts';
import { matMul } from './matmul.ts';
import { mMajorOrder } from './edge-frame.ts';
import { silu, type IrrepFeatures } from './irrep-features.ts';
import type { Params } from './params.ts';

export interface EdgeFrameTensors {
  /**
   * D' split by |m| block: Dm[m] [E, r_m, dim] holds the rows of block m (r_0 = lmax + 1, r_m = 2(lmax + 1 − m): the
   * +m rows then the −m rows), DTm[m] [E, dim, r_m] their transposes. Rotating block by block hands each |m| map its
   * input already contiguous: slicing and splitting along the middle axis cost the wasm backend as much as the
   * rotations themselves (profiled on ethanol: 38 % of the forward pass).
   */
  Dm: tf.Tensor3D[];
  DTm: tf.Tensor3D[];
  /** Radial basis [E, nRadial] and smooth cutoff envelope [E, 1]. */
  rbf: tf.Tensor2D;
  envelope: tf.Tensor2D;
}

/** The frame tensors of a batch of edges from D' [E, dim, dim] (edgeFrameWigner), once per batch. */
export function edgeFrameTensors(D: tf.Tensor3D, lmax: number, rbf: tf.Tensor2D, envelope: tf.Tensor2D): EdgeFrameTensors {
  const [E, dim] = D.shape;
  const Dm: tf.Tensor3D[] = [];
  let row = 0;
  mMajorOrder(lmax).blockSizes.forEach((n, m) => {
    const rows = m === 0 ? n : 2 * n;
    Dm.push(D.slice([0, row, 0], [E, rows, dim]));
    row += rows;
  });
  return { Dm, DTm: Dm.map((d) => d.transpose([0, 2, 1]) as tf.Tensor3D), rbf, envelope };
}

export class SO2Convolution {
  private readonly blockSizes: number[];
  private readonly w0: tf.Variable;
  private readonly w1: tf.Variable[] = [];
  private readonly w2: tf.Variable[] = [];
  private readonly radial: tf.Variable[];
  private readonly radialBias: tf.Variable[];

  constructor(params: Params, prefix: string, private readonly lmax: number, private readonly cIn: number, private readonly cOut: number, nRadial: number, hidden: number) {
    this.blockSizes = mMajorOrder(lmax).blockSizes;
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

  /** x: per l [E, 2l+1, cIn] → per l [E, 2l+1, cOut]. */
  apply(x: IrrepFeatures, frame: EdgeFrameTensors): IrrepFeatures {
    const E = x[0].shape[0];
    const { cIn, cOut, lmax, blockSizes } = this;
    const input = tf.concat(x, 1); // [E, dim, cIn], wiki order
    const gates = matMul(silu(matMul(frame.rbf, this.radial[0]).add(this.radialBias[0])), this.radial[1]).add(this.radialBias[1]).mul(frame.envelope);
    let back: tf.Tensor3D | undefined;
    let gate = 0;
    blockSizes.forEach((n, m) => {
      const g = gates.slice([0, gate], [E, n * cOut]);
      gate += n * cOut;
      const rows = m === 0 ? n : 2 * n;
      // The block's rotated input, flattened: for m > 0 the row vector [x₊ x₋].
      const xm = matMul(frame.Dm[m], input).reshape([E, rows * cIn]);
      let y: tf.Tensor;
      if (m === 0) {
        y = matMul(xm, this.w0).mul(g);
      } else {
        // [x₊ x₋] · [[W₁, W₂], [−W₂, W₁]] = [W₁x₊ − W₂x₋, W₂x₊ + W₁x₋] in row-vector form.
        const w1 = this.w1[m - 1];
        const w2 = this.w2[m - 1];
        const W = tf.concat([tf.concat([w1, w2], 1), tf.concat([w2.neg(), w1], 1)], 0);
        y = matMul(xm, W).mul(tf.concat([g, g], 1));
      }
      const part = matMul(frame.DTm[m], y.reshape([E, rows, cOut]) as tf.Tensor3D); // [E, dim, cOut], wiki order
      back = back ? (back.add(part) as tf.Tensor3D) : part;
    });
    return tf.split(back!, Array.from({ length: lmax + 1 }, (_, l) => 2 * l + 1), 1) as tf.Tensor3D[];
  }
}
