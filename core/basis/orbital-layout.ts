/**
 * How a structure's orbitals are laid out in a matrix: atoms in order, per atom its shells in basis order, per
 * shell 2l+1 functions. The within-shell order is the caller's convention (internally always "wiki").
 */
import { HamError } from '../contracts/errors.ts';
import { elementSymbol } from '../structure/elements.ts';

/** Shell angular momenta per atomic number, e.g. def2-SVP {1: [0,0,1], 8: [0,0,0,1,1,2]}. */
export type ShellTable = ReadonlyMap<number, readonly number[]>;

export interface OrbitalLayout {
  /** Number of orbitals. */
  n: number;
  /** First orbital of each atom, length nAtoms + 1. */
  atomOffsets: number[];
  /** Shell angular momenta of each atom. */
  atomShells: number[][];
  /** Flat list of every shell's l, in matrix order. */
  shellLs: number[];
  /** Atom of each shell. */
  shellAtom: number[];
  /** First orbital of each shell. */
  shellOffsets: number[];
}

export function orbitalLayout(numbers: readonly number[], shells: ShellTable): OrbitalLayout {
  const atomOffsets = [0];
  const atomShells: number[][] = [];
  const shellLs: number[] = [];
  const shellAtom: number[] = [];
  const shellOffsets: number[] = [];
  let n = 0;
  numbers.forEach((z, a) => {
    const ls = shells.get(z);
    if (!ls) {
      throw new HamError('E_UNSUPPORTED_ELEMENT',
        `atom ${a + 1} (${elementSymbol(z)}) has no orbitals in this basis; covered: ${[...shells.keys()].map(elementSymbol).join(', ')}`);
    }
    atomShells.push([...ls]);
    for (const l of ls) {
      shellLs.push(l);
      shellAtom.push(a);
      shellOffsets.push(n);
      n += 2 * l + 1;
    }
    atomOffsets.push(n);
  });
  return { n, atomOffsets, atomShells, shellLs, shellAtom, shellOffsets };
}

export function orbitalsOfShells(ls: readonly number[]): number {
  return ls.reduce((acc, l) => acc + 2 * l + 1, 0);
}
