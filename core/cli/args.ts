/** Argument parsing shared by every command: node's parseArgs with errors turned into user-facing messages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HamError } from '../contracts/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, positionals = true) {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new HamError('E_INPUT', `${command}: ${(e as Error).message.replace(/\. To specify.*$/s, '')} (see 'hamstudio ${command} --help')`);
  }
}

/** A numeric option, validated: names the option and the bad value. */
export function numberOption(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v)) throw new HamError('E_INPUT', `${command}: --${name} must be a number, got '${value}'`);
  return v;
}
