/** `hamstudio info`: version, compute backend, and the models and basis sets this installation ships. */
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { knownBasisSets } from '../../basis/library.ts';
import { listModels, shippedModelsDir } from '../../model/model-registry.ts';
import { initBackend } from '../../runtime/backend.ts';
import { softwareVersion } from '../../runtime/version.ts';
import { elementSymbol } from '../../structure/elements.ts';

export const infoCommand: Command = {
  name: 'info',
  summary: 'version, compute backend, shipped models and basis sets',
  usage: 'Usage: hamstudio info [--json] [--backend <b>]\n\nPrints the version, the TensorFlow.js backend that runs (and why better ones did not), the shipped models and basis sets.',
  async run(args, io) {
    const { values } = parseCommandArgs('info', args, { json: { type: 'boolean' }, backend: { type: 'string' } }, false);
    const backend = await initBackend(values.backend);
    const models = listModels();
    const info = { name: 'Hamiltonian Studio', version: softwareVersion(), node: process.version, backend, modelsDir: shippedModelsDir(), models, basisSets: knownBasisSets() };
    if (values.json) {
      io.out(JSON.stringify(info));
      return 0;
    }
    const flags = [backend.simd && 'SIMD', backend.threads && 'threads', backend.gpu && 'GPU'].filter(Boolean).join(', ');
    io.out([
      `${info.name} ${info.version} (Node.js ${info.node})`,
      `backend     ${backend.name} (${backend.package} ${backend.version}${flags ? `; ${flags}` : ''})`,
      ...backend.skipped.map((s) => `            not used: ${s.backend}: ${s.reason}`),
      `models      ${models.length === 0 ? `none in ${info.modelsDir}` : ''}`,
      ...models.map((m) => `  ${m.name.padEnd(24)} ${m.arch.padEnd(10)} ${m.elements.map(elementSymbol).join(' ').padEnd(12)} ${m.basis} (${m.unit})`),
      `basis sets  ${info.basisSets.join(', ')}`,
    ].join('\n'));
    return 0;
  },
};
