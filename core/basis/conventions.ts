/**
 * Orbital-order conventions of DFT codes and file formats (reference/formats-and-conventions.md §4.1).
 * Within one shell of angular momentum l: wiki[i] = sign[i] · code[perm[i]] (0-based), where wiki is the
 * internal order (real spherical harmonics m = −l…l, no Condon–Shortley phase; l = 1 is y, z, x).
 * A matrix converts as M_wiki[a,b] = s_a s_b M_code[P(a), P(b)].
 *
 * Each code is described by the rule that generates its table rows (which m sits at each position, and which m
 * carry a sign flip), so the rows in the reference table are consequences that the tests check, and codes whose
 * rule is known for every l (psi4, Molden, ORCA, GPAW, SIESTA, FHI-aims, ABACUS) work beyond l = 3.
 */
import { HamError } from '../contracts/errors.ts';

export const ORBITAL_CONVENTIONS = [
  'wiki', 'gpaw', 'psi4', 'pyscf', 'molden', 'orca', 'openmx', 'deeph-legacy', 'deeph', 'abacus', 'siesta', 'fhi-aims',
] as const;
export type OrbitalConvention = (typeof ORBITAL_CONVENTIONS)[number];

/** Which m each position of a code's shell holds, and the sign of each m relative to the wiki function. */
interface ConventionRule {
  description: string;
  /** m value at each code position, for angular momentum l; undefined when the code's order for l is unknown. */
  order(l: number): number[] | undefined;
  sign(m: number, l: number): 1 | -1;
}

const mRange = (l: number): number[] => Array.from({ length: 2 * l + 1 }, (_, i) => i - l);
/** m = 0, +1, −1, +2, −2, … (psi4, Molden and ORCA for l ≥ 2, ABACUS). */
const mZeroFirst = (l: number): number[] => [0, ...Array.from({ length: l }, (_, k) => [k + 1, -(k + 1)]).flat()];
const P_XYZ = [1, -1, 0];
const plus = (): 1 => 1;

const RULES: Record<OrbitalConvention, ConventionRule> = {
  wiki: { description: 'internal: real SH m = −l…l, no Condon–Shortley phase (p: y, z, x)', order: mRange, sign: plus },
  gpaw: { description: 'GPAW LCAO: m = −l…l, positive prefactors (= wiki)', order: mRange, sign: plus },
  psi4: { description: 'psi4 pure: m = 0, +1, −1, +2, −2, … (p: z, x, y)', order: mZeroFirst, sign: plus },
  pyscf: {
    description: 'PySCF cart=False: p is x, y, z; l ≥ 2 m = −l…l',
    order: (l) => (l === 1 ? P_XYZ : mRange(l)),
    sign: plus,
  },
  molden: {
    description: 'Molden pure ([5D7F9G]): p x, y, z; l ≥ 2 m = 0, +1, −1, +2, −2, …',
    order: (l) => (l === 1 ? P_XYZ : mZeroFirst(l)),
    sign: plus,
  },
  orca: {
    description: 'ORCA: m = 0, +1, −1, … (p: z, x, y); functions with |m| ≥ 3 have the opposite sign',
    order: mZeroFirst,
    sign: (m) => (Math.abs(m) >= 3 ? -1 : 1),
  },
  openmx: {
    description: 'OpenMX / legacy DeepH: p x, y, z; d z², x²−y², xy, xz, yz; f m = 0, +1, −1, +2, −2, +3, −3',
    order: (l) => openmxOrder(l),
    sign: plus,
  },
  'deeph-legacy': {
    description: 'legacy DeepH processed folders from OpenMX (= openmx)',
    order: (l) => openmxOrder(l),
    sign: plus,
  },
  deeph: {
    // Confirmed from DeepH-dock's converters: every code's blocks are mapped to Wikipedia's real SH (OpenMX via
    // BASIS_TRANS_OPENMX2WIKI in deepx_dock/convert/deeph/translate_old_dataset_to_new.py, SIESTA with (−1)^m
    // parities in convert/siesta/translate_siesta_to_deeph.py), github.com/kYangLi/DeepH-dock; and numerically on
    // its example overlap.h5 (GaN): ⟨s_N|p_Ga⟩ and ⟨s_N|d_Ga⟩ follow the wiki p and d functions with cosine 1.
    description: 'new DeepH layout (DeepH-dock): Wikipedia real SH m = −l…l, no Condon–Shortley phase (= wiki)',
    order: mRange,
    sign: plus,
  },
  abacus: {
    description: 'ABACUS: m = 0, +1, −1, …, with sign (−1)^m',
    order: mZeroFirst,
    sign: (m) => (m % 2 === 0 ? 1 : -1),
  },
  siesta: {
    description: 'SIESTA: m = −l…l with sign (−1)^m',
    order: mRange,
    sign: (m) => (m % 2 === 0 ? 1 : -1),
  },
  'fhi-aims': {
    description: 'FHI-aims: m = −l…l, Condon–Shortley sign on odd positive m',
    order: mRange,
    sign: (m) => (m > 0 && m % 2 === 1 ? -1 : 1),
  },
};

