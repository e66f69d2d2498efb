/**
 * The TraceGrad module (Yin et al., arXiv 2405.05722; reference/tracegrad.md; DESIGN.md §5).
 *
 *   s_{l,k} = Σ_m (f_l W^a_l)_{mk} (f_l W^b_l)_{mk} / √(2l+1)   learned CG contractions l ⊗ l → 0 (invariant)
 *   u       = [s, f_0]                                            plus the existing scalar channels
 *   z       = MLP(u)                                              any non-linearity: u is invariant
 *   v_l     = ∂(Σ z)/∂f_l                                         equivariant, same irreps as f
 *   f_l    ← f_l + α_l v_l
 *
 * v is written in closed form rather than by autodiff inside the forward pass: tfjs' gradient of a gradient is
 * unreliable (throws for sigmoid, silently wrong for x·σ(x); reference/tracegrad.md). With g = ∂Σz/∂u, the MLP's
 * input gradient written out layer by layer,
 *   v_l = (g^s_l/√(2l+1) ⊙ f_l W^b_l) W^aᵀ_l + (g^s_l/√(2l+1) ⊙ f_l W^a_l) W^bᵀ_l   (+ g^{f0} for l = 0),
 * which is made of ordinary first-order ops, so training differentiates through it exactly.
 */
import * as tf from '../runtime/tf.ts';
import { matMul } from './matmul.ts';
import { splitAlong } from './axis-ops.ts';
import { channelMix, type IrrepFeatures } from './irrep-features.ts';
import type { Params } from './params.ts';

export interface TraceGradConfig {
  lmax: number;
  channels: number;
  /** Invariants per l from the learned contractions. */
  invariants: number;
  hidden: number;
  /** Width of the invariant feature z (the trace head reads it). */
  zDim: number;
  /** Initial α_l (per l, learned). */
  alphaInit: number;
}

export interface TraceGradOutput {
  /** f + α v when the gradient mechanism is on, else f unchanged. */
  f: IrrepFeatures;
  /** The invariant features z [rows, zDim]. */
  z: tf.Tensor2D;
}

export class TraceGradModule {
  private readonly wa: tf.Variable[] = [];
  private readonly wb: tf.Variable[] = [];
  private readonly w1: tf.Variable;
  private readonly b1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly b2: tf.Variable;
  private readonly w3: tf.Variable;
  private readonly b3: tf.Variable;
  private readonly alpha: tf.Variable;

  constructor(params: Params, prefix: string, private readonly cfg: TraceGradConfig) {
    const { lmax, channels: c, invariants: k, hidden: h, zDim } = cfg;
    for (let l = 0; l <= lmax; l++) {
      this.wa.push(params.normal(`${prefix}/wa${l}`, [c, k]));
      this.wb.push(params.normal(`${prefix}/wb${l}`, [c, k]));
    }
    const nIn = (lmax + 1) * k + c;
    this.w1 = params.normal(`${prefix}/w1`, [nIn, h]);
    this.b1 = params.constant(`${prefix}/b1`, [h], 0);
    this.w2 = params.normal(`${prefix}/w2`, [h, h]);
    this.b2 = params.constant(`${prefix}/b2`, [h], 0);
    this.w3 = params.normal(`${prefix}/w3`, [h, zDim]);
    this.b3 = params.constant(`${prefix}/b3`, [zDim], 0);
    this.alpha = params.constant(`${prefix}/alpha`, [lmax + 1], cfg.alphaInit);
  }

  /**
   * Per input of the MLP, the factor of u = [s, f_0] over the raw contractions Σ_m a b (1/√(2l+1) for the degree-l
   * invariants, 1 for f_0), and the map spreading a per-degree factor over the inputs (f_0 counts as degree 0). The
   * scale folded into W1 and α spread into one vector take three kernels where a scaling per degree took ten.
   */
  private inputScale(): { scale: tf.Tensor2D; spread: tf.Tensor2D } {
    const { lmax, invariants: k, channels: c } = this.cfg;
    const nIn = (lmax + 1) * k + c;
    const blockOf = (i: number) => (i < (lmax + 1) * k ? Math.floor(i / k) : 0);
    const scale = Array.from({ length: nIn }, (_, i) => (i < (lmax + 1) * k ? 1 / Math.sqrt(2 * blockOf(i) + 1) : 1));
    // A per-degree vector times `spread` [lmax+1, nIn] repeats it over each degree's inputs (a product, not a gather:
    // gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks).
    const spread = new Float32Array((lmax + 1) * nIn);
    for (let i = 0; i < nIn; i++) spread[blockOf(i) * nIn + i] = 1;
    return { scale: tf.tensor2d(scale, [nIn, 1]), spread: tf.tensor2d(spread, [lmax + 1, nIn]) };
  }

