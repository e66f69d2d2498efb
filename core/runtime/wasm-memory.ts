import { HamError } from '../contracts/errors.ts';

/**
 * The wasm heap is 32-bit (at most 4 GiB). When it is exhausted Emscripten aborts (`RuntimeError: Aborted()`) or a
 * kernel writes past the heap (`memory access out of bounds`); both leave the backend unusable. Such a failure
 * becomes one clear message with what to change, instead of a stack trace.
 */
export function wasmMemoryFailure(e: unknown): HamError | undefined {
  // WebAssembly.RuntimeError, recognised by name (the type-checked libraries here do not declare WebAssembly).
  if (!(e instanceof Error) || e.name !== 'RuntimeError' || !/Aborted|memory access out of bounds/.test(e.message)) return undefined;
  return new HamError('E_INTERNAL', `the wasm backend failed (${e.message.split('.')[0]}), almost certainly out of memory: its heap holds at most 4 GiB. For training use a smaller --batch-size (every finished epoch is kept: continue with --resume); a native TensorFlow backend (@tensorflow/tfjs-node) has no such limit`);
}
