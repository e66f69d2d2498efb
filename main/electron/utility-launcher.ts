/**
 * Jobs in the desktop shell run as Electron utility processes (DESIGN.md §2; the process model VS Code uses for its
 * extension host and language servers): Node processes that Electron owns, tied to the app's lifetime and shown in
 * its task manager, unlike a plain fork of the Electron binary.
 */
import { utilityProcess } from 'electron';
import { CLI, type JobLauncher } from '../jobs/job-process.ts';

export const utilityProcessLauncher: JobLauncher = (args, { cwd, env }) => {
  const child = utilityProcess.fork(CLI, args, { cwd, env, stdio: 'pipe', serviceName: 'Hamiltonian Studio job' });
  // With stdio 'pipe' both streams exist (Electron's types allow null for the other stdio modes).
  if (!child.stdout || !child.stderr) throw new Error('utilityProcess.fork gave no output pipes');
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => { child.kill(); },
    onExit: (callback) => { child.once('exit', (code) => callback({ code })); },
  };
};
