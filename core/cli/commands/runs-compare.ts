/** `hamstudio runs compare`: run folders side by side (architecture, seed, best validation error, cost). */
import { HamError } from '../../contracts/errors.ts';
import { formatError } from '../../contracts/units.ts';
import { summarizeRun } from '../../training/run-summary.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const runsCompareCommand: Command = {
  name: 'runs compare',
  summary: 'compare training runs (best validation MAE, epochs, time, throughput)',
  usage: 'Usage: hamstudio runs compare <run-dir> [<run-dir> …] [--json]\n\nOne line per run: arch, seed, epochs, best validation MAE (and its epoch), last validation MAE,\ntraining minutes and median structures/s.',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('runs compare', args, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new HamError('E_INPUT', 'runs compare: give one or more run folders');
    const rows = positionals.map(summarizeRun);
    if (values.json) {
      io.out(JSON.stringify(rows));
      return 0;
    }
    const width = Math.max(3, ...rows.map((r) => r.dir.length));
    io.out(`${'run'.padEnd(width)}  arch       seed  epochs  best val MAE (epoch)   last val MAE   minutes  structures/s`);
    for (const r of rows) {
      io.out(`${r.dir.padEnd(width)}  ${r.arch.padEnd(9)}  ${String(r.seed).padStart(4)}  ${String(r.epochs).padStart(6)}${r.finished ? ' ' : '+'}  ${`${formatError(r.bestValMae, r.unit)} (${r.bestEpoch})`.padStart(19)}  ${formatError(r.lastValMae, r.unit).padStart(13)}  ${r.minutes.toFixed(1).padStart(7)}  ${r.structuresPerSecond.toFixed(1).padStart(12)}`);
    }
    io.out("('+' after the epoch count: the run has not finished)");
    return 0;
  },
};
