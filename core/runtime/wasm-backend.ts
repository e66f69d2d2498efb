/**
 * The WebAssembly backend under Node: where its binaries are and which build runs.
 *
 * The binaries sit next to the package's Node entry point (dist/); `setWasmPaths` takes that directory as a plain
 * path with a trailing separator (Emscripten reads it with fs in Node; a file:// URL works too).
 * SIMD: Node 20 validates wasm SIMD, so the SIMD build runs.
 * Threads: tfjs-backend-wasm 4.22 reports WASM_HAS_MULTITHREAD_SUPPORT = false under Node (tfjs issue #3830), and
 * forcing the flag makes initialisation fail, because Emscripten hands its pthread worker a blob: URL, which Node's
 * worker_threads rejects (ERR_WORKER_PATH). So we leave the flag to the library: single-threaded today, threaded as
 * soon as a release supports Node.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from './tf.ts';
import type { BackendInfo } from './backend.ts';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

function wasmBinaryDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(WASM_PACKAGE)) + path.sep;
}

/** Initialises the wasm backend and makes it current; call at most once per process (the library forbids retries). */
export async function initWasm(): Promise<BackendInfo> {
  const dir = wasmBinaryDir();
  setWasmPaths(dir);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error(`tf.setBackend('wasm') failed (binaries in ${dir}; tfjs logged the cause above)`);
  }
  return {
    name: 'wasm',
    package: WASM_PACKAGE,
    version: version_wasm,
    gpu: false,
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    threads: getThreadsCount() > 1,
    skipped: [],
  };
}
