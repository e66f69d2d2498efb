/**
 * Edge frames for SO(2) convolutions (Passaro & Zitnick, "Reducing SO(3) Convolutions to SO(2) for Efficient
 * Equivariant GNNs", ICML 2023): for each edge a rotation R_e with R_e r̂_e = ẑ, and the block-diagonal real Wigner
 * matrix D(R_e) for l = 0…lmax with its rows reordered "m-major" — the m = 0 components of every l, then for each
 * m = 1…lmax the +m components (l = m…lmax) and the −m components (l = m…lmax). In that frame an equivariant
 * tensor product with the edge's harmonics only couples components of equal |m|. The rotation about ẑ is left free
 * (any choice gives the same result, because the SO(2) linear map commutes with it). Float64 on the CPU.
 */
import { wignerDUpTo } from '../so3/wigner.ts';

/** Wiki-order index (l² + l + m) of each m-major position, and the block sizes n_m = lmax + 1 − m. */
export function mMajorOrder(lmax: number): { index: number[]; blockSizes: number[] } {
  const index: number[] = [];
  for (let l = 0; l <= lmax; l++) index.push(l * l + l);
  for (let m = 1; m <= lmax; m++) {
    for (let l = m; l <= lmax; l++) index.push(l * l + l + m);
    for (let l = m; l <= lmax; l++) index.push(l * l + l - m);
  }
  return { index, blockSizes: Array.from({ length: lmax + 1 }, (_, m) => lmax + 1 - m) };
}

/** A proper rotation (row-major 3×3) taking the unit vector of v to ẑ. */
export function rotationToZ(v: ArrayLike<number>): Float64Array {
  const n = Math.hypot(v[0], v[1], v[2]);
  const r = [v[0] / n, v[1] / n, v[2] / n];
  const a = Math.abs(r[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const d = a[0] * r[0] + a[1] * r[1] + a[2] * r[2];
  const u0 = [a[0] - d * r[0], a[1] - d * r[1], a[2] - d * r[2]];
  const un = Math.hypot(u0[0], u0[1], u0[2]);
  const u = u0.map((x) => x / un);
  const w = [r[1] * u[2] - r[2] * u[1], r[2] * u[0] - r[0] * u[2], r[0] * u[1] - r[1] * u[0]];
  // rows (u, w, r): R r = ẑ and det R = u · (w × r) = +1 since w = r × u.
  return Float64Array.from([...u, ...w, ...r]);
}

/** D'(R_e) for every edge: row-major [E, (lmax+1)², (lmax+1)²], rows m-major, columns wiki order. */
export function edgeFrameWigner(vectors: ArrayLike<number>, nEdges: number, lmax: number): Float32Array {
  const dim = (lmax + 1) ** 2;
  const { index } = mMajorOrder(lmax);
  const rowOf = new Int32Array(dim);
  index.forEach((wikiIdx, k) => { rowOf[wikiIdx] = k; });
  const out = new Float32Array(nEdges * dim * dim);
  for (let e = 0; e < nEdges; e++) {
    const Ds = wignerDUpTo(lmax, rotationToZ([vectors[3 * e], vectors[3 * e + 1], vectors[3 * e + 2]]));
    const base = e * dim * dim;
    for (let l = 0; l <= lmax; l++) {
      const D = Ds[l];
      const n = 2 * l + 1;
      for (let a = 0; a < n; a++) {
        const row = rowOf[l * l + a];
        for (let b = 0; b < n; b++) out[base + row * dim + l * l + b] = D[a * n + b];
      }
    }
  }
  return out;
}
