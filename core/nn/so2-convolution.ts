/**
 * SO(2) convolution (Passaro & Zitnick, ICML 2023, eqs. 7–9; the eSCN operator): rotate the source features into the
 * edge frame (edge-frame.ts), apply per |m| a linear map over all (l, channel) pairs — for m = 0 one real matrix,
 * for m > 0 the complex-style pair y₊ = W₁x₊ − W₂x₋, y₋ = W₂x₊ + W₁x₋, which commutes with rotations about the
 * edge — scale by radial functions of the edge length, and rotate back. It equals a full tensor product with the
 * edge's spherical harmonics (with learned path weights) at a fraction of the cost, and it is built from a few large
 * matmuls, which is what the wasm backend does fast (per-op overhead dominates small batched products).
 */
import * as tf from '../runtime/tf.ts';
import { concatAlong, splitAlong } from './axis-ops.ts';
import { matMul } from './matmul.ts';
import { mMajorOrder } from './edge-frame.ts';
import { silu, type IrrepFeatures } from './irrep-features.ts';
import type { Params } from './params.ts';

export interface EdgeFrameTensors {
  /** D' [E, dim, dim] (rows m-major, columns wiki order) and its transpose. */
  D: tf.Tensor3D;
  DT: tf.Tensor3D;
  /** Radial basis [E, nRadial] and smooth cutoff envelope [E, 1]. */
  rbf: tf.Tensor2D;
  envelope: tf.Tensor2D;
}

/** The frame tensors of a batch of edges from D' [E, dim, dim] (edgeFrameWigner), once per batch. */
export function edgeFrameTensors(D: tf.Tensor3D, rbf: tf.Tensor2D, envelope: tf.Tensor2D): EdgeFrameTensors {
  return { D, DT: D.transpose([0, 2, 1]) as tf.Tensor3D, rbf, envelope };
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
    // One batched product each way: the wasm backend's batched matmul pays a fixed cost per batch entry and call
    // (~3 μs an edge), so rotating block by block of |m| costs more than splitting one rotation (axis-ops.ts).
    const rows = blockSizes.map((n, m) => (m === 0 ? n : 2 * n));
    const rotated = splitAlong(matMul(frame.D, concatAlong(x, 1)), rows, 1); // per |m| [E, r_m, cIn]
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
    const back = matMul(frame.DT, concatAlong(y, 1)); // [E, dim, cOut], wiki order
    return splitAlong(back, Array.from({ length: lmax + 1 }, (_, l) => 2 * l + 1), 1);
  }
}
