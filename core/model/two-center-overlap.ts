/**
 * The overlap head for bases without closed-form integrals (numerical atomic orbitals, DESIGN.md §5 "Overlaps"):
 * S(R) from two-centre Slater–Koster functions fitted to the training data's S blocks.
 *
 * ⟨φ_ia|φ_jb⟩ depends on the bond vector d = r_j + R·cell − r_i only. In a frame whose ẑ is along d the block
 * between shells a (l_a) and b (l_b) is diagonal in m with equal entries for ±m (axial and mirror symmetry):
 * S_frame = diag(V_|m|(|d|)), |m| ≤ min(l_a, l_b) (Slater & Koster, Phys. Rev. 94, 1498 (1954)). With Q the rotation
 * taking d̂ to ẑ and Y(Q r) = D(Q) Y(r), the lab block is S = D_la(Q)ᵀ S_frame D_lb(Q). Each V is a cubic B-spline
 * in |d| fitted by penalised least squares (P-splines, Eilers & Marx, Stat. Sci. 11, 89 (1996)) in float64, so the
 * fit is linear, exact to solve and equivariant by construction. On-site blocks are the element's isotropic mean.
 * PAW codes (GPAW) add small three-centre projector terms to S; the fit's residual on its training data reports
 * how large they are.
 */
import { Matrix, solve } from 'ml-matrix';
import { HamError } from '../contracts/errors.ts';
import { atomOrbitalOffsets, blockData, isOnsite, type HamiltonianSample, type SampleBlocks } from '../datasets/sample.ts';
import { rotationToZ } from '../nn/edge-frame.ts';
import { wignerD } from '../so3/wigner.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { Structure } from '../structure/structure.ts';
import { isCanonicalPair } from './canonical-blocks.ts';

/** One Slater–Koster function: shells a (row atom) and b (column atom) of an element pair, and |m|. */
interface Channel { a: number; b: number; m: number }

export interface TwoCenterOverlap {
  kind: 'two-center';
  /** Uniform cubic B-spline knots: basis function k is centred at start + (k − 1)·step. */
  knots: { start: number; step: number; count: number };
  /** Bond lengths (Å) seen in the fit; beyond the upper end S is zero (the orbitals no longer overlap). */
  range: [number, number];
  /** Per element: on-site S value of each same-l shell pair (a, b), row-major nShells × nShells (0 for l_a ≠ l_b). */
  onsite: Record<string, number[]>;
  /** Per ordered element pair "Zi-Zj" (Zi ≤ Zj): the channels and their spline coefficients. */
  pairs: Record<string, { channels: Channel[]; coef: number[][] }>;
  /** Fit quality on the training blocks: mean and largest |S_fit − S| over entries. */
  residual: { mae: number; max: number; blocks: number };
}

const SPLINE_STEP = 0.05;
const SMOOTHNESS = 1e-6;

