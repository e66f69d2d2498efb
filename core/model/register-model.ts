/**
 * Registering a trained model in a model library (by default the shipped one, resources/models): the model files
 * of a run's best checkpoint (or its final model/), plus the run's record — run.json with the exact training command,
 * and metrics.jsonl, the learning curve — under training/, so anyone can see how it was made and retrain it.
 * A run warm-started from another model (`train --init`) keeps that model's own record under training/init/ and
 * names it in model.json (`training.init`), so the whole lineage — every command, every learning curve — stays
 * with the model, also when it replaces the model it started from.
 * Published with one rename; an existing model of the same name is replaced only when asked.
 */
import { copyFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic-write.ts';
import { loadModel, writeModelFiles } from './model-file.ts';
import { shippedModelsDir } from './model-registry.ts';
import { resourcesDir } from '../runtime/paths.ts';

const PROJECT_ROOT = path.dirname(path.resolve(resourcesDir()));

export interface RegisterOptions {
  name: string;
  description?: string;
  library?: string;
  replace?: boolean;
}

/** `source` is a run folder (its model/, else checkpoints/best) or a model folder. Returns the new model's folder. */
export async function registerModel(source: string, opts: RegisterOptions): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(opts.name)) throw new HamError('E_INPUT', `model name '${opts.name}' must be letters, digits, '.', '_' or '-'`);
  const runDir = existsSync(path.join(source, 'run.json')) ? source : undefined;
  const modelDir = runDir
    ? [path.join(runDir, 'model'), path.join(runDir, 'checkpoints', 'best')].find((d) => existsSync(path.join(d, 'model.json')))
    : source;
  if (!modelDir) throw new HamError('E_NOT_FOUND', 'the run has no model yet (no model/ and no checkpoints/best)', { file: source });
  const { model, info } = loadModel(modelDir);
  const run = runDir ? (JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>) : undefined;
  const target = path.join(opts.library ?? shippedModelsDir(), opts.name);
  if (existsSync(target) && !opts.replace) throw new HamError('E_INPUT', `a model named '${opts.name}' exists; choose another name or replace it`, { file: target });
  // Dataset paths as seen from the project folder (the training command's working directory), not this machine's.
  // Paths inside strings too (the command line): every absolute path under the project's parent folder.
  const near = path.dirname(PROJECT_ROOT);
  const relativeIn = (text: string) => text.replace(/(^|\s)(\/\S+)/g, (m, pre: string, p: string) => (p.startsWith(near) ? `${pre}${path.relative(PROJECT_ROOT, p) || '.'}` : m));
  const relative = <T>(value: T): T => JSON.parse(JSON.stringify(value), (_, v: unknown) => (typeof v === 'string' ? relativeIn(v) : v)) as T;
  const initDir = (run?.settings as { init?: string } | undefined)?.init;
  const init = initDir && existsSync(path.join(initDir, 'model.json')) ? loadModel(initDir).info : undefined;
  await writeDirectoryAtomic(target, (tmp) => {
    writeModelFiles(tmp, model, {
      ...info, name: opts.name, description: opts.description ?? info.description,
      training: relative({
        ...info.training, command: run?.command, run: run ? 'training/run.json' : undefined, learningCurve: run ? 'training/metrics.jsonl' : undefined,
        // Resumes that changed the budget or the averaging (train --resume --minutes/--epochs/--swa) belong to the recipe.
        ...(run?.resumed ? { resumed: run.resumed } : {}),
        // Its record's paths (training/…) as they are after the copy below (training/init/…).
        ...(init ? { init: { model: init.name, training: JSON.parse(JSON.stringify(init.training ?? {}).replaceAll('"training/', '"training/init/')) as unknown } } : {}),
      }),
    });
    // The starting model's record (its training/ folder, itself possibly holding an init/), read before any replace.
    if (initDir && existsSync(path.join(initDir, 'training'))) cpSync(path.join(initDir, 'training'), path.join(tmp, 'training', 'init'), { recursive: true });
    if (runDir) {
      writeFileAtomic(path.join(tmp, 'training', 'run.json'), `${JSON.stringify(relative(run), null, 1)}\n`);
      copyFileSync(path.join(runDir, 'metrics.jsonl'), path.join(tmp, 'training', 'metrics.jsonl'));
    }
  }, { replace: opts.replace });
  return target;
}
