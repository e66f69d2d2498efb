/**
 * Labelling molecules with psi4 (issue "Guided fine-tuning", DESIGN.md §6): one Kohn–Sham SCF per structure with
 * resources/labelers/psi4_scf.py as a child process, several at once within a CPU budget, each in its own folder
 * under `workDir/jobs/NNNN`. A job whose result.json exists is finished and never recomputed, so a cancelled or
 * crashed labelling resumes where it stopped; a job that fails (no convergence, psi4 error) is recorded in
 * failed.txt with psi4's last words and skipped. The labelled structures become a matrix-stack dataset.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { convertMatrix } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { npyToFloat64, readNpy } from '../io/npy.ts';
import { moleculeBlocks, type HamiltonianSample } from '../datasets/sample.ts';
import { resourcePath } from '../runtime/paths.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { Structure } from '../structure/structure.ts';

/** Debian's python3, which finds Debian's psi4 (the driver adds its module path); HAMSTUDIO_PYTHON overrides it. */
const python = () => process.env.HAMSTUDIO_PYTHON ?? '/usr/bin/python3';
const INSTALL_HINT = 'install it with: apt-get install psi4 (Debian/Ubuntu)';

export interface Psi4Settings {
  functional: string;
  basis: string;
  /** SCF processes at once (each on one thread). */
  jobs: number;
}

export interface LabelProgress {
  done: number;
  failed: number;
  total: number;
  /** The job that just finished, with its SCF time (s) or failure reason. */
  last?: { index: number; seconds?: number; reason?: string };
}

export interface LabelResult {
  /** Structure index → labelled sample (wiki order, Hartree), for the jobs that succeeded. */
  samples: Map<number, HamiltonianSample>;
  failed: Map<number, string>;
  /** SCF wall seconds of each successful job. */
  seconds: Map<number, number>;
}

/** psi4's version, or E_EXTERNAL_TOOL saying how to install it. */
export function psi4Version(): string {
  const r = spawnSync(python(), ['-c', "import sys; sys.path.insert(0, '/usr/lib/x86_64-linux-gnu'); import psi4; print(psi4.__version__)"], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new HamError('E_EXTERNAL_TOOL', `psi4 is not available to ${python()}; ${INSTALL_HINT}`);
  return r.stdout.trim();
}

const jobDir = (workDir: string, k: number) => path.join(workDir, 'jobs', String(k).padStart(4, '0'));

/** The sample of a finished job (psi4 order on disk → wiki). */
function readJob(dir: string, structure: Structure, atomShells: number[][], id: string): { sample: HamiltonianSample; seconds: number } {
  const shellLs = atomShells.flat();
  const n = shellLs.reduce((a, l) => a + 2 * l + 1, 0);
  const matrix = (name: string) => {
    const file = path.join(dir, name);
    const m = npyToFloat64(readNpy(file), file);
    if (m.length !== n * n) throw new HamError('E_BASIS_MISMATCH', `psi4 wrote ${Math.sqrt(m.length)} orbitals, the basis has ${n}`, { file });
    return convertMatrix(m, shellLs, 'psi4', 'wiki');
  };
  const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as { energy_hartree: number; scf_seconds: number };
  const eps = npyToFloat64(readNpy(path.join(dir, 'orbital_energies.npy')), path.join(dir, 'orbital_energies.npy'));
  return {
    sample: {
      id, structure, atomShells, unit: 'hartree', convention: 'wiki', blocks: moleculeBlocks(atomShells, matrix('H.npy'), matrix('S.npy')),
      references: { orbitalEnergies: eps, energy: result.energy_hartree },
    },
    seconds: result.scf_seconds,
  };
}

/** Run one SCF; resolves with undefined on success or the failure reason. */
function runJob(dir: string, structure: Structure, settings: Psi4Settings, signal?: AbortSignal): Promise<string | undefined> {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, 'job.json'), JSON.stringify({
    symbols: structure.numbers.map(elementSymbol), positions: structure.positions,
    functional: settings.functional, basis: settings.basis, threads: 1, write_matrices: true,
  }));
  return new Promise((resolve) => {
    const child = spawn(python(), [resourcePath('labelers', 'psi4_scf.py'), path.join(dir, 'job.json'), path.join(dir, 'out')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const abort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (e) => resolve(`could not start ${python()}: ${e.message}`));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted) return resolve('cancelled');
      if (code === 0 && existsSync(path.join(dir, 'out', 'result.json'))) return resolve(undefined);
      const last = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`;
      resolve(last.length > 300 ? `${last.slice(0, 300)}…` : last);
    });
  });
}

/**
 * Label `structures` (all with the same atoms) in `workDir`. Finished jobs are read, not rerun; failed ones are
 * retried only after their failed.txt is removed. Throws E_CANCELLED when `signal` aborts (finished jobs stay).
 */
export async function labelMolecules(
  structures: readonly Structure[], atomShells: number[][], workDir: string, settings: Psi4Settings,
  opts: { signal?: AbortSignal; onProgress?: (p: LabelProgress) => void } = {},
): Promise<LabelResult> {
  psi4Version();
  const result: LabelResult = { samples: new Map(), failed: new Map(), seconds: new Map() };
  const todo: number[] = [];
  structures.forEach((s, k) => {
    const dir = jobDir(workDir, k);
    if (existsSync(path.join(dir, 'out', 'result.json'))) {
      const { sample, seconds } = readJob(path.join(dir, 'out'), s, atomShells, `label/${k}`);
      result.samples.set(k, sample);
      result.seconds.set(k, seconds);
    } else if (existsSync(path.join(dir, 'failed.txt'))) result.failed.set(k, readFileSync(path.join(dir, 'failed.txt'), 'utf8').trim());
    else todo.push(k);
  });
  const progress = (last?: LabelProgress['last']) => opts.onProgress?.({ done: result.samples.size, failed: result.failed.size, total: structures.length, last });
  progress();
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !opts.signal?.aborted) {
      const k = todo[next++];
      const dir = jobDir(workDir, k);
      rmSync(path.join(dir, 'out'), { recursive: true, force: true }); // a half-finished earlier attempt
      const reason = await runJob(dir, structures[k], settings, opts.signal);
      if (reason === 'cancelled') return;
      if (reason) {
        writeFileAtomic(path.join(dir, 'failed.txt'), `${reason}\n`);
        result.failed.set(k, reason);
        progress({ index: k, reason });
      } else {
        const { sample, seconds } = readJob(path.join(dir, 'out'), structures[k], atomShells, `label/${k}`);
        result.samples.set(k, sample);
        result.seconds.set(k, seconds);
        progress({ index: k, seconds });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.jobs, todo.length)) }, worker));
  if (opts.signal?.aborted) throw new HamError('E_CANCELLED', `labelling cancelled; ${result.samples.size} of ${structures.length} structures are labelled and kept in ${workDir}`);
  return result;
}
