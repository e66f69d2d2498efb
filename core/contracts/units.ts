/**
 * The one owner of unit constants (DESIGN.md §3), CODATA 2018 as psi4 ≥ 1.4 and ASE use.
 * Note: psi4 1.3.2 itself converts with CODATA 2014 bohr = 0.52917721067 Å (datasets/tools/psi4-notes.md).
 */
export const HARTREE_IN_EV = 27.211386245988;
export const BOHR_IN_ANGSTROM = 0.529177210903;
export const BOHR_IN_ANGSTROM_CODATA2014 = 0.52917721067;

/** Energy unit carried by every Hamiltonian matrix. */
export type EnergyUnit = 'hartree' | 'eV';

export function energyFactor(from: EnergyUnit, to: EnergyUnit): number {
  if (from === to) return 1;
  return from === 'hartree' ? HARTREE_IN_EV : 1 / HARTREE_IN_EV;
}

/** Errors are reported in μEh for Hartree data and meV for eV data (reference/formats-and-conventions.md §1). */
export function errorUnit(unit: EnergyUnit): { label: string; factor: number } {
  return unit === 'hartree' ? { label: 'μEh', factor: 1e6 } : { label: 'meV', factor: 1e3 };
}

export function formatError(value: number, unit: EnergyUnit): string {
  const { label, factor } = errorUnit(unit);
  const v = value * factor;
  return `${v >= 100 ? v.toFixed(0) : v.toPrecision(3)} ${label}`;
}
