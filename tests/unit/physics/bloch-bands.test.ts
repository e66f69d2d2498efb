/**
 * Bloch sums and band energies on chains with closed-form bands: the phase convention H(k) = Σ_R e^{+2πik·R} H(R)
 * (the dataset README's) shows in the sign of Im H_AB(k), and the generalised eigenvalues in ε(k) = H(k)/S(k).
 */
import { describe, expect, it } from 'vitest';
import { BlockListBuilder } from '../../../core/datasets/block-builder.ts';
import type { BlochSource } from '../../../core/physics/bloch.ts';
import { blochMatrix } from '../../../core/physics/bloch.ts';
import { bandStructure } from '../../../core/physics/bands.ts';
import { expectHamError, syntheticCrystal } from './fixtures.ts';

const one = (x: number) => Float64Array.of(x);

/** One s orbital per cell: H(0) = ε0, H(±1) = t; S(0) = 1, S(±1) = s. */
function sChain(e0: number, t: number, s: number): BlochSource {
  const b = new BlockListBuilder();
  b.add(0, 0, [0, 0, 0], one(e0), one(1));
  b.add(0, 0, [1, 0, 0], one(t), one(s));
  b.add(0, 0, [-1, 0, 0], one(t), one(s));
  return { atomShells: [[0]], blocks: b.build() };
}

/** Atoms A, B with one s orbital each: hopping v inside the cell, w from B(0) to A(1) (an SSH chain). */
function dimerChain(v: number, w: number): BlochSource {
  const b = new BlockListBuilder();
  b.add(0, 0, [0, 0, 0], one(0), one(1));
  b.add(1, 1, [0, 0, 0], one(0), one(1));
  b.add(0, 1, [0, 0, 0], one(v), one(0));
  b.add(1, 0, [0, 0, 0], one(v), one(0));
  b.add(1, 0, [1, 0, 0], one(w), one(0)); // ⟨B(0)|H|A(R = +1)⟩
  b.add(0, 1, [-1, 0, 0], one(w), one(0)); // ⟨A(0)|H|B(R = −1)⟩, its transpose
  return { atomShells: [[0], [0]], blocks: b.build() };
}

describe('blochMatrix', () => {
  it('uses e^{+2πik·R}: H_AB(k) = v + w e^{−2πik} for the block at R = −1', () => {
    const [v, w, k] = [0.7, -1.3, 0.2];
    const H = blochMatrix(dimerChain(v, w), 'H', [k, 0.4, -0.1]);
    expect(H.re[1]).toBeCloseTo(v + w * Math.cos(2 * Math.PI * k), 14);
    expect(H.im[1]).toBeCloseTo(-w * Math.sin(2 * Math.PI * k), 14);
    expect(H.im[2]).toBeCloseTo(w * Math.sin(2 * Math.PI * k), 14); // H_BA = conj(H_AB)
  });

  it('is Hermitian for blocks stored in both directions (synthetic s+p crystal)', () => {
    const H = blochMatrix(syntheticCrystal(), 'H', [0.137, -0.291, 0]);
    const n = H.n;
    expect(n).toBe(8);
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.hypot(H.re[i * n + j] - H.re[j * n + i], H.im[i * n + j] + H.im[j * n + i]));
    expect(worst).toBeLessThan(1e-14);
    expect(Math.max(...H.im.map(Math.abs))).toBeGreaterThan(0.1); // complex at general k
  });
});

describe('bandStructure', () => {
  it('gives ε(k) = (ε0 + 2t cos 2πk) / (1 + 2s cos 2πk) for a non-orthogonal s chain', () => {
    const [e0, t, s] = [0.5, -1.1, 0.15];
    const ks = [0, 0.1, 0.25, 0.4, 0.5, -0.3];
    const bands = bandStructure(sChain(e0, t, s), Float64Array.from(ks.flatMap((k) => [k, 0, 0])));
    expect(bands.nBands).toBe(1);
    ks.forEach((k, q) => {
      const c = Math.cos(2 * Math.PI * k);
      expect(bands.eigenvalues[q]).toBeCloseTo((e0 + 2 * t * c) / (1 + 2 * s * c), 13);
    });
    expect([...bands.dropped]).toEqual(ks.map(() => 0));
  });

  it('gives ±|v + w e^{2πik}| for the dimer chain', () => {
    const [v, w] = [1, 0.6];
    const ks = [0, 0.2, 0.5];
    const bands = bandStructure(dimerChain(v, w), Float64Array.from(ks.flatMap((k) => [k, 0, 0])));
    ks.forEach((k, q) => {
      const gap = Math.hypot(v + w * Math.cos(2 * Math.PI * k), w * Math.sin(2 * Math.PI * k));
      expect(bands.eigenvalues[2 * q]).toBeCloseTo(-gap, 14);
      expect(bands.eigenvalues[2 * q + 1]).toBeCloseTo(gap, 14);
    });
  });

  it('needs S(R) and at least one k-point (E_INPUT)', () => {
    const noS = sChain(0, 1, 0);
    expectHamError(() => bandStructure({ ...noS, blocks: { ...noS.blocks, S: undefined } }, Float64Array.of(0, 0, 0)), 'E_INPUT', /overlap S\(R\)/);
    expectHamError(() => bandStructure(noS, new Float64Array(0)), 'E_INPUT', /at least one k-point/);
    // 308 dzp carbons (13 orbitals each) are 4004 orbitals: beyond dense diagonalisation, refused before any work.
    const big = { ...noS, atomShells: Array.from({ length: 308 }, () => [0, 1, 0, 1, 2]) };
    expectHamError(() => bandStructure(big, Float64Array.of(0, 0, 0)), 'E_INPUT', /4004 orbitals: dense diagonalisation is limited to 4000/);
  });
});
