/**
 * Candidate structures for labelling: thermal-like snapshots of the user's structure, every atom displaced by
 * N(0, σ²) along x, y and z with the mean displacement removed (as the graphene dataset was made; σ ≈ 0.05–0.1 Å is
 * a 300–600 K snapshot for light atoms). For crystals, optionally as in the graphene set: with probability 1/2 a
 * symmetric strain with components U(−ε, ε) is applied to the cell (fractional coordinates kept) before displacing,
 * in an orthonormal frame of the strained lattice vectors' span (for a slab: in-plane only, the vacuum is kept).
 * Seeded, so the same command gives the same candidates and a resumed labelling continues on the same set.
 */
import { HamError } from '../contracts/errors.ts';
import { Rng } from '../runtime/rng.ts';
import { dot, norm } from '../structure/cell.ts';
import type { Mat3, Structure, Vec3 } from '../structure/structure.ts';

export interface StrainSpec {
  /** Largest strain component ε. */
  max: number;
  /** The lattice vectors whose span is strained. */
  axes: [boolean, boolean, boolean];
}

/** Orthonormal basis (Gram–Schmidt) of the span of the chosen cell rows. */
function frame(cell: Mat3, axes: readonly boolean[]): Vec3[] {
  const out: Vec3[] = [];
  for (const a of cell.filter((_, c) => axes[c])) {
    const v = out.reduce((w, u) => w.map((x, c) => x - dot(w, u) * u[c]) as Vec3, [...a] as Vec3);
    const n = norm(v);
    if (n > 1e-8) out.push(v.map((x) => x / n) as Vec3);
  }
  return out;
}

/** I + ε with ε = Σ_pq e_pq u_p u_qᵀ, e symmetric, e_pq ~ U(−max, max). */
function strainMatrix(rng: Rng, u: Vec3[], max: number): Mat3 {
  const m = u.length;
  const e = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let p = 0; p < m; p++) for (let q = p; q < m; q++) e[p][q] = e[q][p] = (2 * rng.uniform() - 1) * max;
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => {
    let s = r === c ? 1 : 0;
    for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) s += e[p][q] * u[p][r] * u[q][c];
    return s;
  }) as Vec3) as Mat3;
}

const times = (v: Vec3, m: Mat3): Vec3 => [0, 1, 2].map((c) => v[0] * m[0][c] + v[1] * m[1][c] + v[2] * m[2][c]) as Vec3;

export function thermalSnapshots(structure: Structure, count: number, sigma: number, seed: number, strain?: StrainSpec): Structure[] {
  if (!Number.isInteger(count) || count < 1) throw new HamError('E_INPUT', `the number of structures must be a positive integer (got ${count})`);
  if (!(sigma >= 0 && sigma <= 0.5)) throw new HamError('E_INPUT', `the displacement σ must be between 0 and 0.5 Å (got ${sigma})`);
  if (strain && !(strain.max >= 0 && strain.max <= 0.1)) throw new HamError('E_INPUT', `the strain must be between 0 and 0.1 (got ${strain.max})`);
  if (strain && !structure.cell) throw new HamError('E_INPUT', 'strain needs a periodic structure with a cell');
  const rng = new Rng(seed);
  const u = strain ? frame(structure.cell!, strain.axes) : [];
  return Array.from({ length: count }, () => {
    let { positions, cell } = structure;
    if (strain && strain.max > 0 && rng.uniform() < 0.5) {
      const F = strainMatrix(rng, u, strain.max); // rows r' = r (I + ε): fractional coordinates kept
      positions = positions.map((p) => times(p, F));
      cell = cell!.map((a) => times(a, F)) as Mat3;
    }
    const d = positions.map(() => [rng.normal() * sigma, rng.normal() * sigma, rng.normal() * sigma]);
    const mean = [0, 1, 2].map((c) => d.reduce((a, v) => a + v[c], 0) / d.length);
    const moved = positions.map((p, a) => [0, 1, 2].map((c) => p[c] + d[a][c] - mean[c]) as Vec3);
    return { ...structure, positions: moved, ...(cell ? { cell } : {}), info: undefined };
  });
}
