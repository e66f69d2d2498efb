/** `hamstudio info`: version, runtime and what ships with this installation. */
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { knownBasisSets } from '../../basis/library.ts';
import { softwareVersion } from '../../runtime/version.ts';

export const infoCommand: Command = {
  name: 'info',
  summary: 'version, runtime and shipped resources',
  usage: 'Usage: hamstudio info [--json]\n\nPrints the version, the Node.js runtime and the basis sets shipped.',
  async run(args, io) {
    const { values } = parseCommandArgs('info', args, { json: { type: 'boolean' } }, false);
    const info = { name: 'Hamiltonian Studio', version: softwareVersion(), node: process.version, basisSets: knownBasisSets() };
    if (values.json) io.out(JSON.stringify(info));
    else io.out(`${info.name} ${info.version}\nnode ${info.node}\nbasis sets: ${info.basisSets.join(', ')}`);
    return 0;
  },
};
