import { describe, expect, it } from 'vitest';
import { cross, invert3, norm, perpendicularHeights, vecMat } from '../../../core/structure/cell.ts';
import { readCif } from '../../../core/structure/formats/cif.ts';
import { MIN_ATOM_DISTANCE, type NeighborList, neighborList } from '../../../core/structure/neighbors.ts';
import type { Mat3, Structure, Vec3 } from '../../../core/structure/structure.ts';
import { catchHamError, readFixture } from './helpers.ts';
import { mulberry32 } from './rng.ts';

interface Pair {
  i: number;
  j: number;
  R: Vec3;
  vec: Vec3;
  dist: number;
}

/** Every (i, j, R) over an explicit image box wide enough for the cutoff, in the documented order. */
function bruteForce(s: Structure, cutoff: number): Pair[] {
  const pbc = s.pbc ?? [false, false, false];
  const cell = s.cell ?? [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const range = [0, 0, 0];
  if (s.cell && pbc.some(Boolean)) {
    // Any complete cell will do to bound the fractional spread; non-periodic rows are replaced by normals.
    const full = s.cell.map((row, k) => (pbc[k] ? row : [0, 0, 0])) as Mat3;
    for (let k = 0; k < 3; k++) if (!pbc[k]) full[k] = cross(full[(k + 1) % 3], full[(k + 2) % 3]);
    if (pbc.filter(Boolean).length === 1) full.forEach((r, k) => { if (norm(r) === 0) r[k] = 1; });
    const inv = invert3(full)!;
    const h = perpendicularHeights(full);
    const frac = s.positions.map((p) => vecMat(p, inv));
    for (let k = 0; k < 3; k++) {
      if (!pbc[k]) continue;
      const fk = frac.map((f) => f[k]);
      range[k] = Math.ceil(cutoff / h[k] + Math.max(...fk) - Math.min(...fk)) + 1;
    }
  }
  const pairs: Pair[] = [];
  const n = s.numbers.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let R0 = -range[0]; R0 <= range[0]; R0++) {
        for (let R1 = -range[1]; R1 <= range[1]; R1++) {
          for (let R2 = -range[2]; R2 <= range[2]; R2++) {
            if (i === j && R0 === 0 && R1 === 0 && R2 === 0) continue;
            const pi = s.positions[i];
            const pj = s.positions[j];
            const vec = [0, 1, 2].map((c) =>
              pj[c] + (R0 * cell[0][c] + R1 * cell[1][c] + R2 * cell[2][c]) - pi[c]) as Vec3;
            const dist = Math.hypot(...vec);
            if (dist < cutoff) pairs.push({ i, j, R: [R0, R1, R2], vec, dist });
          }
        }
      }
    }
  }
  return pairs; // loops run in (i, j, R) lexicographic order already
}

function pairsOf(nl: NeighborList): Pair[] {
  return Array.from(nl.i, (i, k) => ({
    i, j: nl.j[k], R: Array.from(nl.R.subarray(3 * k, 3 * k + 3)) as Vec3,
    vec: Array.from(nl.vec.subarray(3 * k, 3 * k + 3)) as Vec3, dist: nl.dist[k],
  }));
}

function expectMatchesBruteForce(s: Structure, cutoff: number): Pair[] {
  const got = pairsOf(neighborList(s, cutoff, { checkOverlaps: false }));
  const want = bruteForce(s, cutoff);
  expect(got.map((p) => `${p.i} ${p.j} ${p.R}`)).toEqual(want.map((p) => `${p.i} ${p.j} ${p.R}`));
  let worst = 0;
  got.forEach((p, k) => {
    worst = Math.max(worst, Math.abs(p.dist - want[k].dist), ...p.vec.map((x, c) => Math.abs(x - want[k].vec[c])));
  });
  expect(worst).toBeLessThanOrEqual(1e-12);
  return got;
}

