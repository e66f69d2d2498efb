/** Readable names of basis functions for hovers and tables: "O1 2p m=−1" (atom numbered from 1, shell within atom). */
import type { OrbitalLabel } from '../../core/contracts/api.ts';

const L_LETTERS = 'spdfghik';

/** s, p, d, … for an angular momentum. */
export function lLetter(l: number): string {
  return L_LETTERS[l] ?? `l=${l}`;
}

export function shellName(o: OrbitalLabel): string {
  return `${o.shell + 1}${lLetter(o.l)}`;
}

export function orbitalName(o: OrbitalLabel): string {
  return `${o.element}${o.atom + 1} ${shellName(o)} m=${o.m}`;
}

/** Energies and matrix entries in their unit, to four significant digits. */
export function formatEnergy(value: number, unit: string): string {
  return `${value.toPrecision(4)} ${unit === 'hartree' ? 'Eh' : unit}`;
}
