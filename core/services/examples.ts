/** The example structures shipped in resources/examples, offered on the app's first screen. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExampleEntry } from '../contracts/api.ts';
import { resourcePath } from '../runtime/paths.ts';

export function listExamples(dir = resourcePath('examples')): ExampleEntry[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}
