/**
 * Labelling molecules with psi4 (issue "Guided fine-tuning", DESIGN.md §6): one Kohn–Sham SCF per structure with
 * resources/labelers/psi4_scf.py as a child process, several at once within a CPU budget, each in its own folder
 * under `workDir/jobs/NNNN` (job-pool.ts). A job whose out/result.json exists is finished and never recomputed; a job
 * that fails (no convergence, psi4 error) is recorded in failed.txt with psi4's last words and skipped. The
 * labelled structures become a matrix-stack dataset.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { convertMatrix } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import { npyToFloat64, readNpy } from '../io/npy.ts';
import { moleculeBlocks, type HamiltonianSample } from '../datasets/sample.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { Structure } from '../structure/structure.ts';
import { pythonProbe } from '../runtime/python.ts';
import { runLabelJobs, type LabelProgress, type PoolResult } from './job-pool.ts';

export type { LabelProgress } from './job-pool.ts';

export interface Psi4Settings {
  functional: string;
  basis: string;
  /** SCF processes at once (each on one thread). */
  jobs: number;
}

/** Structure index → labelled sample (wiki order, Hartree), failures and SCF seconds. */
export type LabelResult = PoolResult<HamiltonianSample>;

/** psi4's version, or E_EXTERNAL_TOOL saying how to install it. */
export function psi4Version(): string {
  return pythonProbe("import sys; sys.path.insert(0, '/usr/lib/x86_64-linux-gnu'); import psi4; print(psi4.__version__)", 'psi4', 'install it with: apt-get install psi4 (Debian/Ubuntu)');
}

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

/**
 * Label `structures` (all with the same atoms) in `workDir` (job-pool.ts: resumable, failures recorded and skipped,
 * E_CANCELLED when `signal` aborts).
 */
export async function labelMolecules(
  structures: readonly Structure[], atomShells: number[][], workDir: string, settings: Psi4Settings,
  opts: { signal?: AbortSignal; onProgress?: (p: LabelProgress) => void } = {},
): Promise<LabelResult> {
  psi4Version();
  return runLabelJobs({
    count: structures.length, workDir, jobs: settings.jobs, script: 'psi4_scf.py', marker: 'result.json',
    job: (k) => ({
      symbols: structures[k].numbers.map(elementSymbol), positions: structures[k].positions,
      functional: settings.functional, basis: settings.basis, threads: 1, write_matrices: true,
    }),
    read: (k, out) => readJob(out, structures[k], atomShells, `label/${k}`),
  }, opts);
}
