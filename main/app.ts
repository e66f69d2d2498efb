/**
 * `npm start`: the app as an Electron window when Electron's binary is installed, otherwise in browser mode
 * (launch-mode.ts). The Electron shell comes in a later step; until then both paths serve browser mode.
 */
import { parseArgs } from 'node:util';
import { createServices } from '../core/services/index.ts';
import { chooseLaunchMode } from './launch-mode.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { startServer, type RunningServer } from './server/server.ts';
import { JobSupervisor } from './jobs/supervisor.ts';

export async function startApp(argv: readonly string[], log: (line: string) => void = console.log): Promise<RunningServer> {
  const { values } = parseArgs({ args: [...argv], options: { browser: { type: 'boolean' }, port: { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0…65535, got ${values.port}`);
  const launch = chooseLaunchMode(argv);
  log(launch.mode === 'electron'
    ? 'Electron is installed, but its window comes in a later step: starting in browser mode.'
    : `Browser mode: ${launch.reason}.`);
  const rendererDir = ensureRendererBuilt(log);
  const jobs = new JobSupervisor();
  const server = await startServer({ services: createServices(jobs), rendererDir, port, onInternalError: (e) => console.error(e) });
  log(`Hamiltonian Studio is at ${server.url} (runs in ${jobs.runsDir})`);
  const close = server.close.bind(server);
  return { ...server, close: async () => { jobs.shutdown(); await close(); } };
}
