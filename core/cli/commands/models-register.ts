/** `hamstudio models register`: put a trained model into the model library, with its training record. */
import { HamError } from '../../contracts/errors.ts';
import { registerModel } from '../../model/register-model.ts';
import { initBackend } from '../../runtime/backend.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const modelsRegisterCommand: Command = {
  name: 'models register',
  summary: 'register a trained model (with its training command and learning curve)',
  usage: `Usage: hamstudio models register <run-dir|model-dir> --name <name> [--description <text>] [--library <dir>] [--replace]

Copies the run's final model (or its best checkpoint) into the model library (default: the shipped models,
resources/models, or $HAMSTUDIO_MODELS_DIR), with training/run.json (settings and the exact command) and
training/metrics.jsonl (the learning curve).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('models register', args, {
      name: { type: 'string' }, description: { type: 'string' }, library: { type: 'string' }, replace: { type: 'boolean' },
    });
    if (positionals.length !== 1 || !values.name) throw new HamError('E_INPUT', 'models register: give one run or model folder and --name');
    await initBackend(); // the model is loaded (and checked) before it is copied
    const dir = await registerModel(positionals[0], { name: values.name, description: values.description, library: values.library, replace: values.replace });
    io.out(`registered ${values.name} in ${dir}`);
    return 0;
  },
};
