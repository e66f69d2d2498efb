/**
 * Neighbour lists with cell lists, O(N) (DESIGN.md §8), following the scheme of ASE's primitive_neighbor_list:
 * atoms are wrapped into the cell along periodic axes and binned in fractional coordinates with bins at least
 * one search radius thick (perpendicular height), so every neighbour of an atom lies within a fixed number of
 * bins per axis; when the cutoff exceeds a cell height, that number covers several periodic images.
 *
 * Non-periodic axes get no images. Their lattice vectors play no role, so they are replaced by unit vectors
 * orthogonal to the periodic ones (a slab may have a zero or arbitrary third vector); molecules are binned on
 * their Cartesian bounding box.
 */
import { HamError } from '../contracts/errors.ts';
import { cross, invert3, norm, perpendicularHeights, vecMat } from './cell.ts';
import { ELEMENT_SYMBOLS } from './elements.ts';
import type { Mat3, Structure, Vec3 } from './structure.ts';

/**
 * Ordered pairs (i, j, R) with |r_j + R·cell − r_i| < cutoff, both (i, j, R) and (j, i, −R), sorted by i, j, then
 * R lexicographically. R is the integer image of atom j in lattice units (zero along non-periodic axes).
 */
export interface NeighborList {
  i: Int32Array;
  j: Int32Array;
  /** n × 3, row-major. */
  R: Int32Array;
  /** n × 3, row-major, Å: r_j + R·cell − r_i. */
  vec: Float64Array;
  /** Å. */
  dist: Float64Array;
}

/** (i, i, R = 0) is never a pair (ASE's self_interaction=False); images of an atom itself (R ≠ 0) are. */
export interface NeighborListOptions {
  /** Reject atoms (or periodic images) closer than MIN_ATOM_DISTANCE. Default true. */
  checkOverlaps?: boolean;
}

/** Closer than this (Å) two atoms are taken to be one atom entered twice. */
export const MIN_ATOM_DISTANCE = 0.1;

// Bins a hair thicker than the radius, so rounding in the fractional coordinates never hides a neighbour one
// bin further out than the bound.
const BIN_MARGIN = 1 + 1e-9;

function inputError(message: string): HamError {
  return new HamError('E_INPUT', message);
}

function atomName(s: Structure, k: number): string {
  const z = s.numbers[k];
  return `${k + 1} (${ELEMENT_SYMBOLS[z] ?? `Z=${z}`})`;
}

/** Periodicity per axis, after checking that the structure can be searched at all. */
function validate(s: Structure, cutoff: number): [boolean, boolean, boolean] {
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff <= 0) {
    throw inputError(`neighbour cutoff must be a positive finite number of Å, got ${cutoff}`);
  }
  if (s.numbers.length !== s.positions.length) {
    throw inputError(`structure has ${s.numbers.length} atomic numbers but ${s.positions.length} positions`);
  }
  s.positions.forEach((p, k) => {
    if (p.length !== 3 || !p.every(Number.isFinite)) throw inputError(`atom ${k + 1} has a non-finite position`);
  });
  const pbc = s.pbc ?? [false, false, false];
  if (pbc.some(Boolean) && !s.cell) throw inputError('structure is periodic but has no cell');
  if (s.cell && !s.cell.every((row) => row.every(Number.isFinite))) throw inputError('cell has non-finite entries');
  return [pbc[0], pbc[1], pbc[2]];
}

const unit = (v: Vec3): Vec3 => {
  const n = norm(v);
  return [v[0] / n, v[1] / n, v[2] / n];
};

/** The user's periodic rows completed by unit vectors orthogonal to them. */
function searchCell(cell: Mat3 | undefined, pbc: boolean[]): Mat3 {
  const periodic = [0, 1, 2].filter((k) => pbc[k]);
  const rows: Vec3[] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  if (!cell || periodic.length === 0) return rows as Mat3;
  for (const k of periodic) {
    if (!(norm(cell[k]) > 0)) throw inputError(`lattice vector ${k + 1} is zero on a periodic axis`);
    rows[k] = [...cell[k]];
  }
  const open = [0, 1, 2].filter((k) => !pbc[k]);
  if (open.length === 1) {
    rows[open[0]] = unit(cross(cell[periodic[0]], cell[periodic[1]]));
  } else if (open.length === 2) {
    const a = unit(cell[periodic[0]]);
    const least = [0, 1, 2].reduce((m, k) => (Math.abs(a[k]) < Math.abs(a[m]) ? k : m), 0);
    const e: Vec3 = [0, 0, 0];
    e[least] = 1;
    const u = unit(cross(a, e));
    rows[open[0]] = u;
    rows[open[1]] = cross(a, u);
  }
  if (!invert3(rows as Mat3)) throw inputError('the periodic lattice vectors are linearly dependent');
  return rows as Mat3;
}

