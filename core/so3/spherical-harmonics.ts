/**
 * Real spherical harmonics Y_l(r̂), l ≤ SH_LMAX, in the "wiki" order m = −l…l (DESIGN.md §3), evaluated from the
 * generated monomial table (scripts/generate-spherical-harmonics.ts). Orthonormal on the unit sphere; r is
 * normalised here, so any non-zero vector may be passed. The same table will drive the TensorFlow.js version.
 */
import { HamError } from '../contracts/errors.ts';
import { SH_LMAX, SH_TERMS } from './spherical-harmonics.generated.ts';

export { SH_LMAX };

/** Y_l(r): Float64Array of length 2l + 1, entries m = −l…l. `r` has 3 components. */
export function sphericalHarmonics(l: number, r: ArrayLike<number>): Float64Array {
  checkDegree(l, 'l');
  if (r.length !== 3) throw new HamError('E_INPUT', `spherical harmonics need a 3-vector, got length ${r.length}`);
  const out = new Float64Array(2 * l + 1);
  const powers = unitPowers(r[0], r[1], r[2], l, 0);
  evaluateDegree(l, powers, out, 0);
  return out;
}

/** Y_l for n vectors given row-major n×3; returns row-major n×(2l + 1). */
export function sphericalHarmonicsBatch(l: number, points: ArrayLike<number>): Float64Array {
  checkDegree(l, 'l');
  if (points.length % 3 !== 0) {
    throw new HamError('E_INPUT', `points must be a flat n×3 array, got length ${points.length}`);
  }
  const n = points.length / 3;
  const width = 2 * l + 1;
  const out = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const powers = unitPowers(points[3 * i], points[3 * i + 1], points[3 * i + 2], l, i);
    evaluateDegree(l, powers, out, i * width);
  }
  return out;
}

/** [Y_0(r), Y_1(r), …, Y_lmax(r)] concatenated: length (lmax + 1)². */
export function sphericalHarmonicsUpTo(lmax: number, r: ArrayLike<number>): Float64Array {
  checkDegree(lmax, 'lmax');
  if (r.length !== 3) throw new HamError('E_INPUT', `spherical harmonics need a 3-vector, got length ${r.length}`);
  const out = new Float64Array((lmax + 1) * (lmax + 1));
  const powers = unitPowers(r[0], r[1], r[2], lmax, 0);
  for (let l = 0; l <= lmax; l++) evaluateDegree(l, powers, out, l * l);
  return out;
}

interface Powers {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

/** Powers 0…degree of the components of r/|r|; `index` only labels the error message. */
function unitPowers(x: number, y: number, z: number, degree: number, index: number): Powers {
  const norm = Math.hypot(x, y, z);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new HamError('E_INPUT', `vector ${index} (${x}, ${y}, ${z}) has no direction: need a finite non-zero vector`);
  }
  const [ux, uy, uz] = [x / norm, y / norm, z / norm];
  const p: Powers = { x: new Float64Array(degree + 1), y: new Float64Array(degree + 1), z: new Float64Array(degree + 1) };
  p.x[0] = p.y[0] = p.z[0] = 1;
  for (let k = 1; k <= degree; k++) {
    p.x[k] = p.x[k - 1] * ux;
    p.y[k] = p.y[k - 1] * uy;
    p.z[k] = p.z[k - 1] * uz;
  }
  return p;
}

function evaluateDegree(l: number, p: Powers, out: Float64Array, offset: number): void {
  const rows = SH_TERMS[l];
  for (let i = 0; i < rows.length; i++) {
    let sum = 0;
    for (const [coefficient, a, b, c] of rows[i]) sum += coefficient * p.x[a] * p.y[b] * p.z[c];
    out[offset + i] = sum;
  }
}

function checkDegree(l: number, name: string): void {
  if (!Number.isInteger(l) || l < 0 || l > SH_LMAX) {
    throw new HamError('E_INPUT', `spherical harmonics: ${name} must be an integer in 0…${SH_LMAX}, got ${l}`);
  }
}
