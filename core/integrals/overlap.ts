/**
 * Analytic overlap matrix S of a molecule in a contracted spherical Gaussian basis (DESIGN.md §5 "Overlaps"), in
 * the internal "wiki" orbital order of orbitalLayout: atoms in input order, shells in basis-file order, m = −l…l.
 * Each contracted function is normalised (⟨φ|φ⟩ = 1, as psi4 does). S is filled one shell pair at a time for the
 * upper triangle and mirrored, so it is symmetric bit for bit.
 */
import { HamError } from '../contracts/errors.ts';
import { BOHR_IN_ANGSTROM } from '../contracts/units.ts';
import type { GaussianBasisSet } from '../basis/gaussian-basis.ts';
import { elementShells } from '../basis/library.ts';
import { orbitalLayout, type OrbitalLayout } from '../basis/orbital-layout.ts';
import { prepareShell, type PreparedShell } from './prepared-shell.ts';
import { isScreenedOut, shellPairOverlap } from './shell-pair-overlap.ts';

export interface OverlapOptions {
  /**
   * Length of one bohr in Å, used to convert the positions. The default is CODATA 2018 (units.ts). Overlaps
   * depend on distances in bohr, so reproducing a code's S to 1e-9 needs that code's constant: psi4 1.3.2 (our
   * datasets) uses CODATA 2014, BOHR_IN_ANGSTROM_CODATA2014.
   */
  bohrInAngstrom?: number;
}

export interface OverlapResult {
  /** n×n, row-major, dimensionless. */
  S: Float64Array;
  n: number;
  layout: OrbitalLayout;
}

/** Shells of every element present, prepared once per element. */
function prepareElements(numbers: readonly number[], basis: GaussianBasisSet): Map<number, PreparedShell[]> {
  const prepared = new Map<number, PreparedShell[]>();
  for (const z of numbers) {
    if (!prepared.has(z)) prepared.set(z, elementShells(basis, z).map(prepareShell));
  }
  return prepared;
}

function centresInBohr(positions: ReadonlyArray<ArrayLike<number>>, nAtoms: number, bohr: number): Float64Array {
  if (positions.length !== nAtoms) {
    throw new HamError('E_INPUT', `${nAtoms} atomic numbers but ${positions.length} positions`);
  }
  const out = new Float64Array(3 * nAtoms);
  positions.forEach((r, a) => {
    if (r.length !== 3) throw new HamError('E_INPUT', `position of atom ${a + 1} has ${r.length} components, expected 3`);
    for (let k = 0; k < 3; k++) {
      if (!Number.isFinite(r[k])) throw new HamError('E_INPUT', `position of atom ${a + 1} is not finite`);
      out[3 * a + k] = r[k] / bohr;
    }
  });
  return out;
}

export function overlapMatrix(
  numbers: readonly number[],
  positionsAngstrom: ReadonlyArray<ArrayLike<number>>,
  basis: GaussianBasisSet,
  opts: OverlapOptions = {},
): OverlapResult {
  const bohr = opts.bohrInAngstrom ?? BOHR_IN_ANGSTROM;
  if (!(bohr > 0 && Number.isFinite(bohr))) throw new HamError('E_INPUT', `bohrInAngstrom must be positive, got ${bohr}`);
  const nAtoms = numbers.length;
  const xyz = centresInBohr(positionsAngstrom, nAtoms, bohr);
  const prepared = prepareElements(numbers, basis);
  const layout = orbitalLayout(numbers, new Map([...prepared].map(([z, shells]) => [z, shells.map((s) => s.l)])));
  const { n, shellOffsets } = layout;
  const S = new Float64Array(n * n);

  const atomShells = numbers.map((z) => prepared.get(z) as PreparedShell[]);
  // The most diffuse primitive of each atom screens whole atom pairs before any shell is looked at.
  const atomMinExponent = atomShells.map((shells) => Math.min(...shells.map((s) => s.minExponent)));
  const firstShell = new Int32Array(nAtoms);
  for (let a = 1; a < nAtoms; a++) firstShell[a] = firstShell[a - 1] + atomShells[a - 1].length;
  const block = new Float64Array(Math.max(1, ...layout.shellLs.map((l) => 2 * l + 1)) ** 2);

  for (let ia = 0; ia < nAtoms; ia++) {
    const A = xyz.subarray(3 * ia, 3 * ia + 3);
    const shellsA = atomShells[ia];
    for (let ib = ia; ib < nAtoms; ib++) {
      const B = xyz.subarray(3 * ib, 3 * ib + 3);
      const r2 = (A[0] - B[0]) ** 2 + (A[1] - B[1]) ** 2 + (A[2] - B[2]) ** 2;
      if (isScreenedOut(atomMinExponent[ia], atomMinExponent[ib], r2)) continue;
      const shellsB = atomShells[ib];
      for (let ka = 0; ka < shellsA.length; ka++) {
        const oa = shellOffsets[firstShell[ia] + ka];
        const na = 2 * shellsA[ka].l + 1;
        // Upper triangle only: on one atom, shell pairs kb ≥ ka; within one shell, entries c ≥ r.
        for (let kb = ia === ib ? ka : 0; kb < shellsB.length; kb++) {
          const ob = shellOffsets[firstShell[ib] + kb];
          const nb = 2 * shellsB[kb].l + 1;
          shellPairOverlap(shellsA[ka], A, shellsB[kb], B, block);
          const sameShell = ia === ib && ka === kb;
          for (let r = 0; r < na; r++) {
            for (let c = sameShell ? r : 0; c < nb; c++) {
              const v = block[r * nb + c];
              S[(oa + r) * n + ob + c] = v;
              S[(ob + c) * n + oa + r] = v;
            }
          }
        }
      }
    }
  }
  return { S, n, layout };
}