interface Grid {
  /** Bins per axis. */
  nb: [number, number, number];
  /** Bins to scan on each side of an atom's bin, per axis. */
  reach: [number, number, number];
  /** Atoms sorted by bin (ascending index within a bin) and the start of each bin in that list. */
  atoms: Int32Array;
  start: Int32Array;
  /** Bin coordinates of each atom, n × 3. */
  binOf: Int32Array;
}

function buildGrid(frac: Float64Array, n: number, pbc: boolean[], heights: Vec3, radius: number): Grid {
  const nb: [number, number, number] = [1, 1, 1];
  const lo = [0, 0, 0];
  const width = [1, 1, 1];
  for (let k = 0; k < 3; k++) {
    let min = 0;
    let max = 1;
    if (!pbc[k]) {
      min = Infinity;
      max = -Infinity;
      for (let a = 0; a < n; a++) {
        min = Math.min(min, frac[3 * a + k]);
        max = Math.max(max, frac[3 * a + k]);
      }
    }
    lo[k] = min;
    width[k] = Math.max(max - min, 0);
    nb[k] = Math.max(1, Math.floor((width[k] * heights[k]) / (radius * BIN_MARGIN)));
  }
  // Sparse systems (atoms spread over a huge vacuum) would need more bins than atoms; coarser bins stay correct
  // because the reach below is computed from the actual bin thickness.
  const maxBins = Math.max(1000, 2 * n);
  while (nb[0] * nb[1] * nb[2] > maxBins) {
    const k = nb.indexOf(Math.max(...nb));
    nb[k] = Math.ceil(nb[k] / 2);
  }
  const reach: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const bins = Math.ceil((radius * BIN_MARGIN * nb[k]) / (width[k] * heights[k]));
    // Periodic axes wrap around (several times when the cell is thinner than the radius); open axes end.
    reach[k] = pbc[k] ? bins : Math.min(nb[k] - 1, bins);
  }

  const binOf = new Int32Array(3 * n);
  const count = new Int32Array(nb[0] * nb[1] * nb[2] + 1);
  const flat = new Int32Array(n);
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < 3; k++) {
      const b = nb[k] === 1 ? 0 : Math.floor(((frac[3 * a + k] - lo[k]) / width[k]) * nb[k]);
      binOf[3 * a + k] = Math.min(nb[k] - 1, Math.max(0, b));
    }
    flat[a] = (binOf[3 * a] * nb[1] + binOf[3 * a + 1]) * nb[2] + binOf[3 * a + 2];
    count[flat[a] + 1]++;
  }
  for (let b = 1; b < count.length; b++) count[b] += count[b - 1];
  const start = count.slice();
  const atoms = new Int32Array(n);
  const fill = count.slice(0, -1);
  for (let a = 0; a < n; a++) atoms[fill[flat[a]]++] = a;
  return { nb, reach, atoms, start, binOf };
}

/** Growable pair storage; pairs of one atom i are sorted before the next atom's are appended. */
class PairBuffer {
  size = 0;
  i = new Int32Array(64);
  j = new Int32Array(64);
  R = new Int32Array(192);
  vec = new Float64Array(192);
  dist = new Float64Array(64);

  push(i: number, j: number, R0: number, R1: number, R2: number, v0: number, v1: number, v2: number, d: number) {
    if (this.size === this.j.length) this.grow();
    const p = this.size++;
    this.i[p] = i;
    this.j[p] = j;
    this.R[3 * p] = R0;
    this.R[3 * p + 1] = R1;
    this.R[3 * p + 2] = R2;
    this.vec[3 * p] = v0;
    this.vec[3 * p + 1] = v1;
    this.vec[3 * p + 2] = v2;
    this.dist[p] = d;
  }

  private grow(): void {
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(2 * a.length);
      b.set(a);
      return b;
    };
    this.i = more(this.i);
    this.j = more(this.j);
    this.R = more(this.R);
    this.vec = more(this.vec);
    this.dist = more(this.dist);
  }

  /** Sort entries [from, size) by j, then R. */
  sortTail(from: number): void {
    const { j, R } = this;
    const order = Array.from({ length: this.size - from }, (_, k) => from + k);
    order.sort((a, b) =>
      j[a] - j[b] || R[3 * a] - R[3 * b] || R[3 * a + 1] - R[3 * b + 1] || R[3 * a + 2] - R[3 * b + 2]);
    const j2 = order.map((p) => j[p]);
    const d2 = order.map((p) => this.dist[p]);
    const R2 = order.flatMap((p) => [R[3 * p], R[3 * p + 1], R[3 * p + 2]]);
    const v2 = order.flatMap((p) => [this.vec[3 * p], this.vec[3 * p + 1], this.vec[3 * p + 2]]);
    this.j.set(j2, from);
    this.dist.set(d2, from);
    this.R.set(R2, 3 * from);
    this.vec.set(v2, 3 * from);
  }

  result(): NeighborList {
    const n = this.size;
    return {
      i: this.i.slice(0, n), j: this.j.slice(0, n), R: this.R.slice(0, 3 * n),
      vec: this.vec.slice(0, 3 * n), dist: this.dist.slice(0, n),
    };
  }
}