function openmxOrder(l: number): number[] | undefined {
  if (l === 0) return [0];
  if (l === 1) return P_XYZ;
  if (l === 2) return [0, 2, -2, 1, -1];
  if (l === 3) return mZeroFirst(3);
  return undefined;
}

export function isOrbitalConvention(name: string): name is OrbitalConvention {
  return (ORBITAL_CONVENTIONS as readonly string[]).includes(name);
}

export function conventionDescription(c: OrbitalConvention): string {
  return RULES[c].description;
}

export interface ShellPermutation {
  /** wiki position i takes code position perm[i]. */
  perm: number[];
  /** sign[i] multiplies code[perm[i]]. */
  sign: number[];
}

/** perm/sign of one shell of angular momentum l for code `c` (wiki[i] = sign[i] · code[perm[i]]). */
export function shellPermutation(c: OrbitalConvention, l: number): ShellPermutation {
  const rule = RULES[c];
  const order = rule.order(l);
  if (!order) throw new HamError('E_UNSUPPORTED_ELEMENT', `the ${c} orbital order is not known for l = ${l}`);
  const perm = mRange(l).map((m) => order.indexOf(m));
  return { perm, sign: mRange(l).map((m) => rule.sign(m, l)) };
}

/**
 * Orbital map for a whole list of shells: wiki orbital a = sign[a] · code orbital index[a]. Both orders share the
 * shell sequence; only the functions within each shell move.
 */
export interface OrbitalMap {
  index: Int32Array;
  sign: Float64Array;
}

export function orbitalMap(shellLs: readonly number[], c: OrbitalConvention): OrbitalMap {
  const n = shellLs.reduce((acc, l) => acc + 2 * l + 1, 0);
  const index = new Int32Array(n);
  const sign = new Float64Array(n);
  let off = 0;
  for (const l of shellLs) {
    const { perm, sign: s } = shellPermutation(c, l);
    for (let i = 0; i <= 2 * l; i++) {
      index[off + i] = off + perm[i];
      sign[off + i] = s[i];
    }
    off += 2 * l + 1;
  }
  return { index, sign };
}

/**
 * Convert a row-major rows×cols block between conventions: `rowShells`/`colShells` are the l of the shells along
 * each axis. Returns a new array; the input is not modified.
 */
export function convertBlock(
  m: ArrayLike<number>,
  rowShells: readonly number[],
  colShells: readonly number[],
  from: OrbitalConvention,
  to: OrbitalConvention,
): Float64Array {
  const nr = rowShells.reduce((a, l) => a + 2 * l + 1, 0);
  const nc = colShells.reduce((a, l) => a + 2 * l + 1, 0);
  if (m.length !== nr * nc) {
    throw new HamError('E_BASIS_MISMATCH', `matrix has ${m.length} entries, the shells need ${nr}×${nc}`);
  }
  if (from === to) return Float64Array.from(m);
  // Go through wiki: first code→wiki for `from`, then wiki→code for `to`.
  const fr = orbitalMap(rowShells, from);
  const fc = orbitalMap(colShells, from);
  const wiki = new Float64Array(nr * nc);
  for (let a = 0; a < nr; a++) {
    const ra = fr.index[a] * nc;
    for (let b = 0; b < nc; b++) wiki[a * nc + b] = fr.sign[a] * fc.sign[b] * m[ra + fc.index[b]];
  }
  if (to === 'wiki') return wiki;
  const tr = orbitalMap(rowShells, to);
  const tc = orbitalMap(colShells, to);
  const out = new Float64Array(nr * nc);
  for (let a = 0; a < nr; a++) {
    const ra = tr.index[a] * nc;
    for (let b = 0; b < nc; b++) out[ra + tc.index[b]] = tr.sign[a] * tc.sign[b] * wiki[a * nc + b];
  }
  return out;
}

/** Convert a square n×n matrix over the same shells on both axes. */
export function convertMatrix(
  m: ArrayLike<number>, shellLs: readonly number[], from: OrbitalConvention, to: OrbitalConvention,
): Float64Array {
  return convertBlock(m, shellLs, shellLs, from, to);
}

/** Convert MO coefficients (rows = AO, `ncol` columns): C_wiki[a,·] = s_a C_code[P(a),·]. */
export function convertCoefficients(
  c: ArrayLike<number>, shellLs: readonly number[], ncol: number, from: OrbitalConvention, to: OrbitalConvention,
): Float64Array {
  const ones = new Array<number>(ncol).fill(0);
  return convertBlock(c, shellLs, ones, from, to);
}
