/**
 * Least-squares refit of the linear decoders (hamiltonian-net.ts): with the message-passing layers fixed, each
 * decoder is a linear map from the last layer's features to the normalised coefficients, so the weights that
 * minimise the training set's H loss (the weighted squared error of loss.ts, kind 'mse') solve normal equations.
 * Gradient training leaves them short of that minimum (measured on the shipped models: H MAE on structures never
 * seen 5–6 % lower, graphene's band error 13 % lower; docs/shipped-models.md), so a refit after training is a cheap
 * last step, like a final linear probe.
 *
 * Per decoder type and output degree L, with W_L [c, s] (s slots) and features x (2L+1 rows of c channels):
 *   coef_(k,M) = x_M · W_k                                   on-site and off-site types of two elements
 *   coef_(k,M) = ½ (x_M · W_k + σ r_M' · W_k')               off-site types of one element, r the reverse edge's
 *                                                            features and (k', M', σ) where P maps (k, M) from
 * so the loss Σ_rows Σ_j w_j (coef_j − y_j)² = vᵀ A v − 2 bᵀ v + Σ w y² in v = vec(W) with A and b from per-row Gram
 * blocks x_M x_Mᵀ, x_M r_M'ᵀ, r_M' r_M'ᵀ and target moments y x, y r, accumulated in float64 over the data in one
 * pass. The loss before and after follows from the same quadratic form, with no second pass.
 */
import { Matrix, solve } from 'ml-matrix';
import { HamError } from '../contracts/errors.ts';
import type { HamiltonianSample } from '../datasets/sample.ts';
import type { HamiltonianModel } from '../model/hamiltonian-model.ts';
import * as tf from '../runtime/tf.ts';

/** Relative ridge added to the normal equations' diagonal: keeps them solvable when features are collinear. */
const RIDGE = 1e-7;

export interface RefitResult {
  /** Training structures the refit saw. */
  structures: number;
  /** The weighted mean squared error of the normalised coefficients (training loss L_H, kind 'mse') before and after. */
  mseBefore: number;
  mseAfter: number;
}

/** Normal-equation accumulators of one decoder type and degree L. */
class DegreeSystem {
  readonly n: number;
  /** Per target column j of this degree (net order): slot k, component M, and for one element the partner (k', M', σ). */
  readonly cols: { k: number; M: number; partner?: { k: number; M: number; sign: number } }[] = [];
  readonly gxx: Float64Array[];
  readonly grr: Float64Array[];
  /** x_M r_M'ᵀ for each (M, M') pair the partners need, keyed M * n + M'. */
  readonly gxr = new Map<number, Float64Array>();
  readonly yx: Float64Array[];
  readonly yr: Float64Array[];
  syy = 0;
  count = 0;

  constructor(readonly L: number, readonly slots: number, readonly offset: number, readonly c: number, readonly weight: Float32Array, transpose: Float32Array | undefined, nc: number) {
    const n = 2 * L + 1;
    this.n = n;
    for (let q = 0; q < slots * n; q++) {
      const j = offset + q;
      const col: DegreeSystem['cols'][number] = { k: Math.floor(q / n), M: q % n };
      if (transpose) {
        // P is a signed permutation up to float32 round-off of its construction (entries ~1e-8 elsewhere).
        let i = 0;
        for (let r = 1; r < nc; r++) if (Math.abs(transpose[r * nc + j]) > Math.abs(transpose[i * nc + j])) i = r;
        const local = i - offset;
        if (local < 0 || local >= slots * n) throw new HamError('E_INTERNAL', `decoder refit: the transpose map leaves degree ${L}`);
        col.partner = { k: Math.floor(local / n), M: local % n, sign: Math.sign(transpose[i * nc + j]) };
        const key = col.M * n + col.partner.M;
        if (!this.gxr.has(key)) this.gxr.set(key, new Float64Array(c * c));
      }
      this.cols.push(col);
    }
    this.gxx = Array.from({ length: n }, () => new Float64Array(c * c));
    this.grr = Array.from({ length: transpose ? n : 0 }, () => new Float64Array(c * c));
    this.yx = Array.from({ length: slots * n }, () => new Float64Array(c));
    this.yr = Array.from({ length: transpose ? slots * n : 0 }, () => new Float64Array(c));
  }

  /** One row: features x (and r) [n, c] at `xo` (`ro`) of their arrays, targets y at `yo` (row of all nc columns). */
  add(x: Float32Array, xo: number, r: Float32Array | undefined, ro: number, y: Float32Array, yo: number): void {
    const { n, c } = this;
    const outer = (g: Float64Array, a: Float32Array, ao: number, b: Float32Array, bo: number) => {
      for (let p = 0; p < c; p++) {
        const ap = a[ao + p];
        if (ap === 0) continue;
        const row = p * c;
        for (let q = 0; q < c; q++) g[row + q] += ap * b[bo + q];
      }
    };
    for (let M = 0; M < n; M++) {
      outer(this.gxx[M], x, xo + M * c, x, xo + M * c);
      if (r) outer(this.grr[M], r, ro + M * c, r, ro + M * c);
    }
    if (r) for (const [key, g] of this.gxr) outer(g, x, xo + Math.floor(key / n) * c, r, ro + (key % n) * c);
    this.cols.forEach((col, q) => {
      const yj = y[yo + this.offset + q];
      if (yj === 0) return;
      this.syy += this.weight[this.offset + q] * yj * yj;
      const yx = this.yx[q];
      for (let p = 0; p < c; p++) yx[p] += yj * x[xo + col.M * c + p];
      if (r && col.partner) {
        const yr = this.yr[q];
        for (let p = 0; p < c; p++) yr[p] += yj * r[ro + col.partner.M * c + p];
      }
    });
    this.count += this.cols.length;
  }

