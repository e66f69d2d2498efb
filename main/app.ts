/**
 * `npm start`: the app as an Electron window when Electron's binary is installed (the shell of main/electron/,
 * bundled on start), otherwise — or with --browser — in browser mode: the same renderer and API on 127.0.0.1
 * (launch-mode.ts). Either way training and fine-tuning run in the job supervisor's processes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../core/services/index.ts';
import { buildElectronBundles } from './electron-build.ts';
import { JobSupervisor } from './jobs/supervisor.ts';
import { recentStructuresFile } from './user-data.ts';
import { chooseLaunchMode } from './launch-mode.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { startServer } from './server/server.ts';

export interface RunningApp {
  /** Browser mode: the address to open. */
  url?: string;
  close(): Promise<void>;
}

export async function startApp(argv: readonly string[], log: (line: string) => void = console.log): Promise<RunningApp> {
  const { values } = parseArgs({ args: [...argv], options: { browser: { type: 'boolean' }, port: { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0…65535, got ${values.port}`);
  const launch = chooseLaunchMode(argv);
  const rendererDir = ensureRendererBuilt(log);
  if (launch.mode === 'electron') {
    const bundles = await buildElectronBundles();
    const child = spawn(launch.binary, [bundles.main], {
      stdio: 'inherit',
      env: { ...process.env, HAMSTUDIO_RENDERER_INDEX: path.join(rendererDir, 'index.html'), HAMSTUDIO_PRELOAD: bundles.preload },
    });
    log('Hamiltonian Studio: Electron window started.');
    return { close: async () => { child.kill(); } };
  }
  log(`Browser mode: ${launch.reason}.`);
  const jobs = new JobSupervisor();
  const server = await startServer({ services: createServices(jobs, recentStructuresFile()), rendererDir, port, onInternalError: (e) => console.error(e) });
  log(`Hamiltonian Studio is at ${server.url} (runs in ${jobs.runsDir})`);
  return { url: server.url, close: async () => { jobs.shutdown(); await server.close(); } };
}
