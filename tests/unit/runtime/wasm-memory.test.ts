/** A failed wasm heap access becomes one clear message; other errors pass through. */
import { describe, expect, it } from 'vitest';
import { wasmMemoryFailure } from '../../../core/runtime/wasm-memory.ts';

// (module (memory 1) (func (export "f") (result i32) (i32.load (i32.const 70000)))): a load past its 64 KiB heap.
const outOfBounds = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0xf0, 0xa2, 0x04, 0x28, 0x02, 0x00, 0x0b,
]);

// The type-checked libraries here do not declare WebAssembly; Node provides it.
const wasm = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;

describe('wasm memory failures', () => {
  it('a heap access out of bounds names the cause and the remedy', async () => {
    const { instance } = await wasm.instantiate(outOfBounds);
    let caught: unknown;
    try {
      (instance.exports.f as () => number)();
    } catch (e) {
      caught = e;
    }
    const err = wasmMemoryFailure(caught);
    expect(err?.code).toBe('E_INTERNAL');
    expect(err?.message).toMatch(/memory access out of bounds.*out of memory.*--batch-size.*--resume/);
  });

  it('other errors are not mistaken for it', () => {
    expect(wasmMemoryFailure(new Error('memory access out of bounds'))).toBeUndefined();
    expect(wasmMemoryFailure(new TypeError('x is undefined'))).toBeUndefined();
  });
});
