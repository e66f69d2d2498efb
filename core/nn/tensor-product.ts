/**
 * Equivariant tensor product of edge features with the edge direction's spherical harmonics, weighted per path and
 * channel by a radial MLP (NequIP's "uvu" convolution; Batzner et al., Nat. Commun. 13, 2453 (2022), eq. 4):
 *
 *   out_{l3}[e, m3, c] = Σ_{paths (l1, l2, l3)} w_p[e, c] Σ_{m1 m2} C^{l1 l2 l3}_{m1 m2 m3} Y_{l2 m2}(r̂_e) x_{l1}[e, m1, c]
 *
 * with the explicit path list of `tensorProductPaths` (e3nn-style instructions). Paths are grouped by (l1, l3): the
 * geometric factor B_g[e] = Σ_{m2} C Y (one (n2·(2l3+1)) × (2l1+1) matrix per edge and group, n2 the number of l2)
 * is computed on the CPU in float64 once per batch (positions need no gradient), so each group costs one batched
 * matmul, a weighting and a sum over l2. SO(3) only (no parity), as QHNet: every l1 ⊗ l2 → l3 allowed by the
 * triangle rule is a path.
 */
import * as tf from '@tensorflow/tfjs';
import { clebschGordan } from '../so3/clebsch-gordan.ts';
import { sphericalHarmonicsUpTo } from '../so3/spherical-harmonics.ts';
import type { IrrepFeatures } from './irrep-features.ts';

export interface PathGroup {
  l1: number;
  l3: number;
  /** The l2 of each path in the group. */
  l2s: number[];
  /** Index of the group's first path in the flat path list (weights are [E, nPaths, c]). */
  firstPath: number;
}

export interface PathPlan {
  lmax: number;
  shLmax: number;
  groups: PathGroup[];
  nPaths: number;
  /** Number of paths arriving at each l3 (for the 1/√n normalisation). */
  pathsPerL3: number[];
}

export function tensorProductPaths(lmax: number, shLmax: number): PathPlan {
  const groups: PathGroup[] = [];
  const pathsPerL3 = new Array<number>(lmax + 1).fill(0);
  let nPaths = 0;
  for (let l1 = 0; l1 <= lmax; l1++) {
    for (let l3 = 0; l3 <= lmax; l3++) {
      const l2s: number[] = [];
      for (let l2 = Math.abs(l1 - l3); l2 <= Math.min(l1 + l3, shLmax); l2++) l2s.push(l2);
      if (l2s.length === 0) continue;
      groups.push({ l1, l3, l2s, firstPath: nPaths });
      nPaths += l2s.length;
      pathsPerL3[l3] += l2s.length;
    }
  }
  return { lmax, shLmax, groups, nPaths, pathsPerL3 };
}

/**
 * Geometric factors B_g for every group, from edge vectors (n×3, any length unit): row-major
 * [E, n2·(2l3+1), 2l1+1] per group, with Y in "component" normalisation (‖Y_l‖² = 2l+1) so that features keep
 * unit scale.
 */
export function geometricFactors(plan: PathPlan, vectors: ArrayLike<number>, nEdges: number): Float32Array[] {
  const nY = (plan.shLmax + 1) ** 2;
  const Y = new Float64Array(nEdges * nY);
  const scale = Math.sqrt(4 * Math.PI);
  for (let e = 0; e < nEdges; e++) {
    const y = sphericalHarmonicsUpTo(plan.shLmax, [vectors[3 * e], vectors[3 * e + 1], vectors[3 * e + 2]]);
    for (let k = 0; k < nY; k++) Y[e * nY + k] = y[k] * scale;
  }
  return plan.groups.map(({ l1, l3, l2s }) => {
    const n1 = 2 * l1 + 1;
    const n3 = 2 * l3 + 1;
    const rows = l2s.length * n3;
    const out = new Float32Array(nEdges * rows * n1);
    l2s.forEach((l2, k) => {
      const n2 = 2 * l2 + 1;
      const cg = clebschGordan(l1, l2, l3).data; // [m1][m2][m3]
      const yOff = l2 * l2;
      for (let e = 0; e < nEdges; e++) {
        const base = e * rows * n1;
        for (let m1 = 0; m1 < n1; m1++) {
          for (let m2 = 0; m2 < n2; m2++) {
            const y = Y[e * nY + yOff + m2];
            if (y === 0) continue;
            for (let m3 = 0; m3 < n3; m3++) {
              const c = cg[(m1 * n2 + m2) * n3 + m3];
              if (c !== 0) out[base + (k * n3 + m3) * n1 + m1] += c * y;
            }
          }
        }
      }
    });
    return out;
  });
}

/** The tensors of geometricFactors for one batch. */
export function geometricFactorTensors(plan: PathPlan, factors: Float32Array[], nEdges: number): tf.Tensor3D[] {
  return plan.groups.map((g, k) => tf.tensor3d(factors[k], [nEdges, g.l2s.length * (2 * g.l3 + 1), 2 * g.l1 + 1]));
}

/**
 * Apply the tensor product: x per l1 [E, 2l1+1, c], B from geometricFactorTensors, weights [E, nPaths, c].
 * Returns per l3 [E, 2l3+1, c].
 */
export function tensorProduct(plan: PathPlan, x: IrrepFeatures, B: tf.Tensor3D[], weights: tf.Tensor3D): IrrepFeatures {
  const [E, , c] = x[0].shape;
  const acc: (tf.Tensor3D | undefined)[] = new Array(plan.lmax + 1).fill(undefined);
  plan.groups.forEach((g, k) => {
    const n2 = g.l2s.length;
    const n3 = 2 * g.l3 + 1;
    const u = tf.matMul(B[k], x[g.l1]).reshape([E, n2, n3, c]);
    const w = weights.slice([0, g.firstPath, 0], [E, n2, c]).reshape([E, n2, 1, c]);
    const part = u.mul(w).sum(1) as tf.Tensor3D;
    acc[g.l3] = acc[g.l3] ? (acc[g.l3]!.add(part) as tf.Tensor3D) : part;
  });
  return acc.map((a, l3) => a!.mul(1 / Math.sqrt(plan.pathsPerL3[l3])) as tf.Tensor3D);
}
