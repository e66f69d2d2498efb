/**
 * The built renderer browser mode serves: renderer/dist, built with Vite on first start from a source checkout
 * (a packaged app ships it built).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const RENDERER_DIST = path.join(repoRoot, 'renderer', 'dist');

export function ensureRendererBuilt(log: (line: string) => void): string {
  if (existsSync(path.join(RENDERER_DIST, 'index.html'))) return RENDERER_DIST;
  log('building the renderer (first start) …');
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(repoRoot, 'renderer', 'vite.config.ts')], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the renderer build failed (vite exited with ${r.status ?? r.signal})`);
  return RENDERER_DIST;
}
