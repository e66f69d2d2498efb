/**
 * Adam (Kingma & Ba, ICLR 2015, Algorithm 1) with global-norm gradient clipping. Written out rather than taken from
 * tf.train because a run must checkpoint and restore the moment estimates exactly and change the learning rate
 * between steps; tfjs' optimizer hides both.
 */
import * as tf from '../runtime/tf.ts';

export interface AdamState {
  step: number;
  /** First and second moments, concatenated in variable order. */
  m: Float32Array;
  v: Float32Array;
}

export class Adam {
  private m: tf.Variable[];
  private v: tf.Variable[];
  step = 0;

  constructor(private readonly vars: tf.Variable[], private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly eps = 1e-8) {
    this.m = vars.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = vars.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /**
   * Apply one update; returns the gradient's global norm before clipping. A missing gradient (a parameter the batch
   * did not reach, e.g. the decoder of a block type absent from it) leaves that parameter and its moments as they are.
   */
  apply(grads: (tf.Tensor | undefined)[], lr: number, clipNorm: number): number {
    this.step++;
    const t = this.step;
    const norm = tf.tidy(() => Math.sqrt(tf.addN(grads.filter((g) => g !== undefined).map((g) => g.square().sum())).dataSync()[0]));
    const scale = Number.isFinite(norm) && norm > clipNorm ? clipNorm / norm : 1;
    const lrT = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    tf.tidy(() => {
      grads.forEach((g0, k) => {
        if (!g0) return;
        const g = scale === 1 ? g0 : g0.mul(scale);
        const m = this.m[k].mul(this.beta1).add(g.mul(1 - this.beta1));
        const v = this.v[k].mul(this.beta2).add(g.square().mul(1 - this.beta2));
        this.m[k].assign(m);
        this.v[k].assign(v);
        this.vars[k].assign(this.vars[k].sub(m.mul(lrT).div(v.sqrt().add(this.eps))));
      });
    });
    return norm;
  }

  state(): AdamState {
    const total = this.vars.reduce((a, x) => a + x.size, 0);
    const m = new Float32Array(total);
    const v = new Float32Array(total);
    let off = 0;
    this.vars.forEach((x, k) => {
      m.set(this.m[k].dataSync() as Float32Array, off);
      v.set(this.v[k].dataSync() as Float32Array, off);
      off += x.size;
    });
    return { step: this.step, m, v };
  }

  restore(s: AdamState): void {
    this.step = s.step;
    let off = 0;
    this.vars.forEach((x, k) => {
      this.m[k].assign(tf.tensor(s.m.subarray(off, off + x.size), x.shape));
      this.v[k].assign(tf.tensor(s.v.subarray(off, off + x.size), x.shape));
      off += x.size;
    });
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((x) => x.dispose());
  }
}
