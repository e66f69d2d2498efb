/**
 * One CLI command: its name (possibly two words, e.g. "dataset info"), a one-line summary, its usage text for
 * `--help`, and the function that runs it. Commands print results to stdout and return an exit code; user errors
 * are thrown as HamError and turned into one line on stderr by the dispatcher.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
