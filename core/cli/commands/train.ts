/** `hamstudio train`: train a model on one or more datasets into a run folder (resumable). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { writeFileAtomic } from '../../io/atomic-write.ts';
import { formatError } from '../../contracts/units.ts';
import { ARCHS, DEFAULT_ARCHITECTURE, type Arch, type Architecture } from '../../model/architecture.ts';
import { initBackend } from '../../runtime/backend.ts';
import { loadModel } from '../../model/model-file.ts';
import type { HamiltonianModel } from '../../model/hamiltonian-model.ts';
import { LOSS_KINDS, type LossKind } from '../../model/loss.ts';
import { grownArchitecture, type Growth } from '../../model/grow-model.ts';
import { resolveModelDir } from '../../model/model-registry.ts';
import { checkCompatible } from '../../training/evaluate.ts';
import { loadTrainingData, recordedSplits, resolveArchitecture, type DataRequest } from '../../training/training-data.ts';
import { assertNewRun, DEFAULT_TRAIN_SETTINGS, train, type TrainSettings } from '../../training/trainer.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

/** The options that grow an --init model (grow-model.ts) and the architecture fields they set. */
const GROWTH_OPTIONS = [['layers', 'layers'], ['radial-basis', 'radialBasis'], ['radial-hidden', 'radialHidden'], ['channels', 'channels']] as const;

const USAGE = `Usage: hamstudio train --data <dataset> [--data <dataset> …] --out <run-dir> [options]

Trains a Hamiltonian model. Runs are folders (run.json, metrics.jsonl, log.txt, checkpoints/, model/); a killed
run continues with --resume and loses at most the epoch in progress.

Options:
  --data <dir>         training dataset (matrix-stack or DeepH folder); repeat for several
  --val <dir>          validation dataset (default: --val-fraction of each --data, split by --seed)
  --exclude <name>     a structure folder of a --data DeepH root to leave out (e.g. pristine); repeatable
  --val-fraction <f>   held-out fraction when no --val is given (default 0.1)
  --out <dir>          run folder
  --arch <a>           ${ARCHS.join(' | ')} (default tracegrad)
  --config <file>      JSON with architecture fields (channels, layers, lmax, cutoff, tracegrad, …)
  --init <model>       start from a model's weights, architecture and normalisation (name or folder), e.g. to
                       train a shipped model further; excludes --arch and --config
  --layers <n>         with --init: append message-passing layers up to n that start as the identity, so training
                       continues from the model's predictions with more depth
  --radial-basis <n>, --radial-hidden <n>   with --init: more Bessel functions / hidden units in the radial
                       networks, the new ones starting without effect on the predictions
  --channels <n>       with --init: n channels per l in every feature, the new ones starting without effect on
                       the predictions (prediction and training cost grow with them)
  --epochs <n> | --minutes <m>   stop after n epochs, or at the end of the first epoch that ends past m minutes of
                       training (default: early stopping)
  --batch-size <n>     structures per step (default ${DEFAULT_TRAIN_SETTINGS.batchSize})
  --lr <x>             peak learning rate (default ${DEFAULT_TRAIN_SETTINGS.lr})
  --schedule <s>       plateau (halve after ${DEFAULT_TRAIN_SETTINGS.plateauPatience} epochs without improvement; default) or
                       cosine (decay to ${DEFAULT_TRAIN_SETTINGS.minLr} over --epochs or --minutes; for fair comparisons)
  --lambda <x>         weight of the trace loss (default ${DEFAULT_TRAIN_SETTINGS.lambda})
  --loss <l>           ${LOSS_KINDS.join(' | ')}: the H loss on the normalised coefficients (default mse; rmse+mae
                       aims at the entrywise MAE that eval reports)
  --onsite-weight <w>  multiply the loss weight of on-site blocks by w (default 1); for crystals, whose band
                       energies hinge on the on-site blocks that are ~2 % of the entries
  --swa <f>            average the weights of every epoch in the last fraction f of the budget (stochastic weight
                       averaging, e.g. 0.3; needs --epochs or --minutes); the mean is validated each epoch and kept
                       as the model when it beats the best single epoch
  --seed <n>           seed of initialisation and data order (default 0)
  --split-seed <n>     seed of the validation split (default: --seed); with --init, a dataset its model trained on
                       keeps the split that model recorded, so what it held out stays unseen
  --resume             continue the run in --out from its last checkpoint; --epochs, --minutes and --swa given
                       with it change the budget and averaging (recorded in run.json under "resumed")
  --backend <b>        tensorflow | wasm | cpu (default: the fastest available)`;

