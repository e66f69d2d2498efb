import { describe, expect, it } from 'vitest';
import type { GaussianBasisSet, GaussianShell } from '../../../core/basis/gaussian-basis.ts';
import { loadBasisSet } from '../../../core/basis/library.ts';
import { HamError } from '../../../core/contracts/errors.ts';
import { overlapMatrix } from '../../../core/integrals/overlap.ts';
import { prepareShell } from '../../../core/integrals/prepared-shell.ts';
import { shellPairOverlap } from '../../../core/integrals/shell-pair-overlap.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import { randomRotation } from '../../../core/so3/rotation.ts';
import { blockDiagonalD } from '../../../core/so3/wigner.ts';
import { loadStructure } from './dataset-fixture.ts';

const BOHR = 0.529177210903;
const def2svp = loadBasisSet('def2-SVP');
const ethanol = loadStructure('ethanol-pbe-def2svp', 0);

function basisOf(elements: Record<number, GaussianShell[]>): GaussianBasisSet {
  return { name: 'test', elements: new Map(Object.entries(elements).map(([z, s]) => [Number(z), s])), ecpElements: new Set() };
}

/** Every l from 0 to 4, each a two-primitive contraction, so f and g shells are exercised. */
const spdfg = basisOf({
  6: [0, 1, 2, 3, 4].map((l) => ({ l, exponents: [2.1 + l, 0.37 + 0.1 * l], coefficients: [0.6, 0.5] })),
  1: [{ l: 0, exponents: [1.3, 0.2], coefficients: [0.4, 0.7] }, { l: 4, exponents: [0.8], coefficients: [1] }],
});

/** (2a/π)^{3/4}: normalises e^{−a r²}. */
const sNorm = (a: number): number => (2 * a / Math.PI) ** 0.75;

function product(a: Float64Array, b: Float64Array, n: number, transposeB = false): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * (transposeB ? b[j * n + k] : b[k * n + j]);
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function rotate(positions: number[][], R: Float64Array): number[][] {
  return positions.map((r) => [0, 1, 2].map((i) => R[3 * i] * r[0] + R[3 * i + 1] * r[1] + R[3 * i + 2] * r[2]));
}

describe('two-centre closed forms', () => {
  it('contracted s–s: Σ c c N N (π/(a+b))^{3/2} exp(−ab/(a+b) R²), normalised', () => {
    const sa = { l: 0, exponents: [3.2, 0.45], coefficients: [0.3, 0.8] };
    const sb = { l: 0, exponents: [1.1, 0.21], coefficients: [0.5, 0.6] };
    const R = 1.37; // Å
    const r2 = (R / BOHR) ** 2;
    const pair = (x: GaussianShell, y: GaussianShell, d2: number): number => {
      let s = 0;
      x.exponents.forEach((a, i) => y.exponents.forEach((b, j) => {
        s += x.coefficients[i] * y.coefficients[j] * sNorm(a) * sNorm(b) * (Math.PI / (a + b)) ** 1.5 * Math.exp((-a * b / (a + b)) * d2);
      }));
      return s;
    };
    const expected = pair(sa, sb, r2) / Math.sqrt(pair(sa, sa, 0) * pair(sb, sb, 0));
    const { S } = overlapMatrix([1, 2], [[0, 0, 0], [0.3, -0.5, Math.sqrt(R * R - 0.34)]], basisOf({ 1: [sa], 2: [sb] }));
    expect(S[1]).toBeCloseTo(expected, 14);
    expect(S[2]).toBe(S[1]);
    expect(Math.abs(S[0] - 1)).toBeLessThan(1e-15);
  });

  it('p–p along z: σ = N²(π/p)^{3/2} e^{−μR²}(1/2p − abR²/p²), π = N²(π/p)^{3/2} e^{−μR²}/2p', () => {
    const a = 0.9;
    const b = 0.4;
    const R = 1.1 / BOHR;
    const p = a + b;
    // Normalised p primitive: 2√a (2a/π)^{3/4} · x e^{−a r²}.
    const norm = 2 * Math.sqrt(a) * sNorm(a) * 2 * Math.sqrt(b) * sNorm(b);
    const common = norm * (Math.PI / p) ** 1.5 * Math.exp((-a * b / p) * R * R);
    const basis = basisOf({ 1: [{ l: 1, exponents: [a], coefficients: [1] }], 2: [{ l: 1, exponents: [b], coefficients: [1] }] });
    const { S, n } = overlapMatrix([1, 2], [[0, 0, 0], [0, 0, 1.1]], basis);
    // wiki p order is (y, z, x): z is function 1, x is function 2; atom 2 starts at 3.
    expect(S[1 * n + 4]).toBeCloseTo(common * (1 / (2 * p) - (a * b * R * R) / (p * p)), 14);
    expect(S[2 * n + 5]).toBeCloseTo(common / (2 * p), 14);
    expect(S[0 * n + 3]).toBeCloseTo(common / (2 * p), 14);
    expect(S[1 * n + 3]).toBe(0);
  });
});

