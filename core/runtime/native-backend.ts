/**
 * The native TensorFlow backends, `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node`. Both are optional
 * dependencies whose install downloads libtensorflow, so either may be missing; they are imported by name at run time.
 * Importing one registers the 'tensorflow' backend into our tfjs-core and makes it current (a side effect of the
 * package), so this runs only when that backend is wanted.
 *
 * tfjs-node-gpu without a usable GPU still runs: TensorFlow falls back to its CPU kernels. We keep it then rather than
 * also loading tfjs-node: its binding would link the libtensorflow.so.2 already loaded (same soname), so it would run
 * the same code, after re-registering every kernel.
 */
import * as tf from './tf.ts';
import type { BackendInfo, SkippedBackend } from './backend.ts';

const NATIVE_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

interface NativeModule {
  version?: Record<string, string>;
}

/** Loads the first native package that imports, best first; throws, naming why each failed, if none does. */
export async function initNative(): Promise<BackendInfo> {
  const skipped: SkippedBackend[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    let mod: NativeModule;
    try {
      mod = (await import(pkg)) as NativeModule;
    } catch (e) {
      skipped.push({ backend: pkg, reason: importFailure(e) });
      continue;
    }
    const backend = tf.engine().findBackend('tensorflow') as unknown as { isUsingGpuDevice?: boolean } | null;
    return {
      name: 'tensorflow',
      package: pkg,
      version: mod.version?.['tfjs-node'] ?? tf.version.tfjs,
      gpu: backend?.isUsingGpuDevice === true,
      simd: true,
      threads: true,
      skipped,
    };
  }
  throw new Error(skipped.map((s) => `${s.backend}: ${s.reason}`).join('; '));
}

function importFailure(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') return 'not installed';
  return (err.message ?? String(e)).split('\n')[0];
}
