/** `hamstudio export`: hand a prediction (or a DeepH folder's H and S) to another code, in that code's format. */
import { HamError } from '../../contracts/errors.ts';
import { EXPORT_FORMATS } from '../../export/registry.ts';
import { exportHamiltonian } from '../../export/service.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const width = Math.max(...EXPORT_FORMATS.map((f) => f.name.length));

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a prediction for PySCF, psi4, Molden, DeepH, Wannier90 or NumPy',
  usage: `Usage: hamstudio export <source-dir> --format ${EXPORT_FORMATS.map((f) => f.name).join('|')} --out <dir> [--order <convention>] [--force]

<source-dir> is a folder written by 'hamstudio predict' (a molecule) or a legacy DeepH folder (a crystal). The
export is written to a new folder <dir> (an existing non-empty one only with --force), complete or not at all;
its files name their units and orbital order.

Formats:
${EXPORT_FORMATS.map((f) => `  ${f.name.padEnd(width)}  ${f.summary} (${f.kinds.join(', ')})`).join('\n')}

--order applies to npy (default wiki) and deeph (default: the source's order; openmx for DeepH-pack, gpaw, …);
the other formats are in their code's own order.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('export', args, {
      format: { type: 'string' }, out: { type: 'string' }, order: { type: 'string' }, force: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new HamError('E_INPUT', 'export: give exactly one source folder');
    if (!values.format) throw new HamError('E_INPUT', `export: --format is required (${EXPORT_FORMATS.map((f) => f.name).join(', ')})`);
    if (!values.out) throw new HamError('E_INPUT', 'export: --out <dir> is required');
    const r = await exportHamiltonian({ source: positionals[0], format: values.format, out: values.out, order: values.order, force: values.force });
    io.out(`${r.format} export of a ${r.kind} (${r.order} order) written to ${values.out}: ${r.files.join(', ')}`);
    return 0;
  },
};
