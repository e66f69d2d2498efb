/**
 * Mulliken population analysis (R. S. Mulliken, J. Chem. Phys. 23, 1833 (1955)): the gross population of atomic
 * orbital μ is (P S)_μμ, an atom's population is the sum over its orbitals, and its charge is Z − population. The
 * nuclear charge is the atomic number because the supported bases are all-electron (no ECP cores). The populations
 * add up to Tr(P S) = the number of electrons, so the charges of a neutral molecule add up to zero.
 */
import { HamError } from '../contracts/errors.ts';

export interface MullikenAnalysis {
  /** (P S)_μμ for every orbital. */
  orbitalPopulations: Float64Array;
  /** Electrons per atom. */
  atomPopulations: Float64Array;
  /** Z − population per atom, in units of e. */
  charges: Float64Array;
}

/**
 * P and S are n × n row-major in the same orbital order; `atomOffsets` (length nAtoms + 1) gives each atom's first
 * orbital, as orbitalLayout / atomOrbitalOffsets produce it.
 */
export function mulliken(
  P: Float64Array, S: Float64Array, n: number, atomOffsets: ArrayLike<number>, numbers: readonly number[],
): MullikenAnalysis {
  if (P.length !== n * n || S.length !== n * n) throw new HamError('E_INPUT', `P and S must be ${n}×${n}`);
  if (atomOffsets.length !== numbers.length + 1 || atomOffsets[numbers.length] !== n) {
    throw new HamError('E_INPUT', `atom offsets do not cover ${numbers.length} atoms and ${n} orbitals`);
  }
  const orbitalPopulations = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let s = 0;
    // (P S)_aa = Σ_b P_ab S_ba; S is symmetric, so row a of S serves as column a.
    for (let b = 0; b < n; b++) s += P[a * n + b] * S[a * n + b];
    orbitalPopulations[a] = s;
  }
  const atomPopulations = new Float64Array(numbers.length);
  const charges = new Float64Array(numbers.length);
  numbers.forEach((z, i) => {
    let pop = 0;
    for (let a = atomOffsets[i]; a < atomOffsets[i + 1]; a++) pop += orbitalPopulations[a];
    atomPopulations[i] = pop;
    charges[i] = z - pop;
  });
  return { orbitalPopulations, atomPopulations, charges };
}