describe('normalisation and on-site orthonormality', () => {
  const cases: [string, number[], number[][], GaussianBasisSet][] = [
    ['ethanol def2-SVP', ethanol.numbers, ethanol.positions, def2svp],
    ['s…g test basis', [6, 1, 6], [[0, 0, 0], [0.9, 0.4, -0.3], [-0.7, 1.2, 0.5]], spdfg],
  ];
  for (const [name, numbers, positions, basis] of cases) {
    it(`${name}: S_ii = 1, every shell's own block is the identity, S is exactly symmetric`, () => {
      const { S, n, layout } = overlapMatrix(numbers, positions, basis);
      layout.shellLs.forEach((l, k) => {
        const o = layout.shellOffsets[k];
        for (let i = 0; i <= 2 * l; i++) {
          for (let j = 0; j <= 2 * l; j++) expect(Math.abs(S[(o + i) * n + o + j] - (i === j ? 1 : 0))).toBeLessThan(2e-15);
        }
      });
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(S[i * n + j]).toBe(S[j * n + i]);
    });
  }

  it('positive definite: Cholesky of ethanol S succeeds', () => {
    const s = loadStructure('ethanol-pbe-def2svp', 1);
    const { S, n } = overlapMatrix(s.numbers, s.positions, def2svp);
    const L = Float64Array.from(S);
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) L[j * n + j] -= L[j * n + k] ** 2;
      expect(L[j * n + j]).toBeGreaterThan(0);
      L[j * n + j] = Math.sqrt(L[j * n + j]);
      for (let i = j + 1; i < n; i++) {
        for (let k = 0; k < j; k++) L[i * n + j] -= L[i * n + k] * L[j * n + k];
        L[i * n + j] /= L[j * n + j];
      }
    }
  });
});

describe('symmetry of space', () => {
  const rng = new Rng(20240611);
  const cases: [string, number[], number[][], GaussianBasisSet][] = [
    ['ethanol def2-SVP', ethanol.numbers, ethanol.positions, def2svp],
    ['s…g test basis', [6, 1, 6], [[0, 0, 0], [0.9, 0.4, -0.3], [-0.7, 1.2, 0.5]], spdfg],
  ];
  for (const [name, numbers, positions, basis] of cases) {
    it(`${name}: S(R r) = D(R) S(r) D(R)ᵀ with the Wigner D of core/so3`, () => {
      const { S, n, layout } = overlapMatrix(numbers, positions, basis);
      for (let trial = 0; trial < 3; trial++) {
        const R = randomRotation(rng);
        const rotated = overlapMatrix(numbers, rotate(positions, R), basis).S;
        const D = blockDiagonalD(layout.shellLs, R);
        expect(maxAbsDiff(rotated, product(product(D, S, n), D, n, true))).toBeLessThan(1e-13);
      }
    });

    it(`${name}: translation leaves S unchanged`, () => {
      const { S } = overlapMatrix(numbers, positions, basis);
      const moved = overlapMatrix(numbers, positions.map((r) => [r[0] + 3.7, r[1] - 1.2, r[2] + 0.4]), basis).S;
      expect(maxAbsDiff(S, moved)).toBeLessThan(1e-14);
    });
  }
});

describe('shell-pair blocks', () => {
  it('match the matrix blocks, and swapping the shells transposes the block', () => {
    const shells = spdfg.elements.get(6)!.map(prepareShell);
    const A = [0.1, -0.4, 0.3];
    const B = [1.2, 0.5, -0.6];
    for (const a of shells) {
      for (const b of shells) {
        const ab = shellPairOverlap(a, A, b, B);
        const ba = shellPairOverlap(b, B, a, A);
        const na = 2 * a.l + 1;
        const nb = 2 * b.l + 1;
        for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) expect(ab[i * nb + j]).toBeCloseTo(ba[j * na + i], 15);
      }
    }
    const { S, n, layout } = overlapMatrix([6, 6], [A, B].map((r) => r.map((x) => x * BOHR)), spdfg);
    const [ka, kb] = [3, 6]; // f on atom 1, p on atom 2
    const block = shellPairOverlap(shells[3], A, shells[1], B);
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 3; j++) {
        expect(S[(layout.shellOffsets[ka] + i) * n + layout.shellOffsets[kb] + j]).toBeCloseTo(block[i * 3 + j], 15);
      }
    }
  });

  it('far-apart atoms give exact zeros (prefactor screening)', () => {
    const { S, n } = overlapMatrix([8, 8], [[0, 0, 0], [0, 0, 80]], def2svp);
    for (let i = 0; i < n / 2; i++) for (let j = n / 2; j < n; j++) expect(S[i * n + j]).toBe(0);
  });
});

describe('bad input', () => {
  it('names the problem', () => {
    const fail = (f: () => unknown, code: string): void => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(HamError);
        expect((e as HamError).code).toBe(code);
        return;
      }
      throw new Error('expected a HamError');
    };
    fail(() => overlapMatrix([1, 1], [[0, 0, 0]], def2svp), 'E_INPUT');
    fail(() => overlapMatrix([1], [[0, 0]], def2svp), 'E_INPUT');
    fail(() => overlapMatrix([1], [[0, Number.NaN, 0]], def2svp), 'E_INPUT');
    fail(() => overlapMatrix([1], [[0, 0, 0]], def2svp, { bohrInAngstrom: 0 }), 'E_INPUT');
    fail(() => overlapMatrix([92], [[0, 0, 0]], def2svp), 'E_UNSUPPORTED_ELEMENT');
  });
});
