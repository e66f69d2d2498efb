/** What the app runs on, as `hamstudio info` reports it. */
import type { AppInfo } from '../contracts/api.ts';
import { knownBasisSets } from '../basis/library.ts';
import { shippedModelsDir } from '../model/model-registry.ts';
import { initBackend } from '../runtime/backend.ts';
import { softwareVersion } from '../runtime/version.ts';

export async function appInfo(): Promise<AppInfo> {
  const backend = await initBackend();
  return {
    name: 'Hamiltonian Studio',
    version: softwareVersion(),
    node: process.version,
    backend: backend.name,
    modelsDir: shippedModelsDir(),
    basisSets: knownBasisSets(),
  };
}
