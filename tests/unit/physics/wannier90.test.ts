/**
 * The wannier90 export read back by an independent reader written here from the format description (formats
 * §4.6): H(k) = Σ_R e^{2πik·R} H(R)/deg(R) from hr.dat must have the generalised eigenvalues of the source's
 * H(k), S(k) on every mesh point (to 1e-6 eV; the Fourier transform is exact there) and be the Löwdin matrix
 * itself, and the file layout must be Wannier90's (header, num_wann, nrpts, degeneracies 15 per line, m fastest).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportSource } from '../../../core/export/source.ts';
import { defaultMesh, wannier90Format, wannierHamiltonian, wignerSeitzPoints } from '../../../core/export/wannier90.ts';
import { bandStructure } from '../../../core/physics/bands.ts';
import { blochMatrix } from '../../../core/physics/bloch.ts';
import { hermitianEigen, lowdinOrthogonalize, type ComplexMatrix } from '../../../core/physics/hermitian-eigen.ts';
import { gammaCentredMesh } from '../../../core/physics/kpath.ts';
import type { Mat3 } from '../../../core/structure/structure.ts';
import { GRAPHENE_CELL, syntheticCrystal } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-w90-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface HrFile {
  header: string;
  numWann: number;
  degeneracy: number[];
  degeneracyLines: string[];
  blocks: Map<string, { re: Float64Array; im: Float64Array }>;
  order: string[];
}

function readHr(text: string): HrFile {
  const lines = text.split('\n');
  const numWann = Number(lines[1]);
  const nrpts = Number(lines[2]);
  const nDeg = Math.ceil(nrpts / 15);
  const degeneracyLines = lines.slice(3, 3 + nDeg);
  const degeneracy = degeneracyLines.join(' ').trim().split(/\s+/).map(Number);
  const blocks = new Map<string, { re: Float64Array; im: Float64Array }>();
  const order: string[] = [];
  for (const line of lines.slice(3 + nDeg)) {
    if (!line.trim()) continue;
    const [r1, r2, r3, m, n, re, im] = line.trim().split(/\s+/).map(Number);
    const key = `${r1},${r2},${r3}`;
    if (!blocks.has(key)) {
      blocks.set(key, { re: new Float64Array(numWann * numWann), im: new Float64Array(numWann * numWann) });
      order.push(`${key} ${m} ${n}`);
    }
    const b = blocks.get(key)!;
    b.re[(m - 1) * numWann + n - 1] = re;
    b.im[(m - 1) * numWann + n - 1] = im;
  }
  return { header: lines[0], numWann, degeneracy, degeneracyLines, blocks, order };
}

/** H(k) = Σ_R e^{+2πik·R} H(R) / deg(R), Wannier90's interpolation. */
function hrAtK(hr: HrFile, k: ArrayLike<number>): ComplexMatrix {
  const n = hr.numWann;
  const out: ComplexMatrix = { n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
  [...hr.blocks.entries()].forEach(([key, b], r) => {
    const R = key.split(',').map(Number);
    const phase = 2 * Math.PI * (k[0] * R[0] + k[1] * R[1] + k[2] * R[2]);
    const [c, s] = [Math.cos(phase) / hr.degeneracy[r], Math.sin(phase) / hr.degeneracy[r]];
    for (let p = 0; p < n * n; p++) {
      out.re[p] += c * b.re[p] - s * b.im[p];
      out.im[p] += c * b.im[p] + s * b.re[p];
    }
  });
  return out;
}

describe('wignerSeitzPoints', () => {
  it('2×2×1 square supercell: the origin, 4 edge points of degeneracy 2 and 4 corners of degeneracy 4', () => {
    const cell: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const { R, degeneracy } = wignerSeitzPoints(cell, [2, 2, 1]);
    const got = new Map(Array.from(degeneracy, (d, r) => [`${R[3 * r]},${R[3 * r + 1]},${R[3 * r + 2]}`, d]));
    expect(got).toEqual(new Map([
      ['-1,-1,0', 4], ['-1,0,0', 2], ['-1,1,0', 4], ['0,-1,0', 2], ['0,0,0', 1], ['0,1,0', 2], ['1,-1,0', 4], ['1,0,0', 2], ['1,1,0', 4],
    ]));
  });

  it('3×3×1 of the graphene cell: Σ 1/deg = 9, the hexagon’s corners 3-fold degenerate', () => {
    const { R, degeneracy } = wignerSeitzPoints(GRAPHENE_CELL, [3, 3, 1]);
    expect(Array.from(degeneracy).reduce((a, d) => a + 1 / d, 0)).toBeCloseTo(9, 12);
    expect(Array.from(R).filter((_, c) => c % 3 === 2).every((r) => r === 0)).toBe(true);
    // (a = 7.38 Å here.) The supercell’s WS cell is a hexagon of apothem 3a/2 and circumradius √3a: the origin and the 6 nearest
    // neighbours (at a) lie inside, the 6 second neighbours (at √3a) on its corners, each shared by 3 cells.
    const lengths = Array.from(degeneracy, (d, r) => [d, Math.hypot(...[0, 1].map((c) => R[3 * r] * GRAPHENE_CELL[0][c] + R[3 * r + 1] * GRAPHENE_CELL[1][c])) / 7.38]);
    expect(lengths.filter(([d]) => d === 1).map(([, x]) => x).sort()).toEqual([0, 1, 1, 1, 1, 1, 1].map((x, k) => expect.closeTo(x, k === 0 ? 12 : 10)));
    expect(lengths.filter(([d]) => d === 3).map(([, x]) => x)).toEqual(Array(6).fill(expect.closeTo(Math.sqrt(3), 10)));
    expect(degeneracy.length).toBe(13);
  });
});

describe('wannier90 export', () => {
  const sample = syntheticCrystal();
  const source: ExportSource = { origin: 'memory', kind: 'crystal', sample, predicted: false, order: 'wiki', provenance: {} };

  it('writes hr.dat, tb.dat and meta.json whose bands equal the generalised eigenvalues on the mesh (1e-6 eV)', async () => {
    const names = await wannier90Format.write(source, tmp, 'wiki');
    expect(names).toEqual(['hex-sp_hr.dat', 'hex-sp_tb.dat', 'meta.json']);
    expect(defaultMesh(sample)).toEqual([5, 5, 1]);
    const hr = readHr(readFileSync(path.join(tmp, 'hex-sp_hr.dat'), 'utf8'));
    expect(hr.numWann).toBe(8);
    expect(hr.header).toMatch(/^Hamiltonian Studio \d{4}-\d\d-\d\dT.*synthetic\/hex-sp/);
    expect(hr.header).toMatch(/units eV/);
    expect(hr.header).toMatch(/Lowdin-orthogonalised .* Gamma-centred 5x5x1 k-mesh/);
    expect(hr.header).toMatch(/shells l = 0 1, each m = -l\.\.l .*\(wiki: p y z x/);
    const mesh = gammaCentredMesh([5, 5, 1]);
    const ref = bandStructure(sample, mesh);
    let worst = 0;
    for (let q = 0; q < 25; q++) {
      const values = hermitianEigen(hrAtK(hr, mesh.subarray(3 * q, 3 * q + 3))).values;
      values.forEach((v, b) => { worst = Math.max(worst, Math.abs(v - ref.eigenvalues[q * 8 + b])); });
    }
    expect(worst).toBeLessThan(1e-6);
    // Eigenvalues cannot see the phase convention (H(−k) = conj H(k) has the same spectrum); the matrix can: the
    // file's H(k) is S^{-1/2} H(k) S^{-1/2} itself, entry by entry, at a mesh point where it is complex.
    const k = mesh.subarray(3 * 7, 3 * 7 + 3);
    const want = lowdinOrthogonalize(blochMatrix(sample, 'H', k), blochMatrix(sample, 'S', k));
    const got = hrAtK(hr, k);
    expect(Math.max(...want.im.map(Math.abs))).toBeGreaterThan(0.1);
    expect(Math.max(...got.re.map((x, p) => Math.hypot(x - want.re[p], got.im[p] - want.im[p])))).toBeLessThan(1e-8);
  });

  it('has Wannier90’s layout: degeneracies 15 per line (I5), m fastest, and tb.dat with the lattice in Å', () => {
    const text = readFileSync(path.join(tmp, 'hex-sp_hr.dat'), 'utf8');
    const hr = readHr(text);
    const nrpts = Number(text.split('\n')[2]);
    expect(hr.blocks.size).toBe(nrpts);
    expect(hr.degeneracy).toHaveLength(nrpts);
    expect(hr.degeneracyLines.slice(0, -1).every((l) => l.length === 75)).toBe(true);
    const data = text.split('\n').slice(3 + hr.degeneracyLines.length, 5 + hr.degeneracyLines.length);
    expect(data[0]).toMatch(/^\s+-?\d+\s+-?\d+\s+-?\d+\s+1\s+1\s+-?\d+\.\d{10}\s+-?\d+\.\d{10}$/);
    expect(data[1]).toMatch(/^\s+-?\d+\s+-?\d+\s+-?\d+\s+2\s+1\s/);
    const tb = readFileSync(path.join(tmp, 'hex-sp_tb.dat'), 'utf8').split('\n');
    expect(tb[0]).toBe(hr.header);
    expect(tb[2].trim().split(/\s+/).map(Number)).toEqual([1.23, (2.46 * Math.sqrt(3)) / 2, 0].map((x) => Number(x.toFixed(10))));
    expect(Number(tb[4])).toBe(8);
    expect(Number(tb[5])).toBe(nrpts);
    const meta = JSON.parse(readFileSync(path.join(tmp, 'meta.json'), 'utf8'));
    expect(meta.export).toBe('wannier90');
    expect(meta.orbital_order).toBe('wiki');
  });

  it('reproduces H_orth(R) hermiticity: H(−R) = H(R)ᴴ', () => {
    const w = wannierHamiltonian(sample);
    const n = w.numWann;
    const index = new Map(Array.from(w.degeneracy, (_, r) => [`${w.R[3 * r]},${w.R[3 * r + 1]},${w.R[3 * r + 2]}`, r]));
    let worst = 0;
    for (const [key, r] of index) {
      const minus = index.get(key.split(',').map((x) => String(-Number(x))).join(','))!;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        worst = Math.max(worst, Math.abs(w.re[r * n * n + a * n + b] - w.re[minus * n * n + b * n + a]), Math.abs(w.im[r * n * n + a * n + b] + w.im[minus * n * n + b * n + a]));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
