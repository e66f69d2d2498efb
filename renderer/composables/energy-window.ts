/**
 * Which orbital energies the level diagram shows: a window around the HOMO–LUMO gap, because deep core levels
 * (O 1s at −19 Eh) would squash the frontier orbitals into one line.
 */
export interface EnergyWindow {
  min: number;
  max: number;
  below: number;
  above: number;
}

export function energyWindow(energies: readonly number[], homo: number, lumo: number): EnergyWindow {
  const spread = energies[energies.length - 1] - energies[0];
  const margin = Math.max(4 * (lumo - homo), 0.02 * spread, 1e-6);
  const [min, max] = [homo - margin, lumo + margin];
  return { min, max, below: energies.filter((e) => e < min).length, above: energies.filter((e) => e > max).length };
}
