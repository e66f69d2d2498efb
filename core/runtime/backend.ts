/**
 * The one place that chooses and initialises the TensorFlow.js backend (DESIGN.md §8). Best first:
 * native TensorFlow (`@tensorflow/tfjs-node-gpu` with a GPU, else `@tensorflow/tfjs-node`) → wasm → cpu.
 * `HAMSTUDIO_BACKEND=tensorflow|wasm|cpu` (or a function argument, which wins) asks for one backend and fails
 * if that one cannot start; unset or `auto` picks the best that starts. The outcome is recorded for `hamstudio info`.
 */
import { HamError } from '../contracts/errors.ts';
import { initNative } from './native-backend.ts';
import * as tf from './tf.ts';
import { initWasm } from './wasm-backend.ts';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_ENV = 'HAMSTUDIO_BACKEND';

export interface SkippedBackend {
  backend: string;
  reason: string;
}

export interface BackendInfo {
  name: BackendName;
  /** The npm package that provides the kernels, and its version. */
  package: string;
  version: string;
  /** Kernels run on a CUDA device (tfjs-node-gpu only). */
  gpu: boolean;
  /** Kernels use vector instructions: the wasm SIMD build, or native TensorFlow. */
  simd: boolean;
  /** Kernels run on more than one thread: native TensorFlow, or a threaded wasm build. */
  threads: boolean;
  /** Better backends that could not be used, and why (e.g. "@tensorflow/tfjs-node: not installed"). */
  skipped: SkippedBackend[];
}

const LOADERS: Record<BackendName, () => Promise<BackendInfo>> = { tensorflow: initNative, wasm: initWasm, cpu: initCpu };

/** One initialisation per backend per process, failures included: the wasm library refuses a second attempt. */
const loads = new Map<BackendName, Promise<BackendInfo>>();
let autoChoice: Promise<BackendInfo> | undefined;
let current: BackendInfo | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes the requested backend current and returns what runs. `requested` is a backend name or `auto`; without it,
 * HAMSTUDIO_BACKEND decides, and without that, `auto`. Safe to call any number of times, also concurrently: calls run
 * one after another, and a backend is initialised only once.
 */
export function initBackend(requested?: string): Promise<BackendInfo> {
  const run = queue.then(() => select(requested));
  queue = run.catch(() => undefined);
  return run;
}

/** The backend the last successful `initBackend` made current, or undefined before that. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

async function select(requested: string | undefined): Promise<BackendInfo> {
  const key = requested !== undefined ? 'backend' : BACKEND_ENV;
  const choice = parseChoice(requested ?? process.env[BACKEND_ENV], key);
  let info: BackendInfo;
  if (choice === 'auto') {
    autoChoice ??= chooseBest();
    info = await autoChoice;
  } else {
    try {
      info = await load(choice);
    } catch (e) {
      throw new HamError('E_INPUT', `backend "${choice}" was requested but could not be initialised: ${reason(e)}`, { key });
    }
  }
  if (tf.engine().backendName !== info.name && !(await tf.setBackend(info.name))) {
    throw new HamError('E_INTERNAL', `tf.setBackend('${info.name}') failed after it had initialised once`);
  }
  current = info;
  return info;
}

function parseChoice(raw: string | undefined, key: string): BackendName | 'auto' {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'auto') return 'auto';
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new HamError('E_INPUT', `unknown backend "${raw}"; expected one of ${[...BACKEND_NAMES, 'auto'].join(', ')}`, { key });
}

async function chooseBest(): Promise<BackendInfo> {
  const skipped: SkippedBackend[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const info = await load(name);
      return { ...info, skipped: [...skipped, ...info.skipped] };
    } catch (e) {
      skipped.push({ backend: name, reason: reason(e) });
    }
  }
  throw new HamError('E_INTERNAL', `no TensorFlow.js backend could be initialised: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

function load(name: BackendName): Promise<BackendInfo> {
  let p = loads.get(name);
  if (!p) {
    p = LOADERS[name]();
    loads.set(name, p);
  }
  return p;
}

async function initCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') failed");
  // Its first tensor would print a banner recommending tfjs-node to the user; `hamstudio info` already says which
  // backend runs and why, so the banner would only be noise in CLI output and job logs.
  (tf.engine().findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false;
  return {
    name: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    version: tf.version['tfjs-backend-cpu'],
    gpu: false,
    simd: false,
    threads: false,
    skipped: [],
  };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
