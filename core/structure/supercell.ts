/** Supercells: the cell repeated n1 × n2 × n3 times (ASE's `atoms.repeat`), atoms ordered by image, then by atom. */
import { HamError } from '../contracts/errors.ts';
import type { Mat3, Structure, Vec3 } from './structure.ts';

export function supercell(s: Structure, reps: readonly [number, number, number]): Structure {
  if (!s.cell) throw new HamError('E_INPUT', 'a supercell needs a cell');
  if (!reps.every((n) => Number.isInteger(n) && n >= 1)) throw new HamError('E_INPUT', `repetitions must be positive integers (got ${reps.join('×')})`);
  const cell = s.cell;
  const numbers: number[] = [];
  const positions: Vec3[] = [];
  for (let a = 0; a < reps[0]; a++) {
    for (let b = 0; b < reps[1]; b++) {
      for (let c = 0; c < reps[2]; c++) {
        const shift = [0, 1, 2].map((k) => a * cell[0][k] + b * cell[1][k] + c * cell[2][k]);
        s.positions.forEach((p, i) => {
          numbers.push(s.numbers[i]);
          positions.push([p[0] + shift[0], p[1] + shift[1], p[2] + shift[2]]);
        });
      }
    }
  }
  const big = cell.map((row, k) => row.map((x) => x * reps[k])) as Mat3;
  return { ...s, numbers, positions, cell: big };
}
