/** Argument parsing shared by every command: node's parseArgs with errors turned into user-facing messages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HamError } from '../contracts/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, positionals = true) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: positionals, strict: true });
  } catch (e) {
    const message = (e as Error).message.replace(/\s*To specify.*$/s, '').replace(/\s*\n\s*/g, ' ');
    throw new HamError('E_INPUT', `${command}: ${message} (see 'hamstudio ${command} --help')`);
  }
}

/**
 * `--center -1.3` as `--center=-1.3`: parseArgs takes a value starting with '-' for an option and refuses it, but
 * negative numbers are ordinary values here (energies in eV).
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const name = args[k].startsWith('--') ? args[k].slice(2) : undefined;
    if (name && options[name]?.type === 'string' && k + 1 < args.length && /^-\d|^-\.\d/.test(args[k + 1])) {
      out.push(`${args[k]}=${args[k + 1]}`);
      k++;
    } else out.push(args[k]);
  }
  return out;
}

/** A numeric option, validated: names the option and the bad value. */
export function numberOption(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v)) throw new HamError('E_INPUT', `${command}: --${name} must be a number, got '${value}'`);
  return v;
}
