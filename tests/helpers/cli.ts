/** Running the hamstudio CLI as a user would (a child process on the wasm backend), and what a user error looks like. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/hamstudio.mjs');

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export function cli(...args: string[]): CliResult {
  return cliWithEnv({}, ...args);
}

/** `cli` with extra environment variables. */
export function cliWithEnv(env: Record<string, string>, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, HAMSTUDIO_BACKEND: 'wasm', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Exit code 2, one line on stderr matching `pattern`, no stack trace. */
export function expectUserError(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(pattern);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
}
