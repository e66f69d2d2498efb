/**
 * k-point sets (DESIGN.md §4): high-symmetry band paths and Γ-centred Monkhorst–Pack meshes, k fractional in the
 * reciprocal basis b_j of the cell rows (b_i·a_j = 2π δ_ij, as rlat.dat).
 *
 * Automatic paths follow Setyawan & Curtarolo, Comput. Mater. Sci. 49, 299 (2010), for the lattices recognised
 * from the cell alone (their points are then valid fractional coordinates of this cell, because a cell with the
 * same lengths and angles as the standard one has the same Brillouin zone up to a rotation): sc, fcc, bcc
 * (standard primitive vectors), tetragonal, hexagonal, and the 2D square, rectangular and hexagonal lattices of a
 * slab (one lattice vector perpendicular to the other two and spanning vacuum).
 */
import { HamError } from '../contracts/errors.ts';
import { dot, invert3, norm, perpendicularHeights, vecMat } from '../structure/cell.ts';
import type { Mat3, Structure, Vec3 } from '../structure/structure.ts';

export type LatticeKind = 'cubic' | 'fcc' | 'bcc' | 'tetragonal' | 'hexagonal' | 'hexagonal-2d' | 'square' | 'rectangular';

export interface Lattice {
  kind: LatticeKind;
  /** Special points, fractional in this cell's reciprocal basis; always includes G = Γ. */
  points: Record<string, Vec3>;
  /** Default path in the custom syntax, e.g. "G-M-K-G" ('|' starts a new piece). */
  path: string;
}

export interface KPath {
  /** k-points, row-major nK × 3, fractional. */
  frac: Float64Array;
  /** Cumulative Cartesian length along the path, 1/Å with the 2π of b_j; no jump across a '|' break. */
  distance: Float64Array;
  /** Labelled points: index into frac, label as written. A break gives two labels at one distance. */
  labels: { index: number; label: string }[];
  /** The path in the custom syntax. */
  spec: string;
  /** The lattice whose table named the points, when one was detected. */
  lattice?: LatticeKind;
}

/**
 * A slab axis must leave at least this much empty space between periodic images of the atoms (Å): well above the
 * gaps between layers of bulk layered crystals (3.35 Å in graphite, ~3 Å between the S planes of MoS₂), below
 * the 10–20 Å of vacuum slab calculations use.
 */
const VACUUM_GAP = 7;
const LENGTH_TOL = 1e-3; // relative
const COS_TOL = 1e-3;

type Table = { points: Record<string, Vec3>; path: string };

// Setyawan–Curtarolo tables in their standard axis order (2D: axis 3 is the vacuum axis).
const CUBIC: Table = { points: { X: [0, 0.5, 0], M: [0.5, 0.5, 0], R: [0.5, 0.5, 0.5] }, path: 'G-X-M-G-R-X|M-R' };
const FCC: Table = {
  points: { X: [0.5, 0, 0.5], W: [0.5, 0.25, 0.75], K: [0.375, 0.375, 0.75], L: [0.5, 0.5, 0.5], U: [0.625, 0.25, 0.625] },
  path: 'G-X-W-K-G-L-U-W-L-K|U-X',
};
const BCC: Table = { points: { H: [0.5, -0.5, 0.5], N: [0, 0, 0.5], P: [0.25, 0.25, 0.25] }, path: 'G-H-N-G-P-H|P-N' };
const TETRAGONAL: Table = {
  points: { X: [0, 0.5, 0], M: [0.5, 0.5, 0], Z: [0, 0, 0.5], R: [0, 0.5, 0.5], A: [0.5, 0.5, 0.5] },
  path: 'G-X-M-G-Z-R-A-Z|X-R|M-A',
};
const SQUARE: Table = { points: { X: [0.5, 0, 0], M: [0.5, 0.5, 0] }, path: 'G-X-M-G' };
const RECTANGULAR: Table = { points: { X: [0.5, 0, 0], S: [0.5, 0.5, 0], Y: [0, 0.5, 0] }, path: 'G-X-S-Y-G-S' };

/**
 * Hexagonal points for an in-plane angle of 120° (Setyawan–Curtarolo) or 60° (e.g. the graphene dataset, whose
 * README gives K = (1/3, −1/3, 0)): K is the corner (b1 − b2)/3 or (b1 + b2)/3, whichever has |K| = 4π/3a.
 */
