/**
 * Proper rotation matrices R ∈ SO(3), stored row-major as 9 numbers, acting on column vectors: r_rot = R r.
 * (The same layout as a (3, 3) array read from a .npy file, e.g. the rotated datasets' rotations.npy.)
 */
import { HamError } from '../contracts/errors.ts';
import type { Rng } from '../runtime/rng.ts';

/** How far RᵀR may be from I, and det R from 1, for R to count as a rotation (float32 inputs pass). */
const ROTATION_TOLERANCE = 1e-6;

/** Rotation by `angle` (radians, right-hand rule) about `axis` (any non-zero 3-vector): Rodrigues' formula. */
export function rotationFromAxisAngle(axis: ArrayLike<number>, angle: number): Float64Array {
  const norm = axis.length === 3 ? Math.hypot(axis[0], axis[1], axis[2]) : 0;
  if (!(norm > 0) || !Number.isFinite(norm) || !Number.isFinite(angle)) {
    throw new HamError('E_INPUT', 'rotationFromAxisAngle needs a finite non-zero 3-vector axis and a finite angle');
  }
  const half = angle / 2;
  const s = Math.sin(half) / norm;
  return rotationFromQuaternion(Math.cos(half), axis[0] * s, axis[1] * s, axis[2] * s);
}

/**
 * A rotation drawn from the uniform (Haar) measure on SO(3): a unit quaternion uniform on S³ (normalised 4-vector
 * of independent normal deviates; Shoemake, Graphics Gems III, 1992) mapped to its rotation matrix.
 */
export function randomRotation(rng: Rng): Float64Array {
  for (;;) {
    const [w, x, y, z] = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    const norm = Math.hypot(w, x, y, z);
    if (norm > 1e-6) return rotationFromQuaternion(w / norm, x / norm, y / norm, z / norm);
  }
}

/** Throws E_INPUT unless R (row-major 3×3) is orthogonal with determinant +1, to ROTATION_TOLERANCE. */
export function assertRotation(R: ArrayLike<number>): void {
  if (R.length !== 9) throw new HamError('E_INPUT', `a rotation matrix has 9 entries (row-major 3×3), got ${R.length}`);
  let deviation = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const dot = R[i] * R[j] + R[3 + i] * R[3 + j] + R[6 + i] * R[6 + j]; // (RᵀR)_ij
      deviation = Math.max(deviation, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  const det =
    R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]);
  if (!(deviation <= ROTATION_TOLERANCE) || !(Math.abs(det - 1) <= ROTATION_TOLERANCE)) {
    throw new HamError(
      'E_INPUT',
      `not a proper rotation matrix: max |RᵀR − I| = ${deviation.toExponential(2)}, det R = ${det} ` +
        `(need ≤ ${ROTATION_TOLERANCE} and 1; reflections are not rotations)`,
    );
  }
}

/** Rotation matrix of the unit quaternion w + xi + yj + zk (standard formula, e.g. Shoemake 1985). */
function rotationFromQuaternion(w: number, x: number, y: number, z: number): Float64Array {
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  );
}