/** A random rotation of a strongly skewed lower-triangular cell (off-diagonals up to 2.5 × the diagonal). */
function skewedCell(rng: () => number): Mat3 {
  const L = [0, 1, 2].map(() => 2.5 + 2.5 * rng());
  const t = () => 5 * rng() - 2.5;
  const lower: Mat3 = [[L[0], 0, 0], [t() * L[0], L[1], 0], [t() * L[0], t() * L[1], L[2]]];
  // Rotation from Gram–Schmidt on two random vectors.
  const u = [rng() - 0.5, rng() - 0.5, rng() - 0.5] as Vec3;
  const e1 = u.map((x) => x / norm(u)) as Vec3;
  const w = [rng() - 0.5, rng() - 0.5, rng() - 0.5] as Vec3;
  const d = w[0] * e1[0] + w[1] * e1[1] + w[2] * e1[2];
  const w2 = w.map((x, k) => x - d * e1[k]) as Vec3;
  const e2 = w2.map((x) => x / norm(w2)) as Vec3;
  const rot: Mat3 = [e1, e2, cross(e1, e2)];
  return lower.map((row) => vecMat(row, rot)) as Mat3;
}

function randomCrystal(seed: number, n: number, pbc: [boolean, boolean, boolean]): Structure {
  const rng = mulberry32(seed);
  const cell = skewedCell(rng);
  // Fractional coordinates partly outside [0, 1) so that wrapping and the returned images are exercised.
  const positions = Array.from({ length: n }, () => vecMat([0, 1, 2].map(() => 1.6 * rng() - 0.3) as Vec3, cell));
  return { numbers: positions.map(() => 6), positions, cell, pbc };
}

const shortestVector = (cell: Mat3): number => Math.min(...cell.map(norm));

describe('neighborList against brute force', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches on skewed periodic cell #${seed} for short, long and longer-than-the-cell cutoffs`, () => {
      const s = randomCrystal(seed, 10, [true, true, true]);
      const shortest = shortestVector(s.cell!);
      for (const cutoff of [0.9, 2.5, 1.7 * shortest]) expectMatchesBruteForce(s, cutoff);
      expect(1.7 * shortest).toBeGreaterThan(Math.min(...perpendicularHeights(s.cell!)));
    });
  }

  it('matches for a slab (pbc T T F), with an arbitrary and with a zero third vector', () => {
    const s = randomCrystal(11, 14, [true, true, false]);
    for (const cutoff of [1.5, 4, 1.5 * shortestVector(s.cell!)]) expectMatchesBruteForce(s, cutoff);
    const flat: Structure = { ...s, cell: [s.cell![0], s.cell![1], [0, 0, 0]] };
    const pairs = expectMatchesBruteForce(flat, 4);
    expect(pairs.every((p) => p.R[2] === 0)).toBe(true);
  });

  it('matches for a wire periodic along its second axis only (pbc F T F)', () => {
    const s = randomCrystal(12, 12, [false, true, false]);
    const pairs = expectMatchesBruteForce(s, 5);
    expect(pairs.some((p) => p.R[1] !== 0)).toBe(true);
    expect(pairs.every((p) => p.R[0] === 0 && p.R[2] === 0)).toBe(true);
  });

  it('matches for a molecule (no cell) and for a cell with no periodic axis', () => {
    const rng = mulberry32(21);
    const positions = Array.from({ length: 80 }, () => [0, 1, 2].map(() => 9 * rng()) as Vec3);
    const molecule: Structure = { numbers: positions.map(() => 1), positions };
    const pairs = expectMatchesBruteForce(molecule, 2.2);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => p.R.every((x) => x === 0))).toBe(true);
    expectMatchesBruteForce({ ...molecule, cell: skewedCell(rng), pbc: [false, false, false] }, 2.2);
  });

  it('matches for a sparse molecule whose bounding box would need more bins than allowed', () => {
    const rng = mulberry32(22);
    const positions = Array.from({ length: 60 }, (_, k) =>
      [0, 1, 2].map((c) => (k % 2 ? 5000 : 0) + (c === 0 ? 2000 * (k % 3) : 0) + 4 * rng()) as Vec3);
    const pairs = expectMatchesBruteForce({ numbers: positions.map(() => 1), positions }, 1.5);
    expect(pairs.length).toBeGreaterThan(0);
  });

  it('matches for atoms exactly on cell faces (rock-salt NaCl from the CIF reader)', () => {
    const [nacl] = readCif(readFixture('NaCl.cif'), 'NaCl.cif');
    const pairs = expectMatchesBruteForce(nacl, 4.0); // 6 at a/2 = 2.82 Å and 12 at a/√2 = 3.99 Å
    expect(pairs.length).toBe(8 * 18);
  });
});

