import * as tf from '../../../core/runtime/tf.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { Params } from '../../../core/nn/params.ts';
import { TraceGradModule, type TraceGradConfig } from '../../../core/nn/tracegrad.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import { randomRotation } from '../../../core/so3/index.ts';
import { expectEquivariant, maxAbs, maxAbsOf, randomFeatures, rotateFeatures } from '../../helpers/equivariance.ts';
import type { IrrepFeatures } from '../../../core/nn/irrep-features.ts';

const cfg: TraceGradConfig = { lmax: 4, channels: 6, invariants: 3, hidden: 8, zDim: 4, alphaInit: 0.5 };

beforeAll(async () => { await tf.setBackend('cpu'); });

function build(seed = 1) {
  const params = new Params(new Rng(seed));
  return { params, module: new TraceGradModule(params, 'tg', cfg) };
}

describe('TraceGrad module', () => {
  it('closed-form v = ∂Σz/∂f agrees with tf.grad to float32 precision, for every l', () => {
    const { module } = build();
    const f = randomFeatures(5, cfg.lmax, cfg.channels, 11);
    const auto = tf.grads((...xs: tf.Tensor[]) => module.invariant(xs as IrrepFeatures).sum())(f);
    const closed = module.v(f);
    closed.forEach((v, l) => {
      expect(maxAbs(v, auto[l]) / maxAbsOf(auto[l]), `l = ${l}`).toBeLessThan(1e-5);
    });
  });

  it('v agrees with central finite differences of Σz', () => {
    const { module } = build(2);
    const f = randomFeatures(2, cfg.lmax, cfg.channels, 21);
    const closed = module.v(f);
    const sumZ = (x: IrrepFeatures) => module.invariant(x).sum().dataSync()[0];
    const rng = new Rng(3);
    for (let t = 0; t < 6; t++) {
      const l = rng.int(cfg.lmax + 1);
      const idx = rng.int(f[l].size);
      const eps = 1e-2;
      const shifted = (d: number) => f.map((fl, k) => {
        if (k !== l) return fl;
        const buf = fl.dataSync().slice();
        buf[idx] += d;
        return tf.tensor(buf, fl.shape) as tf.Tensor3D;
      });
      const fd = (sumZ(shifted(eps)) - sumZ(shifted(-eps))) / (2 * eps);
      const v = closed[l].dataSync()[idx];
      expect(Math.abs(fd - v)).toBeLessThan(2e-3 * Math.max(1, Math.abs(v)));
    }
  });

  it('z is invariant and the updated features are equivariant under random rotations', () => {
    const { module } = build(4);
    const rng = new Rng(5);
    for (let t = 0; t < 3; t++) {
      const R = randomRotation(rng);
      const f = randomFeatures(4, cfg.lmax, cfg.channels, 30 + t);
      const out = module.apply(f, true);
      const outRot = module.apply(rotateFeatures(f, R), true);
      expect(maxAbs(outRot.z, out.z) / maxAbsOf(out.z)).toBeLessThan(1e-5);
      expectEquivariant(outRot.f, rotateFeatures(out.f, R), 1e-5);
    }
  });

  it('the training gradient through v matches finite differences (no gradient of a gradient)', () => {
    const { params, module } = build(6);
    const f = randomFeatures(3, cfg.lmax, cfg.channels, 40);
    const target = randomFeatures(3, cfg.lmax, cfg.channels, 50);
    const loss = () => module.apply(f, true).f.map((fl, l) => fl.sub(target[l]).square().sum()).reduce((a, b) => a.add(b)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    const rng = new Rng(7);
    for (const name of ['tg/w1', 'tg/wa2', 'tg/wb1', 'tg/w3', 'tg/alpha']) {
      const v = params.get(name);
      const g = grads[v.name].dataSync();
      const base = v.dataSync().slice();
      for (let t = 0; t < 2; t++) {
        const idx = rng.int(v.size);
        const eps = 1e-2 * Math.max(1, Math.abs(base[idx]));
        const at = (d: number) => {
          const buf = base.slice();
          buf[idx] += d;
          v.assign(tf.tensor(buf, v.shape));
          return loss().dataSync()[0];
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(base, v.shape));
        expect(Math.abs(fd - g[idx]), `${name}[${idx}]`).toBeLessThan(1e-2 * Math.max(1, Math.abs(g[idx])));
      }
    }
  });

  it('without the gradient mechanism (arch "trace") features pass through unchanged', () => {
    const { module } = build(8);
    const f = randomFeatures(2, cfg.lmax, cfg.channels, 60);
    const out = module.apply(f, false);
    out.f.forEach((fl, l) => expect(fl).toBe(f[l]));
    expect(out.z.shape).toEqual([2, cfg.zDim]);
  });
});
