/**
 * Closed-shell (aufbau) occupation of the molecular orbitals of H C = S C E: the nOcc lowest orbitals hold two
 * electrons each. From it follow the density matrix P = 2 C_occ C_occᵀ (the one-particle density in the AO basis,
 * as PySCF's `make_rdm1` and psi4's Da + Db define it) and the frontier orbitals. The columns of C are S-orthonormal
 * (generalized-eigen.ts), hence Tr(P S) = 2 nOcc = the number of electrons.
 */
import { HamError } from '../contracts/errors.ts';
import type { GeneralizedEigen } from './generalized-eigen.ts';

function checkOccupied(eig: GeneralizedEigen, nOcc: number): void {
  if (!Number.isInteger(nOcc) || nOcc < 1 || nOcc > eig.m) {
    throw new HamError('E_INPUT', `${nOcc} doubly occupied orbitals requested, the basis has ${eig.m} orbitals`);
  }
}

/** P = 2 Σ_{k < nOcc} c_k c_kᵀ, n × n row-major, symmetric bit for bit. */
export function closedShellDensity(eig: GeneralizedEigen, nOcc: number): Float64Array {
  checkOccupied(eig, nOcc);
  const { n, m, vectors: C } = eig;
  const P = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let k = 0; k < nOcc; k++) s += C[a * m + k] * C[b * m + k];
      P[a * n + b] = 2 * s;
      P[b * n + a] = 2 * s;
    }
  }
  return P;
}

/** The first nOcc columns of C (n × nOcc, row-major): the occupied orbitals an SCF guess needs. */
export function occupiedCoefficients(eig: GeneralizedEigen, nOcc: number): Float64Array {
  checkOccupied(eig, nOcc);
  const { n, m, vectors: C } = eig;
  const out = new Float64Array(n * nOcc);
  for (let a = 0; a < n; a++) out.set(C.subarray(a * m, a * m + nOcc), a * nOcc);
  return out;
}

export interface FrontierOrbitals {
  /** Energy of the highest occupied orbital, in the unit of H. */
  homo: number;
  /** Energy of the lowest unoccupied orbital; absent when every orbital is occupied. */
  lumo?: number;
  /** lumo − homo. */
  gap?: number;
}

export function frontierOrbitals(eig: GeneralizedEigen, nOcc: number): FrontierOrbitals {
  checkOccupied(eig, nOcc);
  const homo = eig.values[nOcc - 1];
  if (nOcc === eig.m) return { homo };
  const lumo = eig.values[nOcc];
  return { homo, lumo, gap: lumo - homo };
}
