/**
 * The machinery every DFT labeler shares (issue "Guided fine-tuning", DESIGN.md §6): one driver script per structure
 * as a child process of Debian's python3, several at once within a process budget, each job in its own folder
 * `workDir/jobs/NNNN` whose `out/` the script publishes in one piece. A job whose marker file exists in `out/` is
 * finished and never recomputed, so a cancelled or crashed labelling resumes where it stopped; a job that fails is
 * recorded in failed.txt with the script's last line of stderr (the DFT code's last words) and the job folder
 * holding its full log, and skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { resourcePath } from '../runtime/paths.ts';
import { python } from '../runtime/python.ts';


export interface LabelProgress {
  done: number;
  failed: number;
  total: number;
  /** The job that just finished, with its SCF time (s) or failure reason. */
  last?: { index: number; seconds?: number; reason?: string };
}

export interface PoolResult<T> {
  /** Structure index → what `read` made of the finished job, for the jobs that succeeded. */
  samples: Map<number, T>;
  failed: Map<number, string>;
  /** SCF wall seconds of each successful job. */
  seconds: Map<number, number>;
}

export interface LabelJobs<T> {
  /** Number of structures; job k runs in jobDir(workDir, k). */
  count: number;
  workDir: string;
  /** Processes at once (each on one thread). */
  jobs: number;
  /** resources/labelers/<script>, called as `script job.json out/`. */
  script: string;
  /** The job file of structure k. */
  job: (k: number, dir: string) => Record<string, unknown>;
  /** The file in `out/` whose presence marks a finished job. */
  marker: string;
  /** The result of a finished job and its SCF seconds. */
  read: (k: number, out: string) => { sample: T; seconds: number } | Promise<{ sample: T; seconds: number }>;
}

export const jobDir = (workDir: string, k: number): string => path.join(workDir, 'jobs', String(k).padStart(4, '0'));


/** Run one driver; resolves with undefined on success, 'cancelled', or the failure reason. */
function runDriver(script: string, dir: string, marker: string, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(python(), [resourcePath('labelers', script), path.join(dir, 'job.json'), path.join(dir, 'out')], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const abort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (e) => resolve(`could not start ${python()}: ${e.message}`));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted) return resolve('cancelled');
      if (code === 0 && existsSync(path.join(dir, 'out', marker))) return resolve(undefined);
      const last = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`;
      // The DFT code's own log (gpaw.txt, psi4's output) stays in the job folder: say where.
      resolve(`${last.length > 300 ? `${last.slice(0, 300)}…` : last} (details in ${dir})`);
    });
  });
}

/**
 * Run the jobs not yet finished or failed. Finished jobs are read, not rerun; failed ones are retried only after
 * their failed.txt is removed. Throws E_CANCELLED when `signal` aborts (finished jobs stay).
 */
export async function runLabelJobs<T>(
  spec: LabelJobs<T>, opts: { signal?: AbortSignal; onProgress?: (p: LabelProgress) => void } = {},
): Promise<PoolResult<T>> {
  const result: PoolResult<T> = { samples: new Map(), failed: new Map(), seconds: new Map() };
  const finish = async (k: number) => {
    const { sample, seconds } = await spec.read(k, path.join(jobDir(spec.workDir, k), 'out'));
    result.samples.set(k, sample);
    result.seconds.set(k, seconds);
    return seconds;
  };
  const todo: number[] = [];
  for (let k = 0; k < spec.count; k++) {
    const dir = jobDir(spec.workDir, k);
    if (existsSync(path.join(dir, 'out', spec.marker))) await finish(k);
    else if (existsSync(path.join(dir, 'failed.txt'))) result.failed.set(k, readFileSync(path.join(dir, 'failed.txt'), 'utf8').trim());
    else todo.push(k);
  }
  const progress = (last?: LabelProgress['last']) => opts.onProgress?.({ done: result.samples.size, failed: result.failed.size, total: spec.count, last });
  progress();
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !opts.signal?.aborted) {
      const k = todo[next++];
      const dir = jobDir(spec.workDir, k);
      rmSync(path.join(dir, 'out'), { recursive: true, force: true }); // a half-finished earlier attempt
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(path.join(dir, 'job.json'), JSON.stringify(spec.job(k, dir)));
      const reason = await runDriver(spec.script, dir, spec.marker, opts.signal);
      if (reason === 'cancelled') return;
      if (reason) {
        writeFileAtomic(path.join(dir, 'failed.txt'), `${reason}\n`);
        result.failed.set(k, reason);
        progress({ index: k, reason });
      } else progress({ index: k, seconds: await finish(k) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(spec.jobs, todo.length)) }, worker));
  if (opts.signal?.aborted) throw new HamError('E_CANCELLED', `labelling cancelled; ${result.samples.size} of ${spec.count} structures are labelled and kept in ${spec.workDir}`);
  return result;
}
