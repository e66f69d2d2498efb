/**
 * Candidate structures for labelling: thermal-like snapshots of the user's structure, every atom displaced by
 * N(0, σ²) along x, y and z with the mean displacement removed (as the graphene dataset was made; σ ≈ 0.05–0.1 Å is
 * a 300–600 K snapshot for light atoms). Seeded, so the same command gives the same candidates and a resumed
 * labelling continues on the same set.
 */
import { HamError } from '../contracts/errors.ts';
import { Rng } from '../runtime/rng.ts';
import type { Structure, Vec3 } from '../structure/structure.ts';

export function thermalSnapshots(structure: Structure, count: number, sigma: number, seed: number): Structure[] {
  if (!Number.isInteger(count) || count < 1) throw new HamError('E_INPUT', `the number of structures must be a positive integer (got ${count})`);
  if (!(sigma >= 0 && sigma <= 0.5)) throw new HamError('E_INPUT', `the displacement σ must be between 0 and 0.5 Å (got ${sigma})`);
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const d = structure.positions.map(() => [rng.normal() * sigma, rng.normal() * sigma, rng.normal() * sigma]);
    const mean = [0, 1, 2].map((c) => d.reduce((a, v) => a + v[c], 0) / d.length);
    const positions = structure.positions.map((p, a) => [0, 1, 2].map((c) => p[c] + d[a][c] - mean[c]) as Vec3);
    return { ...structure, positions, info: undefined };
  });
}