/** Cubic B-spline values of the four functions that are non-zero at x (first index and weights). */
function bspline(x: number, knots: TwoCenterOverlap['knots']): { first: number; w: [number, number, number, number] } {
  const u = (x - knots.start) / knots.step;
  const k = Math.min(Math.max(Math.floor(u), 0), knots.count - 4);
  const t = u - k;
  const s = 1 - t;
  return { first: k, w: [(s * s * s) / 6, (3 * t * t * t - 6 * t * t + 4) / 6, (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6, (t * t * t) / 6] };
}

function channelsOf(shellsI: readonly number[], shellsJ: readonly number[]): Channel[] {
  const out: Channel[] = [];
  shellsI.forEach((la, a) => shellsJ.forEach((lb, b) => {
    for (let m = 0; m <= Math.min(la, lb); m++) out.push({ a, b, m });
  }));
  return out;
}

function shellOffsets(ls: readonly number[]): number[] {
  const off = [0];
  for (const l of ls) off.push(off[off.length - 1] + 2 * l + 1);
  return off;
}

/** Per-l Wigner matrices of the frame rotation of bond vector d. */
function frameWigner(d: ArrayLike<number>, lmax: number): Float64Array[] {
  const Q = rotationToZ(d);
  return Array.from({ length: lmax + 1 }, (_, l) => wignerD(l, Q));
}

/** ±m entries of (D_la S_ab D_lbᵀ) averaged: the frame-diagonal value of channel (a, b, |m|). */
function frameValue(S: Float64Array, nCols: number, r0: number, c0: number, la: number, lb: number, m: number, Da: Float64Array, Db: Float64Array): number {
  const na = 2 * la + 1;
  const nb = 2 * lb + 1;
  const entry = (p: number, q: number) => {
    let v = 0;
    for (let x = 0; x < na; x++) {
      let row = 0;
      for (let y = 0; y < nb; y++) row += S[(r0 + x) * nCols + c0 + y] * Db[q * nb + y];
      v += Da[p * na + x] * row;
    }
    return v;
  };
  return m === 0 ? entry(la, lb) : (entry(la + m, lb + m) + entry(la - m, lb - m)) / 2;
}

/** Add D_laᵀ diag(V) D_lb of one shell pair into the block (row-major, nCols columns). */
function addShellPair(out: Float64Array, nCols: number, r0: number, c0: number, la: number, lb: number, V: number[], Da: Float64Array, Db: Float64Array): void {
  const na = 2 * la + 1;
  const nb = 2 * lb + 1;
  for (let x = 0; x < na; x++) {
    for (let y = 0; y < nb; y++) {
      let v = 0;
      for (let m = -Math.min(la, lb); m <= Math.min(la, lb); m++) v += Da[(la + m) * na + x] * V[Math.abs(m)] * Db[(lb + m) * nb + y];
      out[(r0 + x) * nCols + c0 + y] += v;
    }
  }
}

const pairKey = (zi: number, zj: number) => `${zi}-${zj}`;

/** Fit the overlap head to every sample's S blocks (canonical direction; the reverse is the transpose). */
export function fitTwoCenterOverlap(samples: readonly HamiltonianSample[], shells: Record<string, number[]>): TwoCenterOverlap {
  const onsiteSum = new Map<number, { sum: Float64Array; n: number }>();
  const bonds = new Map<string, { d: number[]; y: number[][] }>();
  let dmin = Infinity;
  let dmax = 0;
  for (const s of samples) {
    if (!s.blocks.S) throw new HamError('E_INPUT', `${s.id} has no overlap matrix S to fit the overlap head to`);
    const z = s.structure.numbers;
    const { i: I, j: J, R } = s.blocks;
    for (let blk = 0; blk < I.length; blk++) {
      const i = I[blk];
      const j = J[blk];
      const S = blockData(s.blocks, 'S', blk);
      const li = shells[z[i]];
      const lj = shells[z[j]];
      if (isOnsite(s.blocks, blk)) {
        const acc = onsiteSum.get(z[i]) ?? { sum: new Float64Array(li.length * li.length), n: 0 };
        const off = shellOffsets(li);
        const n = off[li.length];
        li.forEach((la, a) => li.forEach((lb, b) => {
          if (la !== lb) return;
          let tr = 0;
          for (let x = 0; x < 2 * la + 1; x++) tr += S[(off[a] + x) * n + off[b] + x];
          acc.sum[a * li.length + b] += tr / (2 * la + 1);
        }));
        acc.n++;
        onsiteSum.set(z[i], acc);
        continue;
      }
      if (!isCanonicalPair(z[i], z[j], i, j, R, 3 * blk)) continue;
      const d = bondVector(s.structure, i, j, R, 3 * blk);
      const dist = Math.hypot(d[0], d[1], d[2]);
      dmin = Math.min(dmin, dist);
      dmax = Math.max(dmax, dist);
      const D = frameWigner(d, Math.max(...li, ...lj));
      const oi = shellOffsets(li);
      const oj = shellOffsets(lj);
      const channels = channelsOf(li, lj);
      const key = pairKey(z[i], z[j]);
      const acc = bonds.get(key) ?? { d: [], y: channels.map(() => []) };
      acc.d.push(dist);
      channels.forEach((c, k) => acc.y[k].push(frameValue(S, oj[lj.length], oi[c.a], oj[c.b], li[c.a], lj[c.b], c.m, D[li[c.a]], D[lj[c.b]])));
      bonds.set(key, acc);
    }
  }
  if (bonds.size === 0) throw new HamError('E_INPUT', 'the training data have no off-site overlap blocks to fit the overlap head to');
  // Knots cover the data with three spare intervals on each side so every data point has full support.
  const start = Math.max(0, dmin - 3 * SPLINE_STEP);
  const knots = { start, step: SPLINE_STEP, count: Math.ceil((dmax - start) / SPLINE_STEP) + 4 };
  const pairs: TwoCenterOverlap['pairs'] = {};
  for (const [key, acc] of bonds) {
    const [zi, zj] = key.split('-');
    pairs[key] = { channels: channelsOf(shells[zi], shells[zj]), coef: penalisedSplineFit(acc.d, acc.y, knots) };
  }
  const onsite: TwoCenterOverlap['onsite'] = {};
  for (const [z, acc] of onsiteSum) onsite[z] = Array.from(acc.sum, (v) => v / acc.n);
  const model: TwoCenterOverlap = { kind: 'two-center', knots, range: [dmin, dmax], onsite, pairs, residual: { mae: 0, max: 0, blocks: 0 } };
  model.residual = overlapResidual(model, samples, shells);
  return model;
}

/** Solve (BᵀB + λ·DᵀD) c = Bᵀy for all channels, D the second-difference operator on the coefficients. */
function penalisedSplineFit(d: number[], y: number[][], knots: TwoCenterOverlap['knots']): number[][] {
  const K = knots.count;
  const A = new Matrix(K, K);
  const rhs = new Matrix(K, y.length);
  d.forEach((x, p) => {
    const { first, w } = bspline(x, knots);
    for (let u = 0; u < 4; u++) {
      for (let v = 0; v < 4; v++) A.set(first + u, first + v, A.get(first + u, first + v) + w[u] * w[v]);
      y.forEach((yc, c) => rhs.set(first + u, c, rhs.get(first + u, c) + w[u] * yc[p]));
    }
  });
  const lambda = SMOOTHNESS * Math.max(1, d.length / K);
  for (let k = 0; k + 2 < K; k++) {
    const row = [1, -2, 1];
    for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) A.set(k + u, k + v, A.get(k + u, k + v) + lambda * row[u] * row[v]);
  }
  const c = solve(A, rhs);
  return y.map((_, ch) => c.getColumn(ch));
}

