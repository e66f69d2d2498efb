/**
 * Reading structure files: the one entry point that resolves the format (given, or detected from name and
 * content) and dispatches to its reader, like ase.io.read.
 */
import { readFile } from 'node:fs/promises';
import { HamError } from '../contracts/errors.ts';
import { detectFormat, getFormat } from './formats/registry.ts';
import { assertNotEmpty } from './formats/text.ts';
import type { Structure } from './structure.ts';

/** All frames of `text`; `fileName` names the file in errors and, without `format`, decides the format. */
export function parseStructures(text: string, fileName: string, format?: string): Structure[] {
  assertNotEmpty(text, fileName);
  return getFormat(format ?? detectFormat(fileName, text)).read(text, fileName);
}

export async function readStructures(path: string, opts: { format?: string } = {}): Promise<Structure[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HamError('E_NOT_FOUND', 'no such file', { file: path });
    if (code === 'EISDIR') throw new HamError('E_INPUT', 'is a directory, not a structure file', { file: path });
    throw new HamError('E_IO', `cannot read the file (${code ?? String(e)})`, { file: path });
  }
  return parseStructures(text, path, opts.format);
}
