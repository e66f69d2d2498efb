/**
 * How `npm start` runs the app (DESIGN.md §2): as an Electron window when Electron's binary is installed, otherwise
 * — or when asked with `--browser` — in browser mode (the same renderer and API served on 127.0.0.1). Electron's
 * npm package exports the path of its binary when required from Node; the package may be absent (an optional
 * dependency whose download failed) or present without the binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type LaunchMode = { mode: 'electron'; binary: string } | { mode: 'browser'; reason: string };

export function chooseLaunchMode(argv: readonly string[], resolveElectron: () => string = electronBinary): LaunchMode {
  if (argv.includes('--browser')) return { mode: 'browser', reason: 'asked for with --browser' };
  let binary: string;
  try {
    binary = resolveElectron();
  } catch {
    return { mode: 'browser', reason: 'Electron is not installed' };
  }
  if (!existsSync(binary)) return { mode: 'browser', reason: `Electron's binary is missing (${binary})` };
  return { mode: 'electron', binary };
}

function electronBinary(): string {
  return createRequire(import.meta.url)('electron') as string;
}