describe('neighborList output', () => {
  it('holds both (i, j, R) and (j, i, −R) with opposite vectors, sorted by i, j, R', () => {
    const s = randomCrystal(31, 8, [true, true, true]);
    const nl = neighborList(s, 3.5, { checkOverlaps: false });
    const pairs = pairsOf(nl);
    const index = new Map(pairs.map((p, k) => [`${p.i} ${p.j} ${p.R}`, k]));
    for (const p of pairs) {
      const k = index.get(`${p.j} ${p.i} ${p.R.map((x) => -x)}`);
      expect(k).toBeDefined();
      p.vec.forEach((x, c) => expect(pairs[k!].vec[c]).toBeCloseTo(-x, 12));
    }
    const keys = pairs.map((p) => [p.i, p.j, ...p.R]);
    const sorted = [...keys].sort((a, b) => a.reduce((acc, x, c) => acc || x - b[c], 0));
    expect(keys).toEqual(sorted);
    expect(nl.R).toBeInstanceOf(Int32Array);
    expect(nl.vec).toBeInstanceOf(Float64Array);
  });

  it('finds the same neighbours per atom in small and large supercells (scaling sanity, not timed)', () => {
    const a = 2.5;
    const cubic = (m: number): Structure => {
      const positions: Vec3[] = [];
      for (let x = 0; x < m; x++) {
        for (let y = 0; y < m; y++) for (let z = 0; z < m; z++) positions.push([x * a, y * a, z * a]);
      }
      return {
        numbers: positions.map(() => 29), positions,
        cell: [[m * a, 0, 0], [0, m * a, 0], [0, 0, m * a]], pbc: [true, true, true],
      };
    };
    // Simple cubic: 6 neighbours at a and 12 at a√2 = 3.54 Å within 3.6 Å, however small or large the cell.
    for (const m of [1, 2, 5, 20]) {
      const s = cubic(m);
      const nl = neighborList(s, 3.6);
      expect(nl.i.length, `${m}×${m}×${m}`).toBe(18 * s.numbers.length);
    }
  });
});

describe('neighborList rejects bad input', () => {
  const water: Structure = { numbers: [8, 1, 1], positions: [[0, 0, 0], [0, 0.76, 0.59], [0, -0.76, 0.59]] };

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('cutoff %s (E_INPUT)', (cutoff) => {
    const err = catchHamError(() => neighborList(water, cutoff));
    expect(err.code).toBe('E_INPUT');
    expect(err.message).toMatch('cutoff must be a positive finite number');
  });

  it('overlapping atoms, naming both (E_INPUT), even with a cutoff below the overlap distance', () => {
    const s: Structure = { numbers: [8, 1, 1], positions: [[0, 0, 0], [0, 0.76, 0.59], [0.05, 0.76, 0.59]] };
    for (const cutoff of [3, 0.01]) {
      const err = catchHamError(() => neighborList(s, cutoff));
      expect(err.code).toBe('E_INPUT');
      expect(err.message).toBe(`atoms 2 (H) and 3 (H) (numbered from 1) are 5.00e-2 Å apart, `
        + `closer than ${MIN_ATOM_DISTANCE} Å: overlapping atoms`);
    }
    expect(neighborList(s, 3, { checkOverlaps: false }).i.length).toBe(6);
  });

  it('atoms overlapping through a periodic image', () => {
    const s: Structure = {
      numbers: [14, 14], positions: [[0.01, 1, 1], [9.97, 1, 1]],
      cell: [[10, 0, 0], [0, 10, 0], [0, 0, 10]], pbc: [true, true, true],
    };
    expect(catchHamError(() => neighborList(s, 2)).message).toMatch('atoms 1 (Si) and 2 (Si) (image R = [-1, 0, 0])');
    expect(neighborList({ ...s, pbc: [false, true, true] }, 2).i.length).toBe(0);
  });

  it('a periodic structure without a cell, and a singular periodic cell', () => {
    expect(catchHamError(() => neighborList({ ...water, pbc: [true, false, false] }, 2)).message).toMatch('no cell');
    const flat: Structure = { ...water, cell: [[3, 0, 0], [6, 0, 0], [0, 0, 3]], pbc: [true, true, false] };
    expect(catchHamError(() => neighborList(flat, 2)).message).toMatch('linearly dependent');
  });
});