  /** A and b of the quadratic form in v = vec(W) (v[k·c + p] = W[p, k]). */
  system(): { A: Matrix; b: Matrix } {
    const { c, slots } = this;
    const A = new Matrix(slots * c, slots * c);
    const b = new Matrix(slots * c, 1);
    const addBlock = (k1: number, k2: number, g: Float64Array, f: number, transposed: boolean) => {
      for (let p = 0; p < c; p++) for (let q = 0; q < c; q++) {
        A.set(k1 * c + p, k2 * c + q, A.get(k1 * c + p, k2 * c + q) + f * (transposed ? g[q * c + p] : g[p * c + q]));
      }
    };
    this.cols.forEach((col, q) => {
      const w = this.weight[this.offset + q];
      const { k, M, partner } = col;
      if (!partner) {
        addBlock(k, k, this.gxx[M], w, false);
        for (let p = 0; p < c; p++) b.set(k * c + p, 0, b.get(k * c + p, 0) + w * this.yx[q][p]);
        return;
      }
      const g = this.gxr.get(M * this.n + partner.M)!;
      addBlock(k, k, this.gxx[M], 0.25 * w, false);
      addBlock(partner.k, partner.k, this.grr[partner.M], 0.25 * w, false);
      addBlock(k, partner.k, g, 0.25 * w * partner.sign, false);
      addBlock(partner.k, k, g, 0.25 * w * partner.sign, true);
      for (let p = 0; p < c; p++) {
        b.set(k * c + p, 0, b.get(k * c + p, 0) + 0.5 * w * this.yx[q][p]);
        b.set(partner.k * c + p, 0, b.get(partner.k * c + p, 0) + 0.5 * w * partner.sign * this.yr[q][p]);
      }
    });
    return { A, b };
  }
}

/** vᵀ A v − 2 bᵀ v + s: the summed weighted squared error at weights v. */
const quadratic = (A: Matrix, b: Matrix, v: Matrix, s: number) => v.transpose().mmul(A).mmul(v).get(0, 0) - 2 * b.transpose().mmul(v).get(0, 0) + s;

/**
 * Refits every decoder of `model` in place to `samples` (its training structures) by least squares, `batchSize`
 * structures per forward pass. Off-site rows without a stored block (beyond the data's support) do not count, as in
 * training.
 */
export function refitDecoders(model: HamiltonianModel, samples: readonly HamiltonianSample[], batchSize = 8, onProgress?: (done: number, total: number) => void): RefitResult {
  const c = model.arch.channels;
  const systems = new Map<string, DegreeSystem[]>();
  for (let a = 0; a < samples.length; a += batchSize) {
    const part = samples.slice(a, a + batchSize);
    const batch = model.batch(part.map((s) => ({ graph: model.graph(s.structure), sample: s })), true);
    const inputs = tf.tidy(() => model.net.decoderInputs(batch).map((g) => ({
      rows: g.rows.map((t) => t.dataSync() as Float32Array),
      reverse: g.reverse?.map((t) => t.dataSync() as Float32Array),
    })));
    batch.groups.forEach((g, gi) => {
      const { plan, key } = g.type;
      const nc = plan.nCoefficients;
      let degrees = systems.get(key);
      if (!degrees) {
        const { transpose } = model.net.decoderMaps(key);
        let offset = 0;
        degrees = [];
        plan.slotsPerL.forEach((s, L) => {
          if (s > 0) degrees!.push(new DegreeSystem(L, s, offset, c, g.weight!, transpose, nc));
          offset += s * (2 * L + 1);
        });
        systems.set(key, degrees);
      }
      const { rows, reverse } = inputs[gi];
      let t = 0;
      for (let r = 0; r < g.rows.length; r++) {
        if (g.block[r] < 0) continue;
        for (const d of degrees) {
          const width = d.n * c;
          d.add(rows[d.L], r * width, reverse?.[d.L], r * width, g.coef!, t * nc);
        }
        t++;
      }
    });
    onProgress?.(Math.min(a + batchSize, samples.length), samples.length);
  }
  let before = 0;
  let after = 0;
  let count = 0;
  for (const [key, degrees] of systems) {
    const { weights } = model.net.decoderMaps(key);
    for (const d of degrees) {
      const { A, b } = d.system();
      const variable = weights[d.L]!;
      const W = variable.dataSync();
      const old = new Matrix(d.slots * c, 1);
      for (let k = 0; k < d.slots; k++) for (let p = 0; p < c; p++) old.set(k * c + p, 0, W[p * d.slots + k]);
      let trace = 0;
      for (let i = 0; i < A.rows; i++) trace += A.get(i, i);
      const Ar = A.clone();
      for (let i = 0; i < A.rows; i++) Ar.set(i, i, A.get(i, i) + (RIDGE * trace) / A.rows);
      const v = solve(Ar, b);
      const e0 = quadratic(A, b, old, d.syy);
      const e1 = quadratic(A, b, v, d.syy);
      before += e0;
      count += d.count;
      if (!(e1 <= e0)) { after += e0; continue; } // never worse (round-off on an already optimal decoder)
      after += e1;
      const next = new Float32Array(c * d.slots);
      for (let k = 0; k < d.slots; k++) for (let p = 0; p < c; p++) next[p * d.slots + k] = v.get(k * c + p, 0);
      tf.tidy(() => variable.assign(tf.tensor2d(next, [c, d.slots])));
    }
  }
  return { structures: samples.length, mseBefore: before / Math.max(count, 1), mseAfter: after / Math.max(count, 1) };
}