  /** The invariant branch alone: projections, raw invariants, MLP pre-activations with their sigmoids, and z. */
  private branch(f: IrrepFeatures) {
    const a = f.map((fl, l) => channelMix(fl, this.wa[l] as tf.Tensor2D));
    const b = f.map((fl, l) => channelMix(fl, this.wb[l] as tf.Tensor2D));
    const raw = a.map((al, l) => al.mul(b[l]).sum(1) as tf.Tensor2D);
    const { scale, spread } = this.inputScale();
    const w1 = this.w1.mul(scale) as tf.Tensor2D; // u W1 = [Σab, f_0] (diag(scale) W1)
    const pre1 = matMul(tf.concat([...raw, f[0].squeeze([1]) as tf.Tensor2D], 1), w1).add(this.b1);
    const sig1 = tf.sigmoid(pre1);
    const pre2 = matMul(pre1.mul(sig1), this.w2).add(this.b2);
    const sig2 = tf.sigmoid(pre2);
    const z = matMul(pre2.mul(sig2), this.w3).add(this.b3) as tf.Tensor2D;
    return { a, b, w1, spread, pre1, sig1, pre2, sig2, z };
  }

  /** z only (used by tests to differentiate Σz with tf.grad, and by the `trace` ablation). */
  invariant(f: IrrepFeatures): tf.Tensor2D {
    return this.branch(f).z;
  }

  /**
   * factor_l · ∂(Σ z)/∂f_l in closed form, the factor per degree (α_l in the module, 1 for the test against tf.grad).
   * With g = ∂Σz/∂[Σab, f_0] (scale folded into W1, so g is the gradient with respect to the raw contractions).
   */
  private gradient(f: IrrepFeatures, br: ReturnType<TraceGradModule['branch']>, factor: tf.Tensor1D): IrrepFeatures {
    const { lmax, invariants: k, channels: c } = this.cfg;
    // SiLU'(x) = σ(x)(1 + x(1 − σ(x))) from the branch's sigmoids, written with first-order ops (exact under tfjs' gradient).
    const dSilu = (x: tf.Tensor, sig: tf.Tensor) => sig.add(x.mul(sig).mul(tf.scalar(1).sub(sig)));
    const d2 = dSilu(br.pre2, br.sig2).mul(this.w3.sum(1));
    const d1 = dSilu(br.pre1, br.sig1).mul(matMul(d2, this.w2.transpose() as tf.Tensor2D));
    const g = matMul(d1, br.w1.transpose() as tf.Tensor2D).mul(matMul(factor.reshape([1, -1]), br.spread)); // [rows, (lmax+1)k + c]
    // Split by degree with a native gather: the wasm backend's Slice copies the whole of g into JavaScript per piece
    // (axis-ops.ts); six slices of the [72, 72] edge g were a tenth of an ethanol prediction.
    const pieces = splitAlong(g, [...f.map(() => k), c], 1);
    return f.map((_, l) => {
      const gl = pieces[l].expandDims(1);
      const v = channelMix(gl.mul(br.b[l]) as tf.Tensor3D, tf.transpose(this.wa[l]) as tf.Tensor2D)
        .add(channelMix(gl.mul(br.a[l]) as tf.Tensor3D, tf.transpose(this.wb[l]) as tf.Tensor2D)) as tf.Tensor3D;
      return l === 0 ? (v.add(pieces[lmax + 1].expandDims(1)) as tf.Tensor3D) : v;
    });
  }

  /** Closed-form v, exposed for the test against tf.grad. */
  v(f: IrrepFeatures): IrrepFeatures {
    return this.gradient(f, this.branch(f), tf.ones([this.cfg.lmax + 1]));
  }

  apply(f: IrrepFeatures, useGradient: boolean): TraceGradOutput {
    const br = this.branch(f);
    if (!useGradient) return { f, z: br.z };
    const v = this.gradient(f, br, this.alpha as tf.Tensor1D); // α_l v_l
    return { f: f.map((fl, l) => fl.add(v[l]) as tf.Tensor3D), z: br.z };
  }
}
