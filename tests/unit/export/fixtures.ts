/**
 * Export sources for the tests: a `hamstudio predict`-style folder made from one conformer of a psi4 matrix-stack
 * dataset (its reference H standing in for a prediction, so a psi4 SCF started from it converges at once), and
 * helpers to run Python consumers on the results.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertMatrix, type OrbitalConvention } from '../../../core/basis/conventions.ts';
import { encodeNpy, npyToFloat64, readNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { PYTHON } from '../../helpers/python.ts';

export interface Conformer {
  numbers: number[];
  positions: [number, number, number][];
  atomShells: number[][];
  shellLs: number[];
  n: number;
  /** psi4 order, n × n row-major. */
  H: Float64Array;
  S: Float64Array;
  /** psi4's total energy and orbital energies, Hartree. */
  energy: number;
  orbitalEnergies: Float64Array;
}

export function loadConformer(dataset: 'water-pbe-def2svp' | 'ethanol-pbe-def2svp', index: number): Conformer {
  const dir = datasetPath(dataset);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { shells: Record<string, number[]>; atomic_numbers: number[] };
  const numbers = meta.atomic_numbers;
  const atomShells = numbers.map((z) => meta.shells[String(z)]);
  const shellLs = atomShells.flat();
  const n = shellLs.reduce((a, l) => a + 2 * l + 1, 0);
  const slice = (name: string, size: number) => npyToFloat64(readNpy(path.join(dir, name))).slice(index * size, (index + 1) * size);
  const pos = slice('positions.npy', 3 * numbers.length);
  return {
    numbers,
    positions: numbers.map((_, a) => [pos[3 * a], pos[3 * a + 1], pos[3 * a + 2]]),
    atomShells, shellLs, n,
    H: slice('H.npy', n * n),
    S: slice('S.npy', n * n),
    energy: slice('energy.npy', 1)[0],
    orbitalEnergies: slice('orbital_energies.npy', n),
  };
}

/** A folder as `hamstudio predict` writes it, with H (optionally replaced) and S of the conformer in `order`. */
export function writePredictionFolder(dir: string, c: Conformer, opts: { order?: OrbitalConvention; H?: Float64Array; withS?: boolean } = {}): string {
  const order = opts.order ?? 'psi4';
  mkdirSync(dir, { recursive: true });
  const H = opts.H ?? c.H;
  writeFileSync(path.join(dir, 'H.npy'), encodeNpy([c.n, c.n], convertMatrix(H, c.shellLs, 'psi4', order)));
  if (opts.withS ?? true) writeFileSync(path.join(dir, 'S.npy'), encodeNpy([c.n, c.n], convertMatrix(c.S, c.shellLs, 'psi4', order)));
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({
    format: 'hamstudio-prediction', version: 1, structure: 'test', frame: 0,
    units: { H: 'hartree', S: 'dimensionless', orbital_energies: 'hartree', positions: 'angstrom' },
    orbital_order: order, atomic_numbers: c.numbers, positions: c.positions, shells: c.atomShells, basis: 'def2-SVP',
    model: { name: 'reference-H', path: 'none', arch: 'none' },
  }));
  return dir;
}

/**
 * Run Python code with the files' folder as argv[1]; returns stdout; fails the test with stderr on error. Runs in
 * the system temp folder, where psi4 may leave its timer.dat.
 */
export function python(code: string, ...args: string[]): string {
  const r = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
