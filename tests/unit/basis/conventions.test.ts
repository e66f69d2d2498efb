import { describe, expect, it } from 'vitest';
import {
  convertBlock, convertCoefficients, convertMatrix, ORBITAL_CONVENTIONS, shellPermutation,
  type OrbitalConvention,
} from '../../../core/basis/conventions.ts';

/** The table of reference/formats-and-conventions.md §4.1: perm and signs for l = 1, 2, 3. */
const TABLE: Partial<Record<OrbitalConvention, [number[], string][]>> = {
  wiki: [[[0, 1, 2], '+++'], [[0, 1, 2, 3, 4], '+++++'], [[0, 1, 2, 3, 4, 5, 6], '+++++++']],
  gpaw: [[[0, 1, 2], '+++'], [[0, 1, 2, 3, 4], '+++++'], [[0, 1, 2, 3, 4, 5, 6], '+++++++']],
  psi4: [[[2, 0, 1], '+++'], [[4, 2, 0, 1, 3], '+++++'], [[6, 4, 2, 0, 1, 3, 5], '+++++++']],
  pyscf: [[[1, 2, 0], '+++'], [[0, 1, 2, 3, 4], '+++++'], [[0, 1, 2, 3, 4, 5, 6], '+++++++']],
  molden: [[[1, 2, 0], '+++'], [[4, 2, 0, 1, 3], '+++++'], [[6, 4, 2, 0, 1, 3, 5], '+++++++']],
  orca: [[[2, 0, 1], '+++'], [[4, 2, 0, 1, 3], '+++++'], [[6, 4, 2, 0, 1, 3, 5], '-+++++-']],
  openmx: [[[1, 2, 0], '+++'], [[2, 4, 0, 3, 1], '+++++'], [[6, 4, 2, 0, 1, 3, 5], '+++++++']],
  abacus: [[[2, 0, 1], '-+-'], [[4, 2, 0, 1, 3], '+-+-+'], [[6, 4, 2, 0, 1, 3, 5], '-+-+-+-']],
  siesta: [[[0, 1, 2], '-+-'], [[0, 1, 2, 3, 4], '+-+-+'], [[0, 1, 2, 3, 4, 5, 6], '-+-+-+-']],
  'fhi-aims': [[[0, 1, 2], '++-'], [[0, 1, 2, 3, 4], '+++-+'], [[0, 1, 2, 3, 4, 5, 6], '++++-+-']],
};

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

describe('orbital-order conventions', () => {
  for (const [code, rows] of Object.entries(TABLE)) {
    it(`${code} reproduces the reference table for l = 1, 2, 3`, () => {
      rows!.forEach(([perm, signs], k) => {
        const got = shellPermutation(code as OrbitalConvention, k + 1);
        expect(got.perm).toEqual(perm);
        expect(got.sign.map((s) => (s > 0 ? '+' : '-')).join('')).toBe(signs);
      });
    });
  }

  it('psi4 l = 1 is (z, x, y): the wiki p_y is psi4 function 2', () => {
    // psi4 p shell [z, x, y] → wiki [y, z, x]
    expect(Array.from(convertMatrix([1, 2, 3, 4, 5, 6, 7, 8, 9], [1], 'psi4', 'wiki'))).toEqual([9, 7, 8, 3, 1, 2, 6, 4, 5]);
  });

  it('round-trips every convention through wiki and to every other (s, p, d, f shells)', () => {
    const rnd = lcg(7);
    const shells = [0, 1, 2, 0, 3, 1];
    const n = shells.reduce((a, l) => a + 2 * l + 1, 0);
    const m = Float64Array.from({ length: n * n }, rnd);
    for (const a of ORBITAL_CONVENTIONS) {
      for (const b of ORBITAL_CONVENTIONS) {
        const there = convertMatrix(m, shells, a, b);
        const back = convertMatrix(there, shells, b, a);
        expect(Array.from(back)).toEqual(Array.from(m));
      }
    }
  });

  it('is a signed permutation: traces and Frobenius norms are preserved', () => {
    const rnd = lcg(3);
    const shells = [0, 1, 2, 3];
    const n = 16;
    const m = Float64Array.from({ length: n * n }, rnd);
    const tr = (x: Float64Array) => Array.from({ length: n }, (_, i) => x[i * n + i]).reduce((a, b) => a + b);
    for (const c of ORBITAL_CONVENTIONS) expect(tr(convertMatrix(m, shells, c, 'wiki'))).toBeCloseTo(tr(m), 12);
  });

  it('converts rectangular blocks and coefficient matrices consistently with square matrices', () => {
    const rnd = lcg(11);
    const shells = [0, 1, 2];
    const n = 9;
    const m = Float64Array.from({ length: n * n }, rnd);
    const full = convertMatrix(m, shells, 'orca', 'wiki');
    // columns of a coefficient matrix transform like rows of H
    const c = convertCoefficients(m, shells, n, 'orca', 'wiki');
    const rowsOnly = convertBlock(m, shells, new Array(n).fill(0), 'orca', 'wiki');
    expect(Array.from(c)).toEqual(Array.from(rowsOnly));
    // converting rows then columns (via transpose) equals the square conversion
    const t = (x: Float64Array) => Float64Array.from({ length: n * n }, (_, k) => x[(k % n) * n + Math.floor(k / n)]);
    expect(Array.from(t(convertCoefficients(t(c), shells, n, 'orca', 'wiki')))).toEqual(Array.from(full));
  });

  it('refuses a shape that does not match the shells', () => {
    expect(() => convertMatrix(new Float64Array(10), [1], 'psi4', 'wiki')).toThrow(/matrix has 10 entries, the shells need 3×3/);
  });

  it('says when a code has no known order for an l', () => {
    expect(() => shellPermutation('openmx', 4)).toThrow(/openmx orbital order is not known for l = 4/);
  });
});
