/**
 * Bundles for the Electron shell (esbuild, which Vite already brings): the main process as ESM with the npm packages
 * left external (resolved from node_modules at run time, native tfjs addons included), and the sandboxed preload as
 * one CommonJS file that requires only `electron`.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const ELECTRON_OUT = path.join(repoRoot, 'out', 'electron');

export async function buildElectronBundles(): Promise<{ main: string; preload: string }> {
  const main = path.join(ELECTRON_OUT, 'main.mjs');
  const preload = path.join(ELECTRON_OUT, 'preload.cjs');
  await build({ entryPoints: [path.join(repoRoot, 'main/electron/main.ts')], outfile: main, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  await build({ entryPoints: [path.join(repoRoot, 'main/electron/preload.ts')], outfile: preload, bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'error' });
  return { main, preload };
}
