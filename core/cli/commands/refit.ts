/** `hamstudio refit`: least-squares refit of a trained model's linear decoders on its own training structures. */
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { formatError } from '../../contracts/units.ts';
import { loadDataset } from '../../datasets/load.ts';
import type { HamiltonianSample } from '../../datasets/sample.ts';
import { saveModel } from '../../model/model-file.ts';
import { resolveModel } from '../../model/model-registry.ts';
import { initBackend } from '../../runtime/backend.ts';
import { refitDecoders } from '../../training/decoder-refit.ts';
import { checkCompatible, evaluate, type EvaluationResult } from '../../training/evaluate.ts';
import { recordedSplit, rootExcludes } from '../../training/training-data.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const refitCommand: Command = {
  name: 'refit',
  summary: "refit a trained model's linear decoders by least squares on its training structures",
  usage: `Usage: hamstudio refit --model <name|path> --data <dataset> [--data …] [--exclude <folder> …] --out <model-dir> [--batch-size n] [--backend <b>]

With the message-passing layers fixed, each decoder is a linear map from the last layer's features to the block
coefficients; this solves for the weights that minimise the training loss (weighted squared error) over the
training structures of the given datasets, which gradient training leaves short of its minimum. Each --data must be
a dataset the model was trained on (found by content hash; --exclude the folders its training left out): the
structures its training held out for validation stay out of the fit and measure the change, before and after.
Writes the refitted model to --out (a model folder; it may be the input's own folder, replaced in one rename),
with the refit recorded in model.json under training.refit.`,
  async run(args, io) {
    const { values } = parseCommandArgs('refit', args, {
      model: { type: 'string' }, data: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true },
      out: { type: 'string' }, 'batch-size': { type: 'string' }, backend: { type: 'string' },
    }, false);
    if (!values.model || !values.data?.length || !values.out) throw new HamError('E_INPUT', 'refit: --model, --data and --out are required');
    const batchSize = numberOption('refit', 'batch-size', values['batch-size'], 8);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new HamError('E_INPUT', `refit: --batch-size must be a positive integer, got '${values['batch-size']}'`);
    await initBackend(values.backend);
    const { model, info } = resolveModel(values.model);
    const train: HamiltonianSample[] = [];
    const heldOut: { path: string; samples: HamiltonianSample[] }[] = [];
    const datasets: { path: string; trained: number; heldOut: number }[] = [];
    const excludes = rootExcludes(values.data, values.exclude);
    for (const [k, d] of values.data.entries()) {
      const ds = await loadDataset(d, { exclude: excludes[k] });
      const split = recordedSplit(info.training, ds);
      checkCompatible(model, ds.samples, path.resolve(d));
      train.push(...split.train);
      if (split.heldOut.length > 0) heldOut.push({ path: d, samples: split.heldOut });
      datasets.push({ path: d, trained: split.train.length, heldOut: split.heldOut.length });
    }
    if (train.length === 0) throw new HamError('E_INPUT', 'refit: the model trained on none of these structures (only validated on them)');
    const before = heldOut.map((h) => evaluate(model, h.samples));
    const fit = refitDecoders(model, train, batchSize, (done, total) => io.err(`\rrefit: ${done}/${total} training structures`));
    io.err('\n');
    const after = heldOut.map((h) => evaluate(model, h.samples));
    const summary = (r: EvaluationResult) => ({ mae_H: r.mae_H, mae_H_onsite: r.mae_H_onsite, mae_H_offsite: r.mae_H_offsite, ...(r.mae_bands !== undefined ? { mae_bands: r.mae_bands } : {}) });
    const record = {
      command: `hamstudio refit ${args.join(' ')}`, datasets, structures: fit.structures, lossBefore: fit.mseBefore, lossAfter: fit.mseAfter,
      heldOut: heldOut.map((h, k) => ({ path: h.path, structures: h.samples.length, before: summary(before[k]), after: summary(after[k]) })),
    };
    await saveModel(values.out, model, { ...info, training: { ...info.training, refit: record } });
    const line = (r: EvaluationResult) => `H ${formatError(r.mae_H, r.unit)}${r.mae_bands !== undefined ? `, bands ${formatError(r.mae_bands, r.unit)}` : ''}`;
    io.out([
      `refit ${info.name} on ${fit.structures} training structures: training loss ${fit.mseBefore.toExponential(3)} → ${fit.mseAfter.toExponential(3)}`,
      ...heldOut.map((h, k) => `held out ${h.path} (${h.samples.length}): ${line(before[k])} → ${line(after[k])}`),
      `wrote ${values.out}`,
    ].join('\n'));
    return 0;
  },
};
