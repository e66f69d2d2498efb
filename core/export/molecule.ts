/**
 * What the molecular exports (pyscf, psi4, molden) share: dense H in Hartree and S in wiki order, the molecular
 * orbitals of H C = S C E, the closed-shell occupation, and the Gaussian basis the shells must belong to (the DFT
 * codes rebuild the basis by name, so a prediction in another basis would be silently misread).
 */
import type { GaussianBasisSet } from '../basis/gaussian-basis.ts';
import { elementShells, loadBasisSet } from '../basis/library.ts';
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { denseMatrix } from '../datasets/sample.ts';
import { generalizedEigen, type GeneralizedEigen } from '../physics/generalized-eigen.ts';
import { occupiedOrbitals } from '../physics/molecular-metrics.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { ExportSource } from './source.ts';

export interface MoleculeOrbitals {
  /** l of every shell in matrix order. */
  shellLs: number[];
  n: number;
  /** n × n, row-major, wiki order; H in Hartree. */
  H: Float64Array;
  S: Float64Array;
  eig: GeneralizedEigen;
  /** Doubly occupied orbitals of the neutral closed-shell molecule. */
  nOcc: number;
  basis: GaussianBasisSet;
}

function checkedBasis(source: ExportSource): GaussianBasisSet {
  if (!source.basis) throw new HamError('E_INPUT', 'the source does not name its Gaussian basis set', { file: source.origin });
  const basis = loadBasisSet(source.basis);
  source.sample.structure.numbers.forEach((z, a) => {
    const expected = elementShells(basis, z).map((s) => s.l);
    const got = source.sample.atomShells[a];
    if (expected.join(',') !== got.join(',')) {
      throw new HamError('E_BASIS_MISMATCH',
        `atom ${a + 1} (${elementSymbol(z)}) has shells l = [${got.join(', ')}], ${basis.name} has [${expected.join(', ')}]`, { file: source.origin });
    }
  });
  return basis;
}

export function moleculeOrbitals(source: ExportSource): MoleculeOrbitals {
  const { sample } = source;
  const basis = checkedBasis(source);
  const shellLs = sample.atomShells.flat();
  const n = shellLs.reduce((a, l) => a + 2 * l + 1, 0);
  const f = energyFactor(sample.unit, 'hartree');
  const H = denseMatrix(sample, 'H').map((v) => v * f);
  const S = denseMatrix(sample, 'S');
  const nOcc = occupiedOrbitals(sample.structure.numbers);
  return { shellLs, n, H, S, eig: generalizedEigen(H, S, n), nOcc, basis };
}
