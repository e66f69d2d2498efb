/**
 * The shared graphene dataset (GPAW, legacy DeepH layout): one structure folder read in full and checked against
 * the dataset's own documented facts (block count, exact hermiticity, normalised orbitals, GPAW's p order) and
 * against GPAW's eigenvalues through a Bloch sum of the stored blocks — which fails if any block sits at the wrong
 * (i, j, R) or in the wrong orbital order. The root is only detected here (loading all 31 folders takes seconds).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectLayout } from '../../core/datasets/detect.ts';
import { loadDataset } from '../../core/datasets/load.ts';
import { atomOrbitalOffsets, blockData, blockIndex, blockKey, isOnsite, type HamiltonianSample } from '../../core/datasets/sample.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { generalizedEigenvalues } from './generalized-eigen.ts';

const ROOT = datasetPath('graphene-3x3-pbe-dzp');
let s: HamiltonianSample;

beforeAll(async () => {
  const ds = await loadDataset(path.join(ROOT, '0000'));
  expect(ds.samples).toHaveLength(1);
  expect(ds.fileOrbitalOrders).toEqual(['gpaw']);
  s = ds.samples[0];
});

describe('graphene-3x3-pbe-dzp/0000', () => {
  it('has the documented structure and block count', () => {
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'meta.json'), 'utf8'));
    const nBlocks = s.blocks.i.length;
    expect(nBlocks).toBeGreaterThanOrEqual(1044);
    expect(nBlocks).toBeLessThanOrEqual(1074);
    expect(nBlocks).toBe(meta.checks_per_structure['0000'].n_blocks);
    expect(s.structure.numbers).toEqual(Array(18).fill(6));
    expect(s.atomShells[0]).toEqual([0, 1, 0, 1, 2]);
    expect(s.unit).toBe('eV');
    // lat.dat holds the vectors as columns; the cell holds them as rows: a2 = (3.69, 6.3913, 0).
    expect(s.structure.cell?.[1][0]).toBeCloseTo(3.69, 12);
    expect(s.structure.cell?.[1][1]).toBeCloseTo(6.391267479929157, 12);
    expect(s.structure.cell?.[0][1]).toBe(0);
  });

  it('stores both orders with H_ji(−R) = H_ij(R)ᵀ (exactly, as the README says) for H and S', () => {
    const index = blockIndex(s.blocks);
    const { i, j, R } = s.blocks;
    let worst = 0;
    for (let b = 0; b < i.length; b++) {
      const p = index.get(blockKey(j[b], i[b], [-R[3 * b], -R[3 * b + 1], -R[3 * b + 2]])) as number;
      expect(p).toBeDefined();
      for (const which of ['H', 'S'] as const) {
        const x = blockData(s.blocks, which, b);
        const y = blockData(s.blocks, which, p);
        for (let r = 0; r < 13; r++) for (let c = 0; c < 13; c++) worst = Math.max(worst, Math.abs(x[r * 13 + c] - y[c * 13 + r]));
      }
    }
    expect(worst).toBe(0);
  });

  // Not 1 to 1e-6: GPAW's S is the PAW overlap ⟨φ̃|φ̃⟩ + Σ_a ⟨φ̃|p̃ᵃ⟩ΔSᵃ⟨p̃ᵃ|φ̃⟩, so even the normalised 2s-sz
  // function has S_00 = 0.9975 in the pristine cell (and the split-valence 2s-dz only 0.349). What holds: S_00 is 1
  // to the size of the PAW term, and atoms equivalent by symmetry have identical on-site diagonals.
  it('the on-site overlap of every 2s-sz orbital is 1 up to the PAW correction; equivalent atoms agree', async () => {
    const onsite = (x: HamiltonianSample) => [...x.blocks.i.keys()].filter((b) => isOnsite(x.blocks, b)).map((b) => blockData(x.blocks, 'S', b));
    const blocks = onsite(s);
    expect(blocks).toHaveLength(18);
    for (const o of blocks) expect(Math.abs(o[0] - 1)).toBeLessThan(5e-3);
    const pristine = onsite((await loadDataset(path.join(ROOT, 'pristine'))).samples[0]);
    // Diagonals are invariant under the symmetries mapping one sublattice onto the other (off-diagonals may flip).
    const diagonal = (o: Float64Array) => Array.from({ length: 13 }, (_, k) => o[k * 13 + k]);
    const spread = Math.max(...pristine.flatMap((o) => diagonal(o).map((v, k) => Math.abs(v - diagonal(pristine[0])[k]))));
    expect(spread).toBeLessThan(1e-8);
    expect(pristine[0][0]).toBeCloseTo(0.99754, 5);
  });

  it('⟨2s-sz(i)|2p-sz(j)⟩ points along (y, z, x) of r_i − (r_j + R): GPAW order is wiki', () => {
    const cell = s.structure.cell as number[][];
    let checked = 0;
    for (let b = 0; b < s.blocks.i.length; b++) {
      const sp = Array.from(blockData(s.blocks, 'S', b).subarray(1, 4)); // row 2s-sz, columns 2p-sz (m = −1, 0, 1)
      if (isOnsite(s.blocks, b) || Math.hypot(...sp) < 1e-3) continue; // on-site: no direction (PAW terms only)
      const [ri, rj] = [s.structure.positions[s.blocks.i[b]], s.structure.positions[s.blocks.j[b]]];
      const R = s.blocks.R.subarray(3 * b, 3 * b + 3);
      const d = [0, 1, 2].map((c) => ri[c] - rj[c] - R[0] * cell[0][c] - R[1] * cell[1][c] - R[2] * cell[2][c]);
      const want = [d[1], d[2], d[0]];
      const cos = sp.reduce((a, v, k) => a + v * want[k], 0) / Math.hypot(...sp) / Math.hypot(...want);
      expect(cos).toBeGreaterThan(0.9999);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('the Bloch sum at Γ reproduces GPAW eigenvalues below E_F + 10 eV to 1e-5 eV', () => {
    const off = atomOrbitalOffsets(s.atomShells);
    const n = off[off.length - 1];
    const H = new Float64Array(n * n);
    const S = new Float64Array(n * n);
    for (let b = 0; b < s.blocks.i.length; b++) {
      const [r0, c0] = [off[s.blocks.i[b]], off[s.blocks.j[b]]];
      const [h, o] = [blockData(s.blocks, 'H', b), blockData(s.blocks, 'S', b)];
      for (let r = 0; r < 13; r++) {
        for (let c = 0; c < 13; c++) {
          H[(r0 + r) * n + c0 + c] += h[r * 13 + c];
          S[(r0 + r) * n + c0 + c] += o[r * 13 + c];
        }
      }
    }
    const kp = s.references.kpoints;
    expect(kp?.nBands).toBe(234);
    const frac = kp?.frac as Float64Array;
    const gamma = [...Array(frac.length / 3).keys()].find((k) => frac[3 * k] === 0 && frac[3 * k + 1] === 0 && frac[3 * k + 2] === 0) as number;
    const ref = (kp?.eigenvalues as Float64Array).subarray(gamma * 234, (gamma + 1) * 234);
    const eps = generalizedEigenvalues(H, S, n);
    const limit = (s.references.fermiLevel as number) + 10;
    let compared = 0;
    for (let k = 0; k < n && ref[k] < limit; k++, compared++) expect(Math.abs(eps[k] - ref[k])).toBeLessThan(1e-5);
    expect(compared).toBeGreaterThan(40);
  });
});

describe('graphene-3x3-pbe-dzp root', () => {
  it('is detected as a legacy DeepH root of 31 structure folders', () => {
    const d = detectLayout(ROOT);
    expect(d.format).toBe('deeph-legacy');
    expect(d.folders).toHaveLength(31);
    expect(d.folders[0]).toBe('0000');
    expect(d.folders).toContain('pristine');
    expect(d.skipped).toEqual([]);
  });
});
