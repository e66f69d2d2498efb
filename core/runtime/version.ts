/** The software version recorded in runs and model files: package.json's version. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function softwareVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
