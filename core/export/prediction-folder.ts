/**
 * Reader of the folder `hamstudio predict` writes (core/cli/commands/predict.ts): H.npy and S.npy (n × n float64 in
 * meta.json `orbital_order`), meta.json with format "hamstudio-prediction", `units.H`, `atomic_numbers`, `positions`
 * (Å), `shells` (per atom the l of each shell), `basis` and `model`. Everything is checked against meta.json and
 * converted to wiki order; every problem names the file and key.
 */
import path from 'node:path';
import { convertMatrix, isOrbitalConvention } from '../basis/conventions.ts';
import { orbitalsOfShells } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import { optionalFile, readJsonObject } from '../datasets/files.ts';
import { parseEnergyUnit } from '../datasets/matrix-stack.ts';
import { assertFinite, assertSymmetric } from '../datasets/validate.ts';
import { npyToFloat64, readNpy } from '../io/npy.ts';
import type { Vec3 } from '../structure/structure.ts';
import type { MoleculeMatrices } from './source.ts';

export const PREDICTION_FORMAT = 'hamstudio-prediction';

function isIntList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x));
}

function readSquare(dir: string, name: string, n: number, why: string): Float64Array {
  const file = optionalFile(dir, name);
  if (!file) throw new HamError('E_INPUT', `missing ${name}: ${why}`, { file: path.join(dir, name) });
  const arr = readNpy(file);
  if (arr.shape.length !== 2 || arr.shape[0] !== n || arr.shape[1] !== n) {
    throw new HamError('E_BASIS_MISMATCH', `shape (${arr.shape.join(', ')}) but the shells in meta.json give (${n}, ${n})`, { file });
  }
  const m = npyToFloat64(arr, file);
  assertFinite(m, { file }, (k) => `entry (${Math.floor(k / n)}, ${k % n})`);
  assertSymmetric(m, n, { file }, 'matrix');
  return m;
}

export function readPredictionFolder(dir: string): MoleculeMatrices {
  const file = path.join(dir, 'meta.json');
  const meta = readJsonObject(file);
  if (meta.format !== PREDICTION_FORMAT) {
    throw new HamError('E_FORMAT', `format is ${JSON.stringify(meta.format)}, expected "${PREDICTION_FORMAT}" (a folder written by hamstudio predict)`, { file, key: 'format' });
  }
  const order = meta.orbital_order;
  if (typeof order !== 'string' || !isOrbitalConvention(order)) {
    throw new HamError('E_FORMAT', `unknown orbital_order ${JSON.stringify(order)}`, { file, key: 'orbital_order' });
  }
  const unit = parseEnergyUnit((meta.units as Record<string, unknown> | undefined)?.H, { file, key: 'units.H' });
  const numbers = meta.atomic_numbers;
  if (!isIntList(numbers) || numbers.length === 0) throw new HamError('E_FORMAT', 'must be a list of atomic numbers', { file, key: 'atomic_numbers' });
  const positions = meta.positions;
  if (!Array.isArray(positions) || positions.length !== numbers.length
    || !positions.every((p) => Array.isArray(p) && p.length === 3 && p.every(Number.isFinite))) {
    throw new HamError('E_FORMAT', `must be ${numbers.length} [x, y, z] positions in Å, one per atom`, { file, key: 'positions' });
  }
  const shells = meta.shells;
  if (!Array.isArray(shells) || shells.length !== numbers.length || !shells.every((ls) => isIntList(ls) && ls.every((l) => l >= 0))) {
    throw new HamError('E_FORMAT', `must list the shells (l ≥ 0) of each of the ${numbers.length} atoms`, { file, key: 'shells' });
  }
  if (typeof meta.basis !== 'string') throw new HamError('E_FORMAT', 'must name the basis set', { file, key: 'basis' });
  const atomShells = shells as number[][];
  const shellLs = atomShells.flat();
  const n = atomShells.reduce((a, ls) => a + orbitalsOfShells(ls), 0);
  const H = readSquare(dir, 'H.npy', n, 'the prediction folder has no Hamiltonian');
  const S = readSquare(dir, 'S.npy', n, 'every export needs the overlap matrix beside H (hamstudio predict writes it)');
  return {
    structure: { numbers, positions: positions as Vec3[] },
    atomShells,
    unit,
    H: convertMatrix(H, shellLs, order, 'wiki'),
    S: convertMatrix(S, shellLs, order, 'wiki'),
    basis: meta.basis,
    predicted: true,
    origin: dir,
    order,
    provenance: { source: path.resolve(dir), model: meta.model, structure: meta.structure, frame: meta.frame },
  };
}
