/**
 * How the job supervisor starts a run's `hamstudio` process (DESIGN.md §2): a plain Node child process in browser
 * mode and the CLI, Electron's utilityProcess in the desktop shell (main/electron/utility-launcher.ts). Both give
 * the supervisor the same four things: the output streams, a way to stop the process, and how it ended.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

/** The `hamstudio` CLI every job runs. */
export const CLI = path.resolve(import.meta.dirname, '../../bin/hamstudio.mjs');

export interface JobProcess {
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  /** Ask the process to stop (SIGTERM: the CLI finishes its step and keeps its checkpoints). */
  kill(): void;
  /** Called once when the process has ended; `error` when it could not start. */
  onExit(callback: (end: { code: number | null; signal?: string | null; error?: string }) => void): void;
}

export type JobLauncher = (args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => JobProcess;

/** `node bin/hamstudio.mjs …`; under Electron process.execPath is Electron's binary, so ELECTRON_RUN_AS_NODE makes it a plain Node. */
export const childProcessLauncher: JobLauncher = (args, { cwd, env }) => {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => child.kill('SIGTERM'),
    onExit: (callback) => {
      let startError: string | undefined;
      child.on('error', (e) => { startError = `could not start the job process: ${e.message}`; });
      child.on('close', (code, signal) => callback({ code, signal, error: startError }));
    },
  };
};
