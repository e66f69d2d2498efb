/**
 * File access shared by the dataset readers: required files named in the error when missing, JSON and
 * whitespace-separated number tables parsed with the file and line in every message.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';

/** Path of `name` inside `dir`; E_FORMAT naming the file when the layout requires it and it is missing. */
export function requireFile(dir: string, name: string, layout: string): string {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new HamError('E_FORMAT', `missing file required by the ${layout} layout`, { file });
  return file;
}

export function optionalFile(dir: string, name: string): string | undefined {
  const file = path.join(dir, name);
  return existsSync(file) ? file : undefined;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new HamError('E_IO', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file });
  }
}

export function readJsonObject(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof HamError) throw e;
    throw new HamError('E_FORMAT', `not valid JSON: ${(e as Error).message}`, { file });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HamError('E_FORMAT', 'expected a JSON object', { file });
  return v as Record<string, unknown>;
}

/**
 * A whitespace-separated table of numbers, one row per non-empty line (as numpy.savetxt writes). Each entry must
 * be a finite number; `rows` and `cols`, when given, are required exactly.
 */
export function readNumberTable(file: string, expect: { rows?: number; cols?: number } = {}): number[][] {
  const table: number[][] = [];
  readText(file).split(/\r?\n/).forEach((line, k) => {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) return;
    table.push(tokens.map((t) => {
      const x = Number(t);
      if (!Number.isFinite(x)) throw new HamError('E_FORMAT', `'${t}' is not a finite number`, { file, line: k + 1 });
      return x;
    }));
    if (expect.cols !== undefined && tokens.length !== expect.cols) {
      throw new HamError('E_FORMAT', `expected ${expect.cols} numbers on the line, found ${tokens.length}`, { file, line: k + 1 });
    }
  });
  if (expect.rows !== undefined && table.length !== expect.rows) {
    throw new HamError('E_FORMAT', `expected ${expect.rows} lines of numbers, found ${table.length}`, { file });
  }
  return table;
}

/** Sub-folders of `dir` sorted by name, numbers compared numerically ("2" before "10"). */
export function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() || (d.isSymbolicLink() && statSync(path.join(dir, d.name)).isDirectory()))
    .map((d) => d.name)
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
