/**
 * The job supervisor's run store (main/jobs/supervisor.ts) with real CLI jobs: progress is read from the run, a
 * cancel stops after the current step and keeps finished epochs, a run stopped by the app's shutdown reads back as
 * interrupted in a new session and resumes from its checkpoint, and a failing job reports the tool's reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../core/contracts/api.ts';
import { JobSupervisor } from '../../main/jobs/supervisor.ts';
import { childProcessLauncher, type JobLauncher } from '../../main/jobs/job-process.ts';
import { createServices } from '../../core/services/index.ts';
import { datasetPath } from '../helpers/datasets.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-jobs-'));
const runsDir = path.join(tmp, 'runs');
const config = path.join(tmp, 'tiny.json');
writeFileSync(config, JSON.stringify({ channels: 2, layers: 1, radialHidden: 4, tracegrad: { invariants: 1, hidden: 4, zDim: 2, alphaInit: 0.1 } }));
const env = { ...process.env, HAMSTUDIO_BACKEND: 'wasm' };
const supervisors: JobSupervisor[] = [];
afterAll(() => {
  supervisors.forEach((s) => s.shutdown());
  rmSync(tmp, { recursive: true, force: true });
});

function supervisor(): JobSupervisor {
  const s = new JobSupervisor(runsDir, env);
  supervisors.push(s);
  return s;
}

async function until(s: JobSupervisor, id: string, done: (r: RunInfo) => boolean, seconds = 120): Promise<RunInfo> {
  for (let t = 0; t < seconds * 4; t++) {
    const r = s.info(id);
    if (done(r)) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`run ${id} did not get there: ${JSON.stringify(s.info(id)).slice(0, 500)}`);
}

const spec = (epochs: number) => ({
  kind: 'train' as const, title: 'tiny', epochs,
  args: ['train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25', '--config', config, '--epochs', String(epochs)],
});

describe('job supervisor', () => {
  it('cancels after the current step, keeps finished epochs, resumes after a restart as interrupted', async () => {
    const a = supervisor();
    const run = a.start(spec(10000));
    expect(run.status).toBe('running');
    const running = await until(a, run.id, (r) => r.curve.length >= 2);
    expect(running.events.some((e) => e.type === 'metric')).toBe(true);
    a.cancel(run.id);
    const cancelled = await until(a, run.id, (r) => r.status === 'cancelled');
    expect(cancelled.resumable).toBe(true);
    const epochs = cancelled.curve.length;

    a.resume(run.id);
    await until(a, run.id, (r) => r.curve.length > epochs);
    a.shutdown();
    await new Promise((res) => setTimeout(res, 3000));
    const b = supervisor();
    const interrupted = b.list().find((r) => r.id === run.id)!;
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.resumable).toBe(true);
    const resumed = b.resume(run.id);
    expect(resumed.status).toBe('running');
    const more = await until(b, run.id, (r) => r.curve.length > interrupted.curve.length);
    // The resumed training continued the epoch count: no epoch was repeated or lost.
    expect(more.curve.map((p) => p.epoch)).toEqual(more.curve.map((_, k) => k + 1));
    b.cancel(run.id);
    await until(b, run.id, (r) => r.status === 'cancelled');
  }, 300_000);

  it('a finished training run registers its model in the library; an unfinished one is refused', async () => {
    const s = supervisor();
    const run = s.start(spec(2));
    await until(s, run.id, (r) => r.status === 'done');
    const library = path.join(tmp, 'library');
    process.env.HAMSTUDIO_MODELS_DIR = library;
    try {
      const services = createServices(s);
      const models = await services.registerRunModel({ id: run.id, name: 'from-the-app' });
      expect(models.map((m) => m.name)).toEqual(['from-the-app']);
      expect(models[0].trainingCommands).toEqual([expect.stringMatching(/^hamstudio train /)]);
      const other = s.start(spec(10000));
      await expect(services.registerRunModel({ id: other.id, name: 'too-early' })).rejects.toThrow(/only a finished run's model/);
      s.cancel(other.id);
      await until(s, other.id, (r) => r.status === 'cancelled');
    } finally {
      delete process.env.HAMSTUDIO_MODELS_DIR;
    }
  }, 120_000);

  it('a failing job says why', async () => {
    const s = supervisor();
    const run = s.start({ kind: 'train', title: 'bad', args: ['train', '--data', path.join(tmp, 'nowhere'), '--epochs', '1'] });
    const failed = await until(s, run.id, (r) => r.status === 'failed');
    expect(failed.reason).toMatch(/no such folder/);
    expect(failed.resumable).toBe(true);
  }, 60_000);

  it('runs through the launcher it is given (utilityProcess in Electron) and reports a process that could not start', async () => {
    const launched: string[][] = [];
    const recording: JobLauncher = (args, options) => { launched.push(args); return childProcessLauncher(args, options); };
    const s = new JobSupervisor(runsDir, env, recording);
    supervisors.push(s);
    const run = s.start(spec(1));
    await until(s, run.id, (r) => r.status === 'done');
    expect(launched).toEqual([[...spec(1).args, '--out', '.']]);

    const unstartable: JobLauncher = () => {
      const [stdout, stderr] = [new PassThrough(), new PassThrough()];
      return { stdout, stderr, kill: () => {}, onExit: (callback) => setImmediate(() => { stdout.end(); stderr.end(); callback({ code: null, error: 'could not start the job process: spawn ENOENT' }); }) };
    };
    const t = new JobSupervisor(runsDir, env, unstartable);
    const failed = await until(t, t.start(spec(1)).id, (r) => r.status === 'failed');
    expect(failed.reason).toBe('could not start the job process: spawn ENOENT');
  }, 120_000);
});