function hexagonal(sixty: boolean, withC: boolean): Table {
  const s = sixty ? -1 : 1;
  const points: Record<string, Vec3> = { M: [0.5, 0, 0], K: [1 / 3, s / 3, 0] };
  if (!withC) return { points, path: 'G-M-K-G' };
  return { points: { ...points, A: [0, 0, 0.5], L: [0.5, 0, 0.5], H: [1 / 3, s / 3, 0.5] }, path: 'G-M-K-G-A-L-H-A|L-M|K-H' };
}

/** True when the atoms leave a gap of at least VACUUM_GAP along lattice vector `axis` (or it is not periodic). */
function isVacuumAxis(structure: Structure, cell: Mat3, inverse: Mat3, axis: number): boolean {
  if (structure.pbc && !structure.pbc[axis]) return true;
  if (structure.positions.length === 0) return false;
  const f = structure.positions.map((r) => { const x = vecMat(r, inverse)[axis]; return x - Math.floor(x); }).sort((a, b) => a - b);
  let gap = f[0] + 1 - f[f.length - 1];
  for (let a = 1; a < f.length; a++) gap = Math.max(gap, f[a] - f[a - 1]);
  return gap * perpendicularHeights(cell)[axis] >= VACUUM_GAP;
}

/** Special points of a table given in standard axes, moved to the cell's axes: cell axis axes[s] is standard s. */
function permuted(table: Table, axes: [number, number, number]): Table {
  const points: Record<string, Vec3> = {};
  for (const [label, p] of Object.entries(table.points)) {
    const q: Vec3 = [0, 0, 0];
    axes.forEach((a, s) => { q[a] = p[s]; });
    points[label] = q;
  }
  return { points, path: table.path };
}

/** The lattice type of a structure's cell, or undefined when no automatic path applies (oblique, 1D, …). */
export function detectLattice(structure: Structure): Lattice | undefined {
  const cell = structure.cell;
  const inverse = cell && invert3(cell);
  if (!cell || !inverse) return undefined;
  const len = cell.map(norm);
  const cosAngle = (i: number, j: number) => dot(cell[i], cell[j]) / (len[i] * len[j]);
  const same = (i: number, j: number) => Math.abs(len[i] - len[j]) <= LENGTH_TOL * Math.max(len[i], len[j]);
  const is = (c: number, want: number) => Math.abs(c - want) <= COS_TOL;
  const vacuum = [0, 1, 2].filter((a) => isVacuumAxis(structure, cell, inverse, a));
  const found = (kind: LatticeKind, table: Table, axes: [number, number, number] = [0, 1, 2]): Lattice => {
    const t = permuted(table, axes);
    return { kind, points: { G: [0, 0, 0], ...t.points }, path: t.path };
  };

  if (vacuum.length > 1) return undefined;
  if (vacuum.length === 1) {
    const z = vacuum[0];
    const [x, y] = [0, 1, 2].filter((a) => a !== z);
    if (!is(cosAngle(x, z), 0) || !is(cosAngle(y, z), 0)) return undefined;
    const c = cosAngle(x, y);
    if (same(x, y) && (is(c, 0.5) || is(c, -0.5))) return found('hexagonal-2d', hexagonal(c > 0, false), [x, y, z]);
    if (!is(c, 0)) return undefined;
    return same(x, y) ? found('square', SQUARE, [x, y, z]) : found('rectangular', RECTANGULAR, [x, y, z]);
  }

  const c01 = cosAngle(0, 1);
  const c02 = cosAngle(0, 2);
  const c12 = cosAngle(1, 2);
  if (same(0, 1) && same(1, 2)) {
    if ([c01, c02, c12].every((c) => is(c, 0))) return found('cubic', CUBIC);
    if ([c01, c02, c12].every((c) => is(c, 0.5))) return found('fcc', FCC);
    if ([c01, c02, c12].every((c) => is(c, -1 / 3))) return found('bcc', BCC);
  }
  // Tetragonal and hexagonal: a unique axis u perpendicular to the two equal vectors x, y.
  for (const u of [2, 0, 1]) {
    const [x, y] = [0, 1, 2].filter((a) => a !== u);
    if (!same(x, y) || !is(cosAngle(x, u), 0) || !is(cosAngle(y, u), 0)) continue;
    const c = cosAngle(x, y);
    if (is(c, 0) && !same(x, u)) return found('tetragonal', TETRAGONAL, [x, y, u]);
    if (is(c, 0.5) || is(c, -0.5)) return found('hexagonal', hexagonal(c > 0, true), [x, y, u]);
  }
  return undefined;
}

