/**
 * Where shipped resources live. From a source checkout they sit at the repository's `resources/`; a packaged app
 * (or a test) points elsewhere with HAMSTUDIO_RESOURCES.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export function resourcesDir(): string {
  return process.env.HAMSTUDIO_RESOURCES ?? fileURLToPath(new URL('../../resources/', import.meta.url));
}

export function resourcePath(...parts: string[]): string {
  return path.join(resourcesDir(), ...parts);
}
