/**
 * SO(2) convolution (Passaro & Zitnick, ICML 2023, eqs. 7–9; the eSCN operator): rotate the source features into the
 * edge frame (edge-frame.ts), apply per |m| a linear map over all (l, channel) pairs — for m = 0 one real matrix,
 * for m > 0 the complex-style pair y₊ = W₁x₊ − W₂x₋, y₋ = W₂x₊ + W₁x₋, which commutes with rotations about the
 * edge — scale by radial functions of the edge length, and rotate back. It equals a full tensor product with the
 * edge's spherical harmonics (with learned path weights) at a fraction of the cost: a batched rotation per degree
 * each way and one matmul for m = 0, three per m > 0, the features regrouped by native transposes and gathers
 * (axis-ops.ts).
 */
import * as tf from '../runtime/tf.ts';
import { regroupAlong, splitAlong } from './axis-ops.ts';
import { matMul } from './matmul.ts';
import { recording } from './tape.ts';
import { mMajorOrder } from './edge-frame.ts';
import { concatChannels, silu, type IrrepFeatures } from './irrep-features.ts';
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

/**
 * D x per edge ([E, n, n] · [E, n, c]). Training: a batched matMul, whose backward pass is two more. Inference:
 * broadcast products summed over the inner index, measured faster than wasm's batched matMul of many small matrices
 * (forward, 72 ethanol edges: 2.2 → 1.2 ms at c = 96; 600 edges: 19.5 → 12.0 ms) but slower to differentiate.
 */
function rotate(D: tf.Tensor3D, x: tf.Tensor3D): tf.Tensor3D {
  if (recording()) return matMul(D, x);
  const [E, n] = D.shape;
  const c = x.shape[2];
  // Its own scope frees the [E, n, n, c] product at once (8,192 crystal edges at l = 4: 255 MB).
  return tf.tidy(() => tf.mul(D.reshape([E, n, n, 1]), x.reshape([E, 1, n, c])).sum(2));
}

export class SO2Convolution {
  private readonly blockSizes: number[];
  /** Wiki-order positions of the rows of the m = 0 block, then of the +m and of the −m rows for m = 1…lmax (the
   * m-major order), and m-major positions of each degree's rows. */
  private readonly pieceRows: number[][];
  private readonly degreeRows: number[][];
  private readonly w0: tf.Variable;
  private readonly w1: tf.Variable[] = [];
  private readonly w2: tf.Variable[] = [];
  private readonly radial: tf.Variable[];
  private readonly radialBias: tf.Variable[];

  constructor(params: Params, prefix: string, lmax: number, cIn: number, private readonly cOut: number, nRadial: number, hidden: number) {
    const { index, blockSizes } = mMajorOrder(lmax);
    this.blockSizes = blockSizes;
    let start = 0;
    this.pieceRows = blockSizes.flatMap((n, m) => (m === 0 ? [n] : [n, n])).map((n) => {
      start += n;
      return index.slice(start - n, start);
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
   * x: per l [E, 2l+1, ·] in the global frame, `framed` (optional) per l [E, 2l+1, ·] already in each edge's frame,
   * their channels together cIn → per l [E, 2l+1, cOut], rotated back to the global frame when `back` (else left in
   * the edge frame: features that only ever meet their own edge need not leave it). Its own tidy scope: the
   * regrouping's copies of [E, 25, C] features are freed as soon as the output exists (a whole forward pass over
   * ~8,000 crystal edges otherwise outgrew the wasm heap); under a gradient tape tfjs keeps what the backward pass needs.
   */
  apply(x: IrrepFeatures, frame: EdgeFrameTensors, framed?: IrrepFeatures, back = true): IrrepFeatures {
    return tf.tidy(() => this.convolve(x, frame, framed, back));
  }

  private convolve(x: IrrepFeatures, frame: EdgeFrameTensors, framed: IrrepFeatures | undefined, back: boolean): IrrepFeatures {
    const E = x[0].shape[0];
    const { cOut, blockSizes } = this;
    // Rotate degree by degree (D_0 = 1), then regroup the rows into the m = 0 block and the +m and −m blocks.
    const rotated = rotateFeatures(x, frame.D);
    const rotatedByDegree = framed ? concatChannels(rotated, framed) : rotated;
    const pieces = regroupAlong(rotatedByDegree, this.pieceRows, 1).map((p) => p.reshape([E, -1]) as tf.Tensor2D);
    const gates = splitAlong(matMul(silu(matMul(frame.rbf, this.radial[0]).add(this.radialBias[0])), this.radial[1]).add(this.radialBias[1]).mul(frame.envelope), blockSizes.map((n) => n * cOut), 1);
    const y: tf.Tensor3D[] = [matMul(pieces[0], this.w0).mul(gates[0]).reshape([E, blockSizes[0], cOut])];
    for (let m = 1; m < blockSizes.length; m++) {
      // y₊ = x₊W₁ − x₋W₂, y₋ = x₊W₂ + x₋W₁ with Gauss's three products for a complex product: 3/4 of the work.
      const [xp, xn, w1, w2] = [pieces[2 * m - 1], pieces[2 * m], this.w1[m - 1], this.w2[m - 1]];
      const p1 = matMul(xp, w1);
      const p2 = matMul(xn, w2);
      const p3 = matMul(xp.add(xn), w1.add(w2));
      const shape = [E, blockSizes[m], cOut];
      y.push(p1.sub(p2).mul(gates[m]).reshape(shape) as tf.Tensor3D, p3.sub(p1).sub(p2).mul(gates[m]).reshape(shape) as tf.Tensor3D);
    }
    const byDegree = regroupAlong(y, this.degreeRows, 1); // per l [E, 2l+1, cOut], edge frame
    return back ? rotateFeatures(byDegree, frame.DT) : byDegree;
  }
}

/** Features per degree rotated by per-degree matrices (D[l − 1] for degree l; degree 0 is invariant). */
export function rotateFeatures(x: IrrepFeatures, D: tf.Tensor3D[]): IrrepFeatures {
  return x.map((xl, l) => (l === 0 ? xl : rotate(D[l - 1], xl)));
}