interface PathPoint {
  label: string;
  frac: Vec3;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:\/(?:\d+\.?\d*|\.\d+))?/;
const LABEL = /^(?:Γ|[A-Za-z][A-Za-z0-9_']*)/;

/**
 * Parse the custom syntax: points joined by '-', pieces separated by '|'; a point is a label of the lattice's
 * table (G or Γ is always Γ) or `LABEL=f1,f2,f3` with fractional coordinates (decimals or fractions like 1/3),
 * e.g. "G-M-K-G" or "G=0,0,0-X=0.5,0,0|Y=0,0.5,0-G". A label given coordinates keeps them for the rest of the path.
 */
export function parseKPath(spec: string, known: Record<string, Vec3>): PathPoint[][] {
  const defined: Record<string, Vec3> = { G: [0, 0, 0], Γ: [0, 0, 0], ...known };
  const bad = (what: string, at: number) => new HamError('E_INPUT', `k-path "${spec}": ${what} at ${at < spec.length ? `character ${at + 1}` : 'the end'}`);
  const pieces: PathPoint[][] = [[]];
  let pos = 0;
  const skipSpace = () => { while (spec[pos] === ' ') pos++; };
  const number = (): number => {
    skipSpace();
    const m = NUMBER.exec(spec.slice(pos));
    if (!m) throw bad('expected a number', pos);
    pos += m[0].length;
    const [p, q] = m[0].split('/').map(Number);
    return q === undefined ? p : p / q;
  };
  for (;;) {
    skipSpace();
    const m = LABEL.exec(spec.slice(pos));
    if (!m) throw bad('expected a point label', pos);
    const label = m[0];
    pos += label.length;
    skipSpace();
    if (spec[pos] === '=') {
      pos++;
      const f: Vec3 = [number(), 0, 0];
      for (const c of [1, 2]) {
        skipSpace();
        if (spec[pos] !== ',') throw bad('expected "," between coordinates', pos);
        pos++;
        f[c] = number();
      }
      defined[label] = f;
    } else if (!defined[label]) {
      const names = Object.keys(known).filter((l) => l !== 'G');
      throw new HamError('E_INPUT', `k-path "${spec}": unknown point '${label}'; known here: G${names.length ? `, ${names.join(', ')}` : ''} (or give coordinates, ${label}=f1,f2,f3)`);
    }
    pieces[pieces.length - 1].push({ label, frac: [...defined[label]] as Vec3 });
    skipSpace();
    if (pos === spec.length) break;
    if (spec[pos] === '|') pieces.push([]);
    else if (spec[pos] !== '-') throw bad(`unexpected '${spec[pos]}'`, pos);
    pos++;
  }
  const short = pieces.find((p) => p.length < 2);
  if (short) throw new HamError('E_INPUT', `k-path "${spec}": every piece needs at least two points (got '${short.map((p) => p.label).join('')}')`);
  return pieces;
}

/** Reciprocal vectors b_j (with 2π) as rows: B = 2π (A⁻¹)ᵀ for A with the lattice vectors as rows. */
export function reciprocalRows(cell: Mat3): Mat3 {
  const inv = invert3(cell);
  if (!inv) throw new HamError('E_INPUT', 'the cell is singular (its lattice vectors are linearly dependent)');
  return [0, 1, 2].map((j) => [0, 1, 2].map((c) => 2 * Math.PI * inv[c][j]) as Vec3) as Mat3;
}

/**
 * nPoints k-points along the pieces, the intervals of each segment proportional to its Cartesian length
 * (allocated in order, each segment rounding its share of what is left, so the counts add up exactly; at least one
 * interval per segment).
 */
export function samplePath(cell: Mat3, pieces: PathPoint[][], nPoints: number, spec: string): KPath {
  const B = reciprocalRows(cell);
  const segments = pieces.flatMap((piece) => piece.slice(1).map((to, s) => {
    const from = piece[s].frac;
    return norm(vecMat([to.frac[0] - from[0], to.frac[1] - from[1], to.frac[2] - from[2]], B));
  }));
  const minimum = segments.length + pieces.length;
  if (!Number.isInteger(nPoints) || nPoints < minimum) throw new HamError('E_INPUT', `k-path "${spec}" needs a whole number of at least ${minimum} points (got ${nPoints})`);
  let intervalsLeft = nPoints - pieces.length;
  let lengthLeft = segments.reduce((a, b) => a + b, 0);
  const intervals = segments.map((L, s) => {
    const later = segments.length - s - 1;
    const share = lengthLeft > 0 ? Math.round((L / lengthLeft) * intervalsLeft) : 1;
    const count = Math.min(Math.max(share, 1), intervalsLeft - later);
    intervalsLeft -= count;
    lengthLeft -= L;
    return count;
  });

  const frac = new Float64Array(3 * nPoints);
  const distance = new Float64Array(nPoints);
  const labels: KPath['labels'] = [];
  let q = 0;
  let s = 0;
  let x = 0;
  const put = (f: Vec3, d: number) => { frac.set(f, 3 * q); distance[q] = d; q++; };
  for (const piece of pieces) {
    labels.push({ index: q, label: piece[0].label });
    put(piece[0].frac, x);
    for (let p = 1; p < piece.length; p++, s++) {
      const [a, b] = [piece[p - 1].frac, piece[p].frac];
      for (let t = 1; t <= intervals[s]; t++) {
        const u = t / intervals[s];
        put([a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2])], x + u * segments[s]);
      }
      x += segments[s];
      labels.push({ index: q - 1, label: piece[p].label });
    }
  }
  return { frac, distance, labels, spec };
}

