/**
 * The one TensorFlow.js entry point of the project: everything else imports `tf` from here, never from
 * `@tensorflow/tfjs` directly.
 *
 * In Node (tsx, vitest, plain `node`) this resolves to the package's CommonJS build, the same tfjs-core instance that
 * `@tensorflow/tfjs-backend-wasm` and the optional `@tensorflow/tfjs-node(-gpu)` register their backends into. A
 * second copy of tfjs-core (e.g. an ESM build next to the CJS one) would hold its own backend registry and silently
 * run on the wrong backend. Which backend runs is chosen once, by `initBackend` in ./backend.ts.
 */
export * from '@tensorflow/tfjs';
