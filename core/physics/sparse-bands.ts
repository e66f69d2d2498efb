/**
 * A window of bands for crystals too large for dense diagonalisation (issue "Crystals", item 5): at each k-point
 * the eigenvalues of H(k) C = S(k) C E nearest a centre energy, from SLEPc's shift-and-invert Krylov–Schur with a
 * MUMPS sparse LU (resources/solvers/sparse_bands.py, run by Debian's python3). npm has no supernodal sparse complex
 * LU and one written here would be far slower; SLEPc with MUMPS is the established route (DeepH uses Pardiso +
 * ARPACK the same way). States of the overlap's near-null space that a predicted H pushes into the window are dropped
 * by canonical orthogonalisation within the span of the converged eigenvectors (the driver's docstring says how).
 *
 * Without the global band count the eigenvalues carry no band index: the result is, per k-point, the eigenvalues
 * inside one energy interval around the centre that the solver resolved completely at every k-point.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { atomOrbitalOffsets } from '../datasets/sample.ts';
import { writeNpy } from '../io/npy.ts';
import { resourcePath } from '../runtime/paths.ts';
import { python } from '../runtime/python.ts';
import type { BlochSource } from './bloch.ts';

export const SPARSE_INSTALL_HINT = 'install it with: apt-get install python3-slepc4py-complex python3-petsc4py-complex python3-scipy (Debian/Ubuntu)';
/** The driver's exit code when SLEPc for complex numbers cannot be imported. */
const MISSING = 3;

export interface SparseBandsOptions {
  /** Centre of the window, in the source's energy unit. */
  center: number;
  /** Eigenvalues sought per k-point (before spurious ones are dropped). */
  count: number;
  /** Overlap eigenvalue, relative to the largest, below which a direction of the window's span counts as spurious. */
  threshold: number;
  /** Relative residual tolerance of the eigensolver. */
  tolerance?: number;
  onProgress?: (line: string) => void;
}

export interface SparseBands {
  /** Per k-point, ascending, the eigenvalues within center ± halfWidth; counts may differ between k-points. */
  eigenvalues: number[][];
  /** The interval resolved at every k-point is center ± halfWidth. */
  halfWidth: number;
  /** Spurious states dropped per k-point. */
  spurious: number[];
  seconds: number;
  /** Peak resident memory of the solver process, MiB. */
  solverPeakMiB: number;
}

interface DriverResult {
  n_orbitals: number;
  peak_rss_mib: number;
  kpoints: { eigenvalues: number[]; spurious: number; converged: number; reach: number; seconds: number }[];
}

/** Run the driver on a job folder; resolves when result.json is written. */
function runDriver(job: string, onProgress?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python(), [resourcePath('solvers', 'sparse_bands.py'), job], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? String(os.cpus().length) },
    });
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      for (const line of d.split('\n').filter(Boolean)) {
        if (line.startsWith('k-point ')) onProgress?.(line);
        else tail = `${tail}\n${line}`.slice(-2000);
      }
    });
    child.on('error', (e) => reject(new HamError('E_EXTERNAL_TOOL', `could not start ${python()} for the sparse band solver: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0 && existsSync(path.join(job, 'result.json'))) return resolve();
      const last = tail.trim().split('\n').slice(-1)[0] ?? '';
      if (code === MISSING) return reject(new HamError('E_EXTERNAL_TOOL', `the sparse band solver needs SLEPc: ${last}; ${SPARSE_INSTALL_HINT}`));
      reject(new HamError('E_EXTERNAL_TOOL', `the sparse band solver failed (exit code ${code}): ${last.slice(0, 300)}`));
    });
  });
}

export async function sparseBands(source: BlochSource, frac: Float64Array, opts: SparseBandsOptions): Promise<SparseBands> {
  const { blocks } = source;
  if (!blocks.S) throw new HamError('E_INPUT', 'the sparse band solver needs S(R) as well as H(R)');
  const t0 = performance.now();
  const job = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-bands-'));
  try {
    const nb = blocks.i.length;
    writeNpy(path.join(job, 'i.npy'), [nb], blocks.i);
    writeNpy(path.join(job, 'j.npy'), [nb], blocks.j);
    writeNpy(path.join(job, 'R.npy'), [nb, 3], blocks.R);
    writeNpy(path.join(job, 'offsets.npy'), [nb + 1], blocks.offsets);
    writeNpy(path.join(job, 'orbitals.npy'), [source.atomShells.length + 1], Int32Array.from(atomOrbitalOffsets(source.atomShells)));
    writeNpy(path.join(job, 'H.npy'), [blocks.H.length], blocks.H);
    writeNpy(path.join(job, 'S.npy'), [blocks.S.length], blocks.S);
    writeNpy(path.join(job, 'kpoints.npy'), [frac.length / 3, 3], frac);
    writeFileSync(path.join(job, 'request.json'), JSON.stringify({ center: opts.center, count: opts.count, threshold: opts.threshold, tolerance: opts.tolerance ?? 1e-10 }));
    await runDriver(job, opts.onProgress);
    const result = JSON.parse(readFileSync(path.join(job, 'result.json'), 'utf8')) as DriverResult;
    return windowOf(result, opts, (performance.now() - t0) / 1000);
  } finally {
    rmSync(job, { recursive: true, force: true });
  }
}

/**
 * The common interval: at each k-point the solver returned the `count` eigenvalues nearest the centre (spurious
 * ones included), so everything within the distance of the farthest one is complete there; the smallest such
 * distance over the k-points bounds an interval complete everywhere.
 */
function windowOf(r: DriverResult, { center, count }: SparseBandsOptions, seconds: number): SparseBands {
  const short = r.kpoints.findIndex((k) => k.converged < count);
  if (short >= 0) {
    throw new HamError('E_NUMERIC', `the sparse band solver converged ${r.kpoints[short].converged} of ${count} eigenvalues at k-point ${short + 1}`);
  }
  // Slightly inside the farthest eigenvalue, which itself is complete only up to ties.
  const halfWidth = Math.min(...r.kpoints.map((k) => k.reach)) * (1 - 1e-9);
  return {
    eigenvalues: r.kpoints.map((k) => k.eigenvalues.filter((e) => Math.abs(e - center) <= halfWidth)),
    halfWidth, spurious: r.kpoints.map((k) => k.spurious), seconds, solverPeakMiB: r.peak_rss_mib,
  };
}