export function neighborList(structure: Structure, cutoff: number, opts: NeighborListOptions = {}): NeighborList {
  const pbc = validate(structure, cutoff);
  const checkOverlaps = opts.checkOverlaps ?? true;
  const n = structure.numbers.length;
  const pos = structure.positions;
  const cell = structure.cell ?? [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const search = searchCell(structure.cell, pbc);
  const inverse = invert3(search) as Mat3;
  const heights = perpendicularHeights(search);
  // The overlap check needs every pair closer than MIN_ATOM_DISTANCE, also when the cutoff is shorter.
  const radius = checkOverlaps ? Math.max(cutoff, MIN_ATOM_DISTANCE) : cutoff;

  // Fractional coordinates, wrapped into [0, 1) along periodic axes; shift[a] is the lattice vector removed.
  const frac = new Float64Array(3 * n);
  const shift = new Int32Array(3 * n);
  for (let a = 0; a < n; a++) {
    const f = vecMat(pos[a], inverse);
    for (let k = 0; k < 3; k++) {
      const s = pbc[k] ? Math.floor(f[k]) : 0;
      shift[3 * a + k] = s;
      frac[3 * a + k] = f[k] - s;
    }
  }
  const grid = buildGrid(frac, n, pbc, heights, radius);
  const { nb, reach, atoms, start, binOf } = grid;

  const out = new PairBuffer();
  for (let i = 0; i < n; i++) {
    const first = out.size;
    const [xi, yi, zi] = pos[i];
    for (let d0 = -reach[0]; d0 <= reach[0]; d0++) {
      const c0 = binOf[3 * i] + d0;
      const S0 = pbc[0] ? Math.floor(c0 / nb[0]) : 0;
      const b0 = c0 - S0 * nb[0];
      if (b0 < 0 || b0 >= nb[0]) continue;
      for (let d1 = -reach[1]; d1 <= reach[1]; d1++) {
        const c1 = binOf[3 * i + 1] + d1;
        const S1 = pbc[1] ? Math.floor(c1 / nb[1]) : 0;
        const b1 = c1 - S1 * nb[1];
        if (b1 < 0 || b1 >= nb[1]) continue;
        for (let d2 = -reach[2]; d2 <= reach[2]; d2++) {
          const c2 = binOf[3 * i + 2] + d2;
          const S2 = pbc[2] ? Math.floor(c2 / nb[2]) : 0;
          const b2 = c2 - S2 * nb[2];
          if (b2 < 0 || b2 >= nb[2]) continue;
          const bin = (b0 * nb[1] + b1) * nb[2] + b2;
          for (let p = start[bin]; p < start[bin + 1]; p++) {
            const j = atoms[p];
            // Wrapped positions differ from the originals by shift·cell, so the image of the original j is
            // R = S − shift_j + shift_i.
            const R0 = S0 - shift[3 * j] + shift[3 * i];
            const R1 = S1 - shift[3 * j + 1] + shift[3 * i + 1];
            const R2 = S2 - shift[3 * j + 2] + shift[3 * i + 2];
            if (i === j && R0 === 0 && R1 === 0 && R2 === 0) continue;
            const pj = pos[j];
            const v0 = pj[0] + (R0 * cell[0][0] + R1 * cell[1][0] + R2 * cell[2][0]) - xi;
            const v1 = pj[1] + (R0 * cell[0][1] + R1 * cell[1][1] + R2 * cell[2][1]) - yi;
            const v2 = pj[2] + (R0 * cell[0][2] + R1 * cell[1][2] + R2 * cell[2][2]) - zi;
            const d = Math.sqrt(v0 * v0 + v1 * v1 + v2 * v2);
            if (checkOverlaps && d < MIN_ATOM_DISTANCE) {
              const image = R0 || R1 || R2 ? ` (image R = [${R0}, ${R1}, ${R2}])` : '';
              throw inputError(`atoms ${atomName(structure, i)} and ${atomName(structure, j)}${image} (numbered `
                + `from 1) are ${d.toExponential(2)} Å apart, closer than ${MIN_ATOM_DISTANCE} Å: overlapping atoms`);
            }
            if (d < cutoff) out.push(i, j, R0, R1, R2, v0, v1, v2, d);
          }
        }
      }
    }
    out.sortTail(first);
  }
  return out.result();
}
