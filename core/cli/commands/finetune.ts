/**
 * `hamstudio finetune`: label snapshots of a structure with DFT — psi4 for a molecule, GPAW for a crystal — fine-tune a
 * model on them, report before/after.
 */
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { formatError } from '../../contracts/units.ts';
import { writeFinetuneReport } from '../../export/finetune-report.ts';
import { resolveModelDir, defaultModelDirFor } from '../../model/model-registry.ts';
import { initBackend } from '../../runtime/backend.ts';
import { readStructures } from '../../structure/read.ts';
import { isPeriodic } from '../../structure/structure.ts';
import { DEFAULT_LABEL_JOBS, finetune } from '../../training/finetune.ts';
import { xtbAvailable } from '../../labelers/xtb-md.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'label snapshots of a molecule (psi4) or crystal (GPAW) and fine-tune a model on them (before/after report)',
  usage: `Usage: hamstudio finetune --structure <file> --out <dir> [--model <name|path>] [--n N]
                          [--sampling md|thermal] [--temperature K] [--sigma Å] [--strain ε] [--seed S]
                          [--kmesh n1,n2,n3] [--h Å] [--jobs J] [--budget-minutes M] [--minutes T | --epochs E]

Makes 3 × N candidate snapshots of the molecule — by xtb molecular dynamics at --temperature (default 500 K) when
xtb is installed, else (or with --sampling thermal) atoms displaced by N(0, σ²), default σ = 0.05 Å — ranks them by
the model's uncertainty (trace head against decoded blocks), labels the N (default 12) most uncertain with psi4 (PBE in the model's basis; J processes at once, default 2), holds a quarter out, fine-tunes the model
(default: the shipped model for the elements) with its embeddings and first layer frozen for T minutes (default 3)
or E epochs, and compares the base and the fine-tuned model on the held-out snapshots. --budget-minutes times the
first SCF and labels only as many snapshots as fit. The fine-tuned model is saved in <dir>/model only when it is
better; <dir>/report.html and report.json hold the comparison. Everything is kept in <dir>: the same command again
resumes (finished SCFs are not recomputed; a failed SCF is recorded and skipped). Needs psi4 (apt-get install psi4).

A crystal (a structure with a cell, e.g. POSCAR) is labelled with GPAW LCAO in the crystal model's basis (e.g.
graphene-dzp): thermal snapshots only, half of them also strained by up to --strain (default 0.01) within the
periodic plane, as in the graphene set; xc, Fermi–Dirac width, k-point density and grid spacing are those of the
model's training data (--kmesh and --h override the k-mesh and the grid spacing in Å). The comparison adds the
band error within ±2 eV of E_F on the SCF k-mesh. Needs GPAW (apt-get install gpaw gpaw-data python3-h5py).`,
  async run(args, io) {
    const { values } = parseCommandArgs('finetune', args, {
      structure: { type: 'string' }, out: { type: 'string' }, model: { type: 'string' }, n: { type: 'string' }, sigma: { type: 'string' },
      strain: { type: 'string' }, kmesh: { type: 'string' }, h: { type: 'string' },
      sampling: { type: 'string' }, temperature: { type: 'string' },
      seed: { type: 'string' }, jobs: { type: 'string' }, 'budget-minutes': { type: 'string' }, minutes: { type: 'string' }, epochs: { type: 'string' },
      backend: { type: 'string' },
    }, false);
    if (!values.structure || !values.out) throw new HamError('E_INPUT', 'finetune: --structure <file> and --out <dir> are required');
    if (values.minutes && values.epochs) throw new HamError('E_INPUT', 'finetune: give --minutes or --epochs, not both');
    const structure = (await readStructures(values.structure))[0];
    const crystal = isPeriodic(structure);
    const sampling = values.sampling ?? (!crystal && xtbAvailable() ? 'md' : 'thermal');
    if (sampling !== 'md' && sampling !== 'thermal') throw new HamError('E_INPUT', `finetune: --sampling must be md or thermal, got '${sampling}'`);
    if (crystal && sampling === 'md') throw new HamError('E_INPUT', 'finetune: --sampling md (xtb) is for molecules; a crystal is sampled with thermal displacements and strain');
    if (!crystal && (values.strain || values.kmesh || values.h)) throw new HamError('E_INPUT', 'finetune: --strain, --kmesh and --h are for crystals (GPAW); this structure has no cell', { file: values.structure });
    const kmesh = values.kmesh?.split(',').map(Number);
    if (kmesh && (kmesh.length !== 3 || !kmesh.every((n) => Number.isInteger(n) && n >= 1))) throw new HamError('E_INPUT', `finetune: --kmesh must be three positive integers n1,n2,n3, got '${values.kmesh}'`);
    await initBackend(values.backend);
    const modelDir = values.model ? resolveModelDir(values.model) : defaultModelDirFor(structure.numbers);
    const outDir = path.resolve(values.out);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const report = await finetune({
        modelDir, structure, name: path.basename(values.structure), outDir,
        count: numberOption('finetune', 'n', values.n, 12), sampling, temperature: numberOption('finetune', 'temperature', values.temperature, 500), sigma: numberOption('finetune', 'sigma', values.sigma, 0.05),
        strain: crystal ? numberOption('finetune', 'strain', values.strain, 0.01) : undefined,
        kmesh: kmesh as [number, number, number] | undefined, h: values.h ? numberOption('finetune', 'h', values.h, 0) : undefined,
        seed: numberOption('finetune', 'seed', values.seed, 0), jobs: numberOption('finetune', 'jobs', values.jobs, DEFAULT_LABEL_JOBS),
        budgetMinutes: values['budget-minutes'] ? numberOption('finetune', 'budget-minutes', values['budget-minutes'], 0) : undefined,
        minutes: values.minutes ? numberOption('finetune', 'minutes', values.minutes, 0) : undefined,
        epochs: values.epochs ? numberOption('finetune', 'epochs', values.epochs, 0) : undefined,
      }, {
        log: (line) => io.out(line),
        label: (p) => { if (p.last) io.out(`labelled ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}${p.last.seconds !== undefined ? `; SCF ${p.last.seconds.toFixed(1)} s` : `; skipped: ${p.last.reason}`}`); },
      }, abort.signal);
      const files = writeFinetuneReport(outDir, report);
      const u = report.before.unit;
      const { before, after } = report;
      io.out([
        `held-out H MAE  base ${formatError(before.mae_H, u)} → fine-tuned ${formatError(after.mae_H, u)} (${report.validation} structures)`,
        ...(before.mae_bands !== undefined && after.mae_bands !== undefined ? [`band MAE        base ${formatError(before.mae_bands, 'eV')} → fine-tuned ${formatError(after.mae_bands, 'eV')} (±2 eV of E_F, SCF k-mesh)`] : []),
        `verdict         ${report.improved ? `better; model saved in ${report.model}` : 'not better; base model kept'}`,
        `report          ${files.html}`,
      ].join('\n'));
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
