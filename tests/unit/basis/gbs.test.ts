import { describe, expect, it } from 'vitest';
import { parseGbs } from '../../../core/basis/gbs.ts';
import { elementShells, loadBasisSet } from '../../../core/basis/library.ts';
import { HamError } from '../../../core/contracts/errors.ts';

describe('def2-SVP from the shipped Gaussian94 file', () => {
  const basis = loadBasisSet('def2-SVP');

  it('has the published shell structure for H, C, O (psi4 meta.json `shells`)', () => {
    expect(elementShells(basis, 1).map((s) => s.l)).toEqual([0, 0, 1]);
    expect(elementShells(basis, 6).map((s) => s.l)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(elementShells(basis, 8).map((s) => s.l)).toEqual([0, 0, 0, 1, 1, 2]);
  });

  it('reads exponents and contraction coefficients (H 1s, Weigend & Ahlrichs 2005)', () => {
    const h1s = elementShells(basis, 1)[0];
    expect(h1s.exponents).toEqual([13.010701, 1.9622572, 0.44453796]);
    expect(h1s.coefficients).toEqual([0.019682158, 0.13796524, 0.47831935]);
  });

  it('parses Fortran D exponents (Kr d shell)', () => {
    const kr = elementShells(basis, 36);
    expect(kr.filter((s) => s.l === 2)[0].coefficients[0]).toBeCloseTo(0.021945485333, 14);
  });

  it('covers H–Kr all-electron and refuses ECP elements with a clear message', () => {
    for (let z = 1; z <= 36; z++) expect(elementShells(basis, z).length).toBeGreaterThan(0);
    expect(() => elementShells(basis, 37)).toThrow(/Rb needs an effective core potential/);
  });
});

describe('Gaussian94 parser errors', () => {
  const parse = (t: string) => () => parseGbs(t, 'test', 'bad.gbs');

  it('names the line of a non-numeric exponent', () => {
    expect(parse('****\nH 0\nS 1 1.00\n  abc 1.0\n****\n')).toThrow(/bad\.gbs:4: 'abc' is not a number/);
  });

  it('names a truncated shell', () => {
    expect(parse('****\nH 0\nS 3 1.00\n 1.0 1.0\n')).toThrow(HamError);
  });

  it('rejects an unknown element header', () => {
    expect(parse('****\nQq 0\n')).toThrow(/bad\.gbs:2: expected an element header/);
  });

  it('splits SP shells into s and p', () => {
    const b = parseGbs('****\nC 0\nSP 2 1.00\n 3.0 0.5 0.25\n 1.0 0.6 0.75\n****\n', 'x', 'sp.gbs');
    expect(b.elements.get(6)!.map((s) => [s.l, s.coefficients])).toEqual([[0, [0.5, 0.6]], [1, [0.25, 0.75]]]);
  });
});