function bondVector(st: Structure, i: number, j: number, R: ArrayLike<number>, off: number): [number, number, number] {
  const d: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    d[k] = st.positions[j][k] - st.positions[i][k];
    if (st.cell) for (let a = 0; a < 3; a++) d[k] += R[off + a] * st.cell[a][k];
  }
  return d;
}

/** The S block of the canonical pair (i → j) with bond vector d, row-major. */
function canonicalBlock(model: TwoCenterOverlap, zi: number, zj: number, li: readonly number[], lj: readonly number[], d: ArrayLike<number>): Float64Array {
  const oi = shellOffsets(li);
  const oj = shellOffsets(lj);
  const nCols = oj[lj.length];
  const out = new Float64Array(oi[li.length] * nCols);
  const dist = Math.hypot(d[0], d[1], d[2]);
  if (dist > model.range[1]) return out;
  const pair = model.pairs[pairKey(zi, zj)];
  if (!pair) throw new HamError('E_UNSUPPORTED_ELEMENT', `the overlap head has no ${elementSymbol(zi)}–${elementSymbol(zj)} pairs`);
  const { first, w } = bspline(dist, model.knots);
  const value = (k: number) => w[0] * pair.coef[k][first] + w[1] * pair.coef[k][first + 1] + w[2] * pair.coef[k][first + 2] + w[3] * pair.coef[k][first + 3];
  const D = frameWigner(d, Math.max(...li, ...lj));
  let k = 0;
  li.forEach((la, a) => lj.forEach((lb, b) => {
    const V: number[] = [];
    for (let m = 0; m <= Math.min(la, lb); m++, k++) V.push(value(k));
    addShellPair(out, nCols, oi[a], oj[b], la, lb, V, D[la], D[lb]);
  }));
  return out;
}

