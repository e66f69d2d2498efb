/**
 * The job supervisor (DESIGN.md §2, §6): every training or fine-tuning run is a `hamstudio` CLI process of its own
 * (a child process in browser mode, an Electron utility process in the desktop shell: main/jobs/job-process.ts), working
 * in its own folder of the run store, so the process that answers the renderer stays responsive and a crash of a
 * run loses nothing the CLI has checkpointed. The store is the disk:
 *   job.json      kind, title, command, epoch budget, creation time (written once)
 *   status.json   queued | running | done | failed | cancelled, with the failure reason (written atomically)
 *   events.jsonl  queued / progress / metric / log / done / failed / cancelled events, one JSON per line
 * plus whatever the command writes (run.json, metrics.jsonl, checkpoints/, model/, report.json …). After a restart
 * the store is read back: a run recorded as running that no process runs is shown as interrupted, and resumes.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RunEvent, RunInfo, RunStatus } from '../../core/contracts/api.ts';
import { HamError } from '../../core/contracts/errors.ts';
import { errorUnit, type EnergyUnit } from '../../core/contracts/units.ts';
import { writeFileAtomic } from '../../core/io/atomic-write.ts';
import type { JobRunner, JobSpec } from '../../core/services/jobs.ts';
import { childProcessLauncher, type JobLauncher, type JobProcess } from './job-process.ts';
import { userDataDir } from '../user-data.ts';

const EVENTS_SHOWN = 60;

interface JobRecord extends Omit<JobSpec, 'files'> {
  id: string;
  created: string;
}

interface StatusRecord {
  status: Exclude<RunStatus, 'interrupted'>;
  reason?: string;
}

/** The run store's folder: HAMSTUDIO_RUNS_DIR, else runs/ of the user's data folder. */
export function defaultRunsDir(): string {
  return process.env.HAMSTUDIO_RUNS_DIR ?? path.join(userDataDir(), 'runs');
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

type Metrics = { mae_H: number; mae_eps_occ?: number; unit: EnergyUnit };
type FinetuneComparison = { before: Metrics; after: Metrics; improved: boolean };

/** A fine-tuning's before/after in the unit errors are read in (μEh, meV). */
function fineTuneResult(r: FinetuneComparison, report: string): RunInfo['result'] {
  const { label, factor } = errorUnit(r.before.unit);
  const scaled = (x: number | undefined) => (x === undefined ? null : x * factor);
  return {
    before: r.before.mae_H * factor, after: r.after.mae_H * factor, epsBefore: scaled(r.before.mae_eps_occ), epsAfter: scaled(r.after.mae_eps_occ),
    improved: r.improved, unit: label, report,
  };
}

/** What a CLI output line is: epoch summaries are metrics, labelling lines progress, the rest log. */
function eventType(line: string): RunEvent['type'] {
  if (/^epoch\s+\d+/.test(line)) return 'metric';
  if (/^labelled \d+\/\d+/.test(line)) return 'progress';
  return 'log';
}

export class JobSupervisor implements JobRunner {
  private readonly live = new Map<string, { child: JobProcess; cancelled: boolean; shutdown: boolean }>();

  constructor(
    readonly runsDir: string = defaultRunsDir(),
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly launcher: JobLauncher = childProcessLauncher,
  ) {
    mkdirSync(runsDir, { recursive: true });
  }

  private dir(id: string): string {
    const dir = path.join(this.runsDir, id);
    if (!existsSync(path.join(dir, 'job.json'))) throw new HamError('E_NOT_FOUND', `no run '${id}' in the run store`, { key: 'id' });
    return dir;
  }

  private event(id: string, type: RunEvent['type'], text: string): void {
    appendFileSync(path.join(this.runsDir, id, 'events.jsonl'), `${JSON.stringify({ type, time: new Date().toISOString(), text })}\n`);
  }

  private setStatus(id: string, s: StatusRecord): void {
    writeFileAtomic(path.join(this.runsDir, id, 'status.json'), `${JSON.stringify(s)}\n`);
  }

  start(spec: JobSpec): RunInfo {
    const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(36).slice(2, 8)}`;
    const dir = path.join(this.runsDir, id);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(spec.files ?? {})) writeFileAtomic(path.join(dir, name), text);
    const record: JobRecord = { id, kind: spec.kind, title: spec.title, args: spec.args, epochs: spec.epochs, created: new Date().toISOString() };
    writeFileAtomic(path.join(dir, 'job.json'), `${JSON.stringify(record, null, 1)}\n`);
    this.setStatus(id, { status: 'queued' });
    this.event(id, 'queued', spec.title);
    this.launch(id, spec.args);
    return this.info(id);
  }

  /** Run the command in the run's folder (its --out is the folder itself). */
  private launch(id: string, args: string[]): void {
    const dir = path.join(this.runsDir, id);
    const child = this.launcher([...args, '--out', '.'], { cwd: dir, env: this.env });
    const job = { child, cancelled: false, shutdown: false };
    this.live.set(id, job);
    this.setStatus(id, { status: 'running' });
    let lastError = '';
    createInterface({ input: child.stdout }).on('line', (line) => { if (line.trim()) this.event(id, eventType(line), line); });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (!line.trim()) return;
      lastError = line.replace(/^hamstudio \w+: error \(\w+\): /, '');
      this.event(id, 'log', line);
    });
    child.onExit(({ code, signal, error }) => {
      this.live.delete(id);
      // Stopped because the app is closing: the store keeps "running", which reads back as interrupted.
      if (job.shutdown) return;
      if (job.cancelled) {
        this.setStatus(id, { status: 'cancelled' });
        this.event(id, 'cancelled', 'cancelled by the user; finished epochs and labels are kept');
      } else if (code === 0) {
        this.setStatus(id, { status: 'done' });
        this.event(id, 'done', 'finished');
      } else {
        const reason = error ?? (lastError || (signal ? `the job process was killed (${signal})` : `the job process exited with code ${code}`));
        this.setStatus(id, { status: 'failed', reason });
        this.event(id, 'failed', reason);
      }
    });
  }

  cancel(id: string): RunInfo {
    this.dir(id);
    const job = this.live.get(id);
    if (!job) throw new HamError('E_INPUT', 'the run is not running', { key: 'id' });
    job.cancelled = true;
    job.child.kill();
    return this.info(id);
  }

  resume(id: string): RunInfo {
    const dir = this.dir(id);
    if (this.live.has(id)) throw new HamError('E_INPUT', 'the run is already running', { key: 'id' });
    const info = this.info(id);
    if (!info.resumable) throw new HamError('E_INPUT', `a ${info.status} run cannot be resumed`, { key: 'id' });
    const job = readJson<JobRecord>(path.join(dir, 'job.json'))!;
    // Training continues from its last checkpoint; fine-tuning reruns its command, which resumes every stage.
    const args = job.kind === 'train' && existsSync(path.join(dir, 'run.json')) ? ['train', '--resume'] : job.args;
    this.event(id, 'queued', 'resumed');
    this.launch(id, args);
    return this.info(id);
  }

  modelSource(id: string): string {
    const dir = this.dir(id);
    const info = this.info(id);
    if (info.status !== 'done') throw new HamError('E_INPUT', `the run is ${info.status}; only a finished run's model can be registered`, { key: 'id' });
    if (info.kind === 'train') return dir;
    if (!existsSync(path.join(dir, 'model', 'model.json'))) throw new HamError('E_INPUT', 'the fine-tuned model was not better than its base model, so there is none to register', { key: 'id' });
    return path.join(dir, 'model');
  }

  /** The app is closing: stop every run (each keeps its checkpoints and shows as interrupted next time). */
  shutdown(): void {
    for (const job of this.live.values()) {
      job.shutdown = true;
      job.child.kill();
    }
  }

  list(): RunInfo[] {
    return readdirSync(this.runsDir)
      .filter((id) => existsSync(path.join(this.runsDir, id, 'job.json')))
      .map((id) => this.info(id))
      .sort((a, b) => (a.created < b.created ? 1 : -1));
  }

  info(id: string): RunInfo {
    const dir = path.join(this.runsDir, id);
    const job = readJson<JobRecord>(path.join(dir, 'job.json'))!;
    const stored = readJson<StatusRecord>(path.join(dir, 'status.json')) ?? { status: 'queued' };
    const status: RunStatus = stored.status === 'running' && !this.live.has(id) ? 'interrupted' : stored.status;
    const metricsFile = path.join(dir, job.kind === 'finetune' ? 'run' : '', 'metrics.jsonl');
    const metrics = existsSync(metricsFile)
      ? readFileSync(metricsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { epoch: number; valMae: number; valMaeBands?: number; unit: string })
      : [];
    const events = existsSync(path.join(dir, 'events.jsonl'))
      ? readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').filter(Boolean).slice(-EVENTS_SHOWN).map((l) => JSON.parse(l) as RunEvent)
      : [];
    const report = readJson<FinetuneComparison>(path.join(dir, 'report.json'));
    return {
      id, kind: job.kind, title: job.title, status, created: job.created,
      curve: metrics.map((m) => ({ epoch: m.epoch, valMae: m.valMae, ...(m.valMaeBands !== undefined ? { valMaeBands: m.valMaeBands } : {}) })), unit: metrics[0]?.unit ?? null, epochs: job.epochs ?? null,
      reason: stored.reason ?? null, events,
      result: report ? fineTuneResult(report, path.join(dir, 'report.html')) : null,
      resumable: status === 'interrupted' || status === 'cancelled' || status === 'failed',
    };
  }
}