/**
 * The band path of a structure: `spec` 'auto' (the detected lattice's default path) or the custom syntax with
 * labels from the detected lattice's table (see parseKPath). E_INPUT for an unknown label or an undetected lattice.
 */
export function bandPath(structure: Structure, spec: string, nPoints: number): KPath {
  const cell = structure.cell;
  if (!cell) throw new HamError('E_INPUT', 'a band path needs a periodic structure with a cell');
  const lattice = detectLattice(structure);
  let path = spec.trim();
  if (path === 'auto') {
    if (!lattice) throw new HamError('E_INPUT', 'no automatic k-path for this cell (not a recognised sc/fcc/bcc/tetragonal/hexagonal cell or square/rectangular/hexagonal slab); give the path with coordinates, e.g. "G=0,0,0-X=0.5,0,0"');
    path = lattice.path;
  }
  return { ...samplePath(cell, parseKPath(path, lattice?.points ?? {}), nPoints, path), lattice: lattice?.kind };
}

/**
 * The Γ-centred Monkhorst–Pack mesh n1 × n2 × n3: k_j = (i − ⌊(n_j − 1)/2⌋) / n_j, i = 0 … n_j − 1 (for odd n_j
 * symmetric about Γ), first index slowest — the order of GPAW/ASE's Γ-centred meshes (kpoints_frac.npy).
 */
export function gammaCentredMesh(mesh: readonly [number, number, number]): Float64Array {
  if (!mesh.every((m) => Number.isInteger(m) && m >= 1)) throw new HamError('E_INPUT', `a k-mesh needs three positive integers (got ${mesh.join('×')})`);
  const axis = (m: number) => Array.from({ length: m }, (_, i) => (i - Math.floor((m - 1) / 2)) / m);
  const [a, b, c] = mesh.map(axis);
  const out = new Float64Array(3 * mesh[0] * mesh[1] * mesh[2]);
  let q = 0;
  for (const x of a) for (const y of b) for (const z of c) out.set([x, y, z], 3 * q++);
  return out;
}

/**
 * A Γ-centred mesh of about `spacing` (1/Å, with 2π) between k-points along each reciprocal vector; one k-point
 * along axes no block couples across (no R ≠ 0 component there: vacuum, so no dispersion).
 */
export function automaticMesh(cell: Mat3, coupled: readonly [boolean, boolean, boolean], spacing = 0.25): [number, number, number] {
  const B = reciprocalRows(cell);
  return [0, 1, 2].map((k) => (coupled[k] ? Math.max(1, Math.ceil(norm(B[k]) / spacing)) : 1)) as [number, number, number];
}
