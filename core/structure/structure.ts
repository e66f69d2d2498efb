/**
 * The atomic structure every layer agrees on (DESIGN.md §3): positions in Å, and for crystals a cell whose rows
 * are the lattice vectors (Å) with per-axis periodicity.
 */
export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];

export interface Structure {
  /** Atomic numbers, one per atom. */
  numbers: number[];
  /** Cartesian positions, Å, one row per atom. */
  positions: Vec3[];
  /** Lattice vectors as rows, Å; absent for molecules. */
  cell?: Mat3;
  /** Periodicity along each lattice vector; absent or all false for molecules. */
  pbc?: [boolean, boolean, boolean];
  /** Free-form per-frame properties read from the file (e.g. extended-XYZ `energy_hartree`). */
  info?: Record<string, string | number | boolean>;
}

export function isPeriodic(s: Structure): boolean {
  return !!s.cell && !!s.pbc && s.pbc.some(Boolean);
}
