/** One structure of a psi4 matrix-stack dataset (reference/formats-and-conventions.md §2), for the overlap tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { npyToFloat64, readNpy } from '../../../core/io/npy.ts';
import { datasetPath } from '../../helpers/datasets.ts';

export interface PsiStructure {
  numbers: number[];
  /** Å, one row per atom. */
  positions: number[][];
  /** psi4's S in psi4 orbital order, n×n row-major. */
  S: Float64Array;
  n: number;
  /** l of every shell in matrix order, from meta.json `shells`. */
  shellLs: number[];
}

export function loadStructure(dataset: string, index: number): PsiStructure {
  const dir = datasetPath(dataset);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { shells: Record<string, number[]> };
  const numbers = Array.from(npyToFloat64(readNpy(path.join(dir, 'atomic_numbers.npy'))));
  const pos = npyToFloat64(readNpy(path.join(dir, 'positions.npy')));
  const s = readNpy(path.join(dir, 'S.npy'));
  const n = s.shape[1];
  const nAtoms = numbers.length;
  const positions = numbers.map((_, a) => Array.from(pos.subarray(3 * (index * nAtoms + a), 3 * (index * nAtoms + a + 1))));
  return {
    numbers,
    positions,
    S: npyToFloat64(s).slice(index * n * n, (index + 1) * n * n),
    n,
    shellLs: numbers.flatMap((z) => meta.shells[String(z)]),
  };
}
