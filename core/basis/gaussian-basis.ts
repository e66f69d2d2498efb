/**
 * Contracted Gaussian basis sets (DESIGN.md §3): per element an ordered list of shells, each with its angular
 * momentum, primitive exponents (bohr⁻²) and contraction coefficients as printed in the basis file (coefficients
 * of normalised primitives, Gaussian94 convention). Spherical (pure) functions only.
 */
export interface GaussianShell {
  l: number;
  exponents: number[];
  coefficients: number[];
}

export interface GaussianBasisSet {
  /** Basis-set name as users write it, e.g. "def2-SVP". */
  name: string;
  /** Shells per atomic number, in the file's order (which is psi4's and PySCF's shell order). */
  elements: Map<number, GaussianShell[]>;
  /** Elements that need an effective core potential with this basis (not supported: all-electron only). */
  ecpElements: Set<number>;
}

/** Angular momenta of an element's shells, the part of a basis the orbital layout needs. */
export function shellLs(basis: GaussianBasisSet, z: number): number[] | undefined {
  return basis.elements.get(z)?.map((s) => s.l);
}
