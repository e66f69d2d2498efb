/**
 * Wigner–Eckart plans for Hamiltonian blocks (DESIGN.md §5 "Decoders"). The sub-block between shells a (l_a) and
 * b (l_b) is H_{m_a m_b} = Σ_L Σ_M C^{l_a l_b L}_{m_a m_b M} x_{LM}, L = |l_a − l_b| … l_a + l_b, with C the real
 * Clebsch–Gordan coefficients of core/so3 (orthonormal, so the map between a block and its coefficients x is an
 * orthogonal change of basis: projection is exact and ‖H_ab‖²_F = Σ_L ‖x_L‖²).
 *
 * On-site blocks (an atom with itself) are symmetric: only shell pairs a ≤ b are predicted, the (b, a) sub-block is
 * the transpose, and for a = b only even L appear (C^{l l L} is symmetric in m_a, m_b for even L and antisymmetric
 * for odd L). Off-site blocks predict every (a, b) pair; the reverse direction is the transpose.
 */
import { clebschGordan } from '../so3/clebsch-gordan.ts';

/** One irrep-L coefficient group of a block: shells a, b and the irrep L they couple to. */
export interface CoefficientGroup {
  a: number;
  b: number;
  la: number;
  lb: number;
  L: number;
  /** Offset of (a, b)'s rows / columns inside the block. */
  rowOffset: number;
  colOffset: number;
  /** Index of this group among the groups with the same L (position along the network's channel axis for L). */
  slot: number;
}

export interface BlockPlan {
  onsite: boolean;
  rowShells: number[];
  colShells: number[];
  rows: number;
  cols: number;
  groups: CoefficientGroup[];
  /** Number of coefficient groups per L (index L), i.e. how many irrep-L channels the decoder outputs. */
  slotsPerL: number[];
  /** Σ_groups (2L+1): length of the flat coefficient vector. */
  nCoefficients: number;
  /** Shell pairs (a, b) whose traces ‖H_ab‖² are labels, in this order (a ≤ b on-site). */
  shellPairs: [number, number][];
}

const offsetsOf = (ls: readonly number[]) => {
  const off: number[] = [];
  let n = 0;
  for (const l of ls) { off.push(n); n += 2 * l + 1; }
  return { off, n };
};

export function blockPlan(rowShells: readonly number[], colShells: readonly number[], onsite: boolean): BlockPlan {
  const r = offsetsOf(rowShells);
  const c = offsetsOf(colShells);
  const groups: CoefficientGroup[] = [];
  const shellPairs: [number, number][] = [];
  const slotsPerL: number[] = [];
  rowShells.forEach((la, a) => {
    colShells.forEach((lb, b) => {
      if (onsite && b < a) return;
      shellPairs.push([a, b]);
      for (let L = Math.abs(la - lb); L <= la + lb; L++) {
        if (onsite && a === b && L % 2 === 1) continue;
        while (slotsPerL.length <= L) slotsPerL.push(0);
        groups.push({ a, b, la, lb, L, rowOffset: r.off[a], colOffset: c.off[b], slot: slotsPerL[L]++ });
      }
    });
  });
  const nCoefficients = groups.reduce((acc, g) => acc + 2 * g.L + 1, 0);
  return { onsite, rowShells: [...rowShells], colShells: [...colShells], rows: r.n, cols: c.n, groups, slotsPerL, nCoefficients, shellPairs };
}

/** Offset of each group in the flat coefficient vector (groups in plan order). */
export function groupOffsets(plan: BlockPlan): number[] {
  const off: number[] = [];
  let k = 0;
  for (const g of plan.groups) { off.push(k); k += 2 * g.L + 1; }
  return off;
}

/**
 * The assembly matrix G (rows·cols × nCoefficients, row-major) with vec(block) = G x, built column by column from
 * assembleBlock so the two cannot disagree. Used to decode many blocks with one matmul.
 */
export function assemblyMatrix(plan: BlockPlan): Float64Array {
  const nc = plan.nCoefficients;
  const G = new Float64Array(plan.rows * plan.cols * nc);
  const unit = new Float64Array(nc);
  for (let k = 0; k < nc; k++) {
    unit.fill(0);
    unit[k] = 1;
    assembleBlock(plan, unit).forEach((v, e) => { G[e * nc + k] = v; });
  }
  return G;
}

/**
 * Visit every (m_a, m_b) entry of every coefficient group: `entry` is its index in the row-major block, `coef` the
 * offset of the group's coefficients, `cg` the CG data at `cgBase` (2L+1 values over M), and `mirror` the index of
 * the transposed entry that on-site plans also fill (−1 otherwise). Projection and assembly are the two directions
 * of this one map.
 */
function forEachEntry(
  plan: BlockPlan,
  visit: (entry: number, coef: number, cg: Float64Array, cgBase: number, nL: number, mirror: number) => void,
): void {
  const offs = groupOffsets(plan);
  const rowOff = offsetsOf(plan.rowShells).off;
  const colOff = offsetsOf(plan.colShells).off;
  plan.groups.forEach((g, k) => {
    const cg = clebschGordan(g.la, g.lb, g.L).data;
    const na = 2 * g.la + 1;
    const nb = 2 * g.lb + 1;
    const nL = 2 * g.L + 1;
    const mirrored = plan.onsite && g.a !== g.b;
    for (let ma = 0; ma < na; ma++) {
      for (let mb = 0; mb < nb; mb++) {
        const mirror = mirrored ? (rowOff[g.b] + mb) * plan.cols + colOff[g.a] + ma : -1;
        visit((g.rowOffset + ma) * plan.cols + g.colOffset + mb, offs[k], cg, (ma * nb + mb) * nL, nL, mirror);
      }
    }
  });
}

/** Coefficients of a block: x = Π vec(block) with Π the pseudo-inverse of G (exact on blocks of the plan's form). */
export function projectBlock(plan: BlockPlan, block: ArrayLike<number>): Float64Array {
  const x = new Float64Array(plan.nCoefficients);
  forEachEntry(plan, (entry, coef, cg, cgBase, nL) => {
    const h = block[entry];
    if (h !== 0) for (let M = 0; M < nL; M++) x[coef + M] += cg[cgBase + M] * h;
  });
  return x;
}

/** Block from coefficients (vec(block) = G x), written into a new rows×cols array. */
export function assembleBlock(plan: BlockPlan, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(plan.rows * plan.cols);
  forEachEntry(plan, (entry, coef, cg, cgBase, nL, mirror) => {
    let s = 0;
    for (let M = 0; M < nL; M++) s += cg[cgBase + M] * x[coef + M];
    out[entry] += s;
    if (mirror >= 0) out[mirror] += s;
  });
  return out;
}