/**
 * Predicted S for every block of `blocks` (same layout as blocks.H): on-site blocks the element's mean, off-site
 * blocks of the canonical direction from the splines and the reverse direction their transpose, so
 * S_ji(−R) = S_ij(R)ᵀ exactly.
 */
export function overlapBlocks(model: TwoCenterOverlap, structure: Structure, atomShells: readonly (readonly number[])[], blocks: SampleBlocks): Float64Array {
  const S = new Float64Array(blocks.H.length);
  const z = structure.numbers;
  const orb = atomOrbitalOffsets(atomShells);
  for (let b = 0; b < blocks.i.length; b++) {
    const i = blocks.i[b];
    const j = blocks.j[b];
    const li = atomShells[i];
    const lj = atomShells[j];
    const at = blocks.offsets[b];
    if (isOnsite(blocks, b)) {
      const mean = model.onsite[z[i]];
      if (!mean) throw new HamError('E_UNSUPPORTED_ELEMENT', `the overlap head has no on-site values for ${elementSymbol(z[i])}`);
      const off = shellOffsets(li);
      const n = orb[i + 1] - orb[i];
      li.forEach((la, a) => li.forEach((lb, c) => {
        if (la === lb) for (let x = 0; x < 2 * la + 1; x++) S[at + (off[a] + x) * n + off[c] + x] = mean[a * li.length + c];
      }));
      continue;
    }
    const rows = orb[i + 1] - orb[i];
    const cols = orb[j + 1] - orb[j];
    if (isCanonicalPair(z[i], z[j], i, j, blocks.R, 3 * b)) {
      S.set(canonicalBlock(model, z[i], z[j], li, lj, bondVector(structure, i, j, blocks.R, 3 * b)), at);
    } else {
      const Rm = [-blocks.R[3 * b], -blocks.R[3 * b + 1], -blocks.R[3 * b + 2]];
      const t = canonicalBlock(model, z[j], z[i], lj, li, bondVector(structure, j, i, Rm, 0));
      for (let x = 0; x < rows; x++) for (let y = 0; y < cols; y++) S[at + x * cols + y] = t[y * rows + x];
    }
  }
  return S;
}

function overlapResidual(model: TwoCenterOverlap, samples: readonly HamiltonianSample[], shells: Record<string, number[]>): TwoCenterOverlap['residual'] {
  let sum = 0;
  let count = 0;
  let max = 0;
  let blocks = 0;
  for (const s of samples) {
    const atomShells = s.structure.numbers.map((z) => shells[z]);
    const fit = overlapBlocks(model, s.structure, atomShells, s.blocks);
    fit.forEach((v, k) => {
      const e = Math.abs(v - s.blocks.S![k]);
      sum += e;
      max = Math.max(max, e);
    });
    count += fit.length;
    blocks += s.blocks.i.length;
  }
  return { mae: sum / Math.max(count, 1), max, blocks };
}

/**
 * Overlap eigenvalues below this fraction of the largest are dropped when S(k) comes from the overlap head: its
 * errors (~1e-3 in the worst entries, three-centre terms it does not model) would otherwise turn S(k)'s smallest,
 * physically ~1e-5 eigenvalues negative. Those directions belong to states far above E_F (measured on graphene dzp:
 * band MAE within ±2 eV of E_F 3.5 meV with the fitted S against the DFT S, threshold 1e-3; 3e-3 already removes
 * directions that matter near E_F).
 */
export const PREDICTED_OVERLAP_THRESHOLD = 1e-3;
