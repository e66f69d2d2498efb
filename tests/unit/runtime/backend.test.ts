import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { isHamError } from '../../../core/contracts/errors.ts';
import { BACKEND_ENV, backendInfo, initBackend } from '../../../core/runtime/backend.ts';
import * as tf from '../../../core/runtime/tf.ts';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
}

describe('backend selection', () => {
  const saved = process.env[BACKEND_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[BACKEND_ENV];
    else process.env[BACKEND_ENV] = saved;
  });

  it(`${BACKEND_ENV}=cpu gives cpu`, async () => {
    process.env[BACKEND_ENV] = 'cpu';
    const info = await initBackend();
    expect(info).toMatchObject({ name: 'cpu', gpu: false, simd: false, threads: false });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('picks the best available backend by default: wasm with SIMD when tfjs-node is absent', async () => {
    delete process.env[BACKEND_ENV];
    const info = await initBackend();
    expect(tf.getBackend()).toBe(info.name);
    expect(backendInfo()).toBe(info);
    if (nativeInstalled) {
      expect(info.name).toBe('tensorflow');
    } else {
      expect(info).toMatchObject({ name: 'wasm', simd: true, version: tf.version.tfjs });
      expect(info.skipped).toEqual([
        { backend: 'tensorflow', reason: '@tensorflow/tfjs-node-gpu: not installed; @tensorflow/tfjs-node: not installed' },
      ]);
    }
  });

  it('is idempotent, also under concurrent calls', async () => {
    delete process.env[BACKEND_ENV];
    const [a, b, c] = await Promise.all([initBackend(), initBackend('auto'), initBackend()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await initBackend()).toBe(a);
  });

  it('lets the function argument override the environment and switches back and forth', async () => {
    process.env[BACKEND_ENV] = 'cpu';
    expect((await initBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect((await initBackend()).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown name with E_INPUT naming the variable', async () => {
    process.env[BACKEND_ENV] = 'cuda';
    const e = await rejection(initBackend());
    expect(isHamError(e) && e.code).toBe('E_INPUT');
    expect((e as Error).message).toContain(BACKEND_ENV);
    expect((e as Error).message).toContain('"cuda"');
  });

  it('rejects an unknown function argument with E_INPUT naming the argument', async () => {
    const e = await rejection(initBackend('webgl'));
    expect(isHamError(e) && e.code).toBe('E_INPUT');
    expect((e as Error).message).toMatch(/\[backend\].*"webgl"/);
  });

  it.skipIf(nativeInstalled)('fails with E_INPUT when the requested native backend is not installed', async () => {
    process.env[BACKEND_ENV] = 'tensorflow';
    const e = await rejection(initBackend());
    expect(isHamError(e) && e.code).toBe('E_INPUT');
    expect((e as Error).message).toContain('@tensorflow/tfjs-node: not installed');
  });
});

describe('wasm and cpu agree', () => {
  /** A small network-like computation: matmul, softplus, a reduction, a gradient. */
  async function compute(backend: string): Promise<Float32Array[]> {
    await initBackend(backend);
    return tf.tidy(() => {
      const x = tf.tensor2d([[0.5, -1, 2], [3, 0.25, -0.75]]);
      const w = tf.tensor2d([[1, -2], [0.5, 0.1], [-0.3, 0.7]]);
      const f = (m: tf.Tensor) => tf.sum(tf.softplus(tf.matMul(x, m as tf.Tensor2D)));
      return [f(w).dataSync() as Float32Array, tf.grad(f)(w).dataSync() as Float32Array];
    });
  }

  it('gives the same numbers on both', async () => {
    const onWasm = await compute('wasm');
    const onCpu = await compute('cpu');
    onWasm.forEach((values, k) => {
      values.forEach((v, i) => expect(v).toBeCloseTo(onCpu[k][i], 5));
    });
  });
});