function readConfig(file: string): Partial<Architecture> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<Architecture>;
  } catch (e) {
    throw new HamError('E_FORMAT', `cannot read architecture config: ${(e as Error).message}`, { file });
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model on datasets into a resumable run folder',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs('train', args, {
      data: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true }, val: { type: 'string', multiple: true }, 'val-fraction': { type: 'string' },
      out: { type: 'string' }, arch: { type: 'string' }, config: { type: 'string' }, init: { type: 'string' }, layers: { type: 'string' }, 'radial-basis': { type: 'string' }, 'radial-hidden': { type: 'string' }, channels: { type: 'string' }, epochs: { type: 'string' },
      minutes: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' }, lambda: { type: 'string' }, loss: { type: 'string' }, 'onsite-weight': { type: 'string' },
      schedule: { type: 'string' }, seed: { type: 'string' }, 'split-seed': { type: 'string' }, swa: { type: 'string' }, resume: { type: 'boolean' }, backend: { type: 'string' },
    }, false);
    if (!values.out) throw new HamError('E_INPUT', 'train: --out <run-dir> is required');
    const runDir = path.resolve(values.out);
    let settings: TrainSettings;
    let arch: Architecture;
    let dataReq: DataRequest;
    let initModel: HamiltonianModel | undefined;
    if (values.resume) {
      // A resumed run uses exactly its recorded settings, data and architecture.
      const file = path.join(runDir, 'run.json');
      let run: { settings: TrainSettings; architecture: Architecture; request: typeof dataReq; resumed?: { at: string; command: string }[] };
      try {
        run = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        throw new HamError('E_NOT_FOUND', `no run to resume (cannot read ${file})`);
      }
      settings = { ...run.settings };
      if (values.epochs) settings.epochs = numberOption('train', 'epochs', values.epochs, 0);
      if (values.minutes) settings.minutes = numberOption('train', 'minutes', values.minutes, 0);
      if (values.swa) settings.average = numberOption('train', 'swa', values.swa, 0);
      if (values.epochs || values.minutes || values.swa) {
        // The record says what the run was trained with: the changed settings and the command that changed them.
        run.settings = settings;
        run.resumed = [...(run.resumed ?? []), { at: new Date().toISOString(), command: `hamstudio train ${args.join(' ')}` }];
        writeFileAtomic(file, `${JSON.stringify(run, null, 1)}\n`);
      }
      arch = run.architecture;
      dataReq = run.request;
    } else {
      assertNewRun(runDir);
      if (!values.data?.length) throw new HamError('E_INPUT', 'train: give at least one --data <dataset>');
      const kind = (values.arch ?? 'tracegrad') as Arch;
      if (!(ARCHS as readonly string[]).includes(kind)) throw new HamError('E_INPUT', `train: --arch must be one of ${ARCHS.join(', ')}, got '${values.arch}'`);
      const seed = numberOption('train', 'seed', values.seed, 0);
      const schedule = values.schedule ?? 'plateau';
      if (schedule !== 'plateau' && schedule !== 'cosine') throw new HamError('E_INPUT', `train: --schedule must be plateau or cosine, got '${schedule}'`);
      const loss = (values.loss ?? 'mse') as LossKind;
      if (!LOSS_KINDS.includes(loss)) throw new HamError('E_INPUT', `train: --loss must be one of ${LOSS_KINDS.join(', ')}, got '${values.loss}'`);
      const onsiteWeight = values['onsite-weight'] ? numberOption('train', 'onsite-weight', values['onsite-weight'], 1) : undefined;
      if (onsiteWeight !== undefined && !(onsiteWeight > 0)) throw new HamError('E_INPUT', `train: --onsite-weight must be positive, got '${values['onsite-weight']}'`);
      if (schedule === 'cosine' && !values.epochs && !values.minutes) throw new HamError('E_INPUT', 'train: --schedule cosine needs a budget: --epochs or --minutes');
      settings = {
        ...DEFAULT_TRAIN_SETTINGS, seed, schedule,
        batchSize: numberOption('train', 'batch-size', values['batch-size'], DEFAULT_TRAIN_SETTINGS.batchSize),
        lr: numberOption('train', 'lr', values.lr, DEFAULT_TRAIN_SETTINGS.lr),
        lambda: numberOption('train', 'lambda', values.lambda, DEFAULT_TRAIN_SETTINGS.lambda),
        loss,
        onsiteWeight,
        epochs: values.epochs ? numberOption('train', 'epochs', values.epochs, 0) : undefined,
        minutes: values.minutes ? numberOption('train', 'minutes', values.minutes, 0) : undefined,
        average: values.swa ? numberOption('train', 'swa', values.swa, 0) : undefined,
      };
      dataReq = { data: values.data.map((d) => path.resolve(d)), exclude: values.exclude, val: values.val?.map((d) => path.resolve(d)), valFraction: numberOption('train', 'val-fraction', values['val-fraction'], 0.1), seed: numberOption('train', 'split-seed', values['split-seed'], seed) };
      arch = { ...DEFAULT_ARCHITECTURE, ...(values.config ? readConfig(values.config) : {}), arch: kind } as Architecture;
      if (values.init) {
        if (values.arch || values.config) throw new HamError('E_INPUT', 'train: --init takes the architecture of its model; drop --arch and --config');
        settings.init = resolveModelDir(values.init);
        const grow: Growth = {};
        for (const [option, key] of GROWTH_OPTIONS) if (values[option]) grow[key] = numberOption('train', option, values[option], 0);
        if (Object.keys(grow).length > 0) settings.grow = grow;
      } else {
        const option = GROWTH_OPTIONS.find(([o]) => values[o]);
        if (option) throw new HamError('E_INPUT', `train: --${option[0]} grows an --init model; for a new model put "${option[1]}" in --config`);
      }
    }
    const backend = await initBackend(values.backend);
    // Weights are tensors, so the init model loads once a backend is ready.
    if (settings.init && !values.resume) {
      const init = loadModel(settings.init);
      initModel = init.model;
      dataReq.keepSplits = recordedSplits(init.info.training);
      arch = grownArchitecture(initModel.arch, settings.grow ?? {});
    }
    io.out(`backend ${backend.name}; loading data …`);
    const { data, fields } = await loadTrainingData(dataReq);
    if (initModel) checkCompatible(initModel, [...data.train, ...data.val], settings.init!);
    else if (!values.resume) arch = resolveArchitecture(arch, fields, data.train);
    const command = `hamstudio train ${args.join(' ')}`;
    // A one-line progress bar on a terminal's stderr, cleared before each epoch's summary line on stdout.
    const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r${text.padEnd(100)}\r`) : undefined;
    const eta = (m: { epoch: number; elapsedSeconds: number }) => {
      const perEpoch = m.elapsedSeconds / m.epoch;
      const left = settings.epochs !== undefined ? (settings.epochs - m.epoch) * perEpoch
        : settings.minutes !== undefined ? settings.minutes * 60 - m.elapsedSeconds : undefined;
      return left === undefined ? '' : `  ETA ${Math.max(0, left / 60).toFixed(1)} min`;
    };
    // Ctrl-C or the app's cancel: stop after the current step; finished epochs are checkpointed and kept.
    let stop = false;
    const onSignal = () => { stop = true; };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const result = await train(runDir, arch, settings, data, {
      shouldStop: () => stop,
      log: (line) => io.out(line),
      step: progress && ((epoch, done, total, loss) => {
        const bar = '#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.');
        progress(`epoch ${epoch} [${bar}] ${done}/${total}  loss ${loss.toPrecision(4)}`);
      }),
      epoch: (m) => { progress?.(''); io.out(`epoch ${String(m.epoch).padStart(4)}  loss ${m.loss.toPrecision(4)}  val MAE ${formatError(m.valMae, fields.unit)} (on-site ${formatError(m.valMaeOnsite, fields.unit)}, off-site ${formatError(m.valMaeOffsite, fields.unit)})  lr ${m.lr.toExponential(2)}  ${m.samplesPerSecond.toFixed(1)} structures/s  ${(m.elapsedSeconds / 60).toFixed(1)} min${eta(m)}${m.valMaeAverage !== undefined ? `  average of ${m.averagedEpochs} epochs ${formatError(m.valMaeAverage, fields.unit)}` : ''}${m.best ? (m.bestIsAverage ? '  * (average)' : '  *') : ''}`); },
    }, values.resume ?? false, { command, request: dataReq }).finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    io.out(`done (${result.stopReason}) after ${result.epochs} epochs; best validation MAE ${formatError(result.best.mae, fields.unit)}; model in ${result.modelDir}`);
    return 0;
  },
};
