/**
 * The hamstudio command line (DESIGN.md §1: everything the app does is also a CLI command). Dispatches to the
 * command table; HamErrors become one line on stderr and exit code 2; anything else is an internal error.
 */
import { isHamError } from '../contracts/errors.ts';
import { wasmMemoryFailure } from '../runtime/wasm-memory.ts';
import type { CliIO, Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';

const stdio: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: hamstudio <command> [options]   (hamstudio <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  // Longest match first, so "dataset info" wins over a hypothetical "dataset".
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, k) => argv[k] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`hamstudio: unknown command '${argv.join(' ')}'\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (caught) {
    const e = wasmMemoryFailure(caught) ?? caught;
    if (isHamError(e)) {
      io.err(`hamstudio ${command.name}: error (${e.code}): ${e.message}`);
      return 2;
    }
    io.err(`hamstudio ${command.name}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 70;
  }
}
