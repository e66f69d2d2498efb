/**
 * Lattice geometry on row-vector cells (rows are lattice vectors, Å): Cartesian r = f · cell for fractional f.
 */
import type { Mat3, Vec3 } from './structure.ts';

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function det3(m: Mat3): number {
  return dot(m[0], cross(m[1], m[2]));
}

/** Inverse of a 3×3 matrix, or undefined when it is singular (|det| below 1e-12 of the product of row norms). */
export function invert3(m: Mat3): Mat3 | undefined {
  const d = det3(m);
  const scale = norm(m[0]) * norm(m[1]) * norm(m[2]);
  if (!(Math.abs(d) > 1e-12 * scale)) return undefined;
  // Columns of the inverse are the cross products of the rows (the reciprocal vectors without 2π).
  const c0 = cross(m[1], m[2]);
  const c1 = cross(m[2], m[0]);
  const c2 = cross(m[0], m[1]);
  return [
    [c0[0] / d, c1[0] / d, c2[0] / d],
    [c0[1] / d, c1[1] / d, c2[1] / d],
    [c0[2] / d, c1[2] / d, c2[2] / d],
  ];
}

/** Row vector times matrix: fractional → Cartesian with the cell, Cartesian → fractional with its inverse. */
export function vecMat(v: Vec3, m: Mat3): Vec3 {
  return [
    v[0] * m[0][0] + v[1] * m[1][0] + v[2] * m[2][0],
    v[0] * m[0][1] + v[1] * m[1][1] + v[2] * m[2][1],
    v[0] * m[0][2] + v[1] * m[1][2] + v[2] * m[2][2],
  ];
}

/**
 * Distance between opposite faces of the cell along each axis: |det| / |a_j × a_k|. Two points closer than d
 * differ by at most d / h_k in fractional coordinate k, which sizes bins and image shells.
 */
export function perpendicularHeights(cell: Mat3): Vec3 {
  const v = Math.abs(det3(cell));
  return [v / norm(cross(cell[1], cell[2])), v / norm(cross(cell[2], cell[0])), v / norm(cross(cell[0], cell[1]))];
}

// cos(90°) in floating point is 6e-17, not 0; exact right angles keep orthogonal cells exactly orthogonal.
function cosDeg(angle: number): number {
  return Math.abs(angle - 90) < 1e-10 ? 0 : Math.cos((angle * Math.PI) / 180);
}

/**
 * Cell rows from lengths (Å) and angles (degrees) in the standard crystallographic setting (as in ASE's
 * cellpar_to_cell and the CIF/PDB convention): a along x, b in the xy plane, c completing a right-handed cell.
 * Undefined when the parameters do not describe a cell (non-positive length, angles that cannot close).
 */
export function cellFromParameters(
  a: number, b: number, c: number, alpha: number, beta: number, gamma: number,
): Mat3 | undefined {
  if (!(a > 0 && b > 0 && c > 0)) return undefined;
  if (![alpha, beta, gamma].every((t) => t > 0 && t < 180)) return undefined;
  const ca = cosDeg(alpha);
  const cb = cosDeg(beta);
  const cg = cosDeg(gamma);
  const sg = Math.sin((gamma * Math.PI) / 180);
  const cy = (ca - cb * cg) / sg;
  const cz2 = 1 - cb * cb - cy * cy;
  // Angles summing to 360° give a flat cell, cz2 = 0 up to rounding.
  if (!(cz2 > 1e-12)) return undefined;
  return [
    [a, 0, 0],
    [b * cg, b * sg, 0],
    [c * cb, c * cy, c * Math.sqrt(cz2)],
  ];
}
