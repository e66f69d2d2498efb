/**
 * The native path of backend selection, with the optional packages replaced by stand-ins (they cannot be installed
 * here): tfjs-node-gpu fails to load its CUDA library, tfjs-node loads and, like the real package, registers the
 * 'tensorflow' backend and makes it current as an import side effect.
 */
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../core/runtime/backend.ts';
import * as tf from '../../../core/runtime/tf.ts';

vi.mock('@tensorflow/tfjs-node-gpu', () => {
  throw new Error('libcudart.so.11.0: cannot open shared object file');
});

vi.mock('@tensorflow/tfjs-node', async () => {
  const tfjs = await import('../../../core/runtime/tf.ts');
  class StandInNativeBackend extends tfjs.KernelBackend {
    readonly isUsingGpuDevice = false;
  }
  tfjs.registerBackend('tensorflow', () => new StandInNativeBackend(), 3);
  await tfjs.setBackend('tensorflow');
  return { version: { 'tfjs-node': '4.22.0-native' } };
});

describe('native TensorFlow backend', () => {
  it('is preferred when it loads, after a failed tfjs-node-gpu', async () => {
    const info = await initBackend();
    expect(info).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node', version: '4.22.0-native', gpu: false });
    expect(info.skipped).toHaveLength(1);
    expect(info.skipped[0].backend).toBe('@tensorflow/tfjs-node-gpu');
    // vitest wraps a throwing mock factory's error in its own, so only check that it is a load failure.
    expect(info.skipped[0].reason).not.toBe('not installed');
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('can still be left for wasm and returned to', async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
    expect((await initBackend('tensorflow')).package).toBe('@tensorflow/tfjs-node');
    expect(tf.getBackend()).toBe('tensorflow');
  });
});
