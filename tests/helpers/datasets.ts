/**
 * Where the shared reference datasets live. CI lays the repository out with `../shared/datasets` beside it;
 * HAMSTUDIO_DATASETS points elsewhere.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function datasetsRoot(): string {
  return process.env.HAMSTUDIO_DATASETS ?? path.resolve(repoRoot, '../shared/datasets');
}

export function datasetPath(name: string): string {
  return path.join(datasetsRoot(), name);
}
