/**
 * Lattice detection, special points and path sampling. The tables are checked geometrically rather than against
 * themselves: each special point must have the Cartesian length its textbook definition gives (e.g. |K| = 4π/3a
 * for a hexagonal lattice, |W| = (√5/2)(2π/a) for fcc), computed from the cell in the test.
 */
import { describe, expect, it } from 'vitest';
import { bandPath, detectLattice, gammaCentredMesh, parseKPath, reciprocalRows, samplePath } from '../../../core/physics/kpath.ts';
import { dot, norm, vecMat } from '../../../core/structure/cell.ts';
import type { Mat3, Structure, Vec3 } from '../../../core/structure/structure.ts';
import { expectHamError, GRAPHENE_CELL, graphene3x3 } from './fixtures.ts';

const crystal = (cell: Mat3, positions: Vec3[] = [[0, 0, 0]]): Structure => ({ numbers: positions.map(() => 6), positions, cell, pbc: [true, true, true] });
const slab = (cell: Mat3) => crystal(cell, [[0, 0, cell[2][2] / 2]]);
/** Cartesian length (1/Å, with 2π) of a fractional k-point. */
const kLength = (cell: Mat3, f: Vec3) => norm(vecMat(f, reciprocalRows(cell)));

describe('detectLattice', () => {
  it('graphene 3×3 (60°, 12 Å vacuum): hexagonal-2d with the README’s M = (1/2, 0, 0), K = (1/3, −1/3, 0)', () => {
    const lat = detectLattice(graphene3x3())!;
    expect(lat.kind).toBe('hexagonal-2d');
    expect(lat.path).toBe('G-M-K-G');
    expect(lat.points.M).toEqual([0.5, 0, 0]);
    expect(lat.points.K).toEqual([1 / 3, -1 / 3, 0]);
    const a = 7.38;
    expect(kLength(GRAPHENE_CELL, lat.points.K)).toBeCloseTo((4 * Math.PI) / (3 * a), 4);
    expect(kLength(GRAPHENE_CELL, lat.points.M)).toBeCloseTo((2 * Math.PI) / (Math.sqrt(3) * a), 4);
    // M–K runs along the zone edge, perpendicular to Γ–M.
    const B = reciprocalRows(GRAPHENE_CELL);
    const [M, K] = [vecMat(lat.points.M, B), vecMat(lat.points.K, B)];
    expect(dot(M, [K[0] - M[0], K[1] - M[1], K[2] - M[2]])).toBeCloseTo(0, 4);
  });

  it('120° hexagonal slab: K = (1/3, 1/3, 0), again at 4π/3a', () => {
    const a = 2.46;
    const cell: Mat3 = [[a, 0, 0], [-a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 15]];
    const lat = detectLattice(slab(cell))!;
    expect(lat.kind).toBe('hexagonal-2d');
    expect(lat.points.K).toEqual([1 / 3, 1 / 3, 0]);
    expect(kLength(cell, lat.points.K)).toBeCloseTo((4 * Math.PI) / (3 * a), 12);
  });

  it('sc, fcc and bcc primitive cells, with the Setyawan–Curtarolo point lengths', () => {
    const a = 4;
    const u = (2 * Math.PI) / a;
    const sc = detectLattice(crystal([[a, 0, 0], [0, a, 0], [0, 0, a]]))!;
    expect(sc.kind).toBe('cubic');
    expect(kLength([[a, 0, 0], [0, a, 0], [0, 0, a]], sc.points.R)).toBeCloseTo((Math.sqrt(3) * u) / 2, 12);

    const fccCell: Mat3 = [[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]];
    const fcc = detectLattice(crystal(fccCell))!;
    expect(fcc.kind).toBe('fcc');
    const fccWant: Record<string, number> = { X: 1, L: Math.sqrt(3) / 2, W: Math.sqrt(5) / 2, K: (3 * Math.sqrt(2)) / 4, U: Math.sqrt(18) / 4 };
    for (const [p, len] of Object.entries(fccWant)) expect(kLength(fccCell, fcc.points[p]), p).toBeCloseTo(len * u, 12);

    const bccCell: Mat3 = [[-a / 2, a / 2, a / 2], [a / 2, -a / 2, a / 2], [a / 2, a / 2, -a / 2]];
    const bcc = detectLattice(crystal(bccCell))!;
    expect(bcc.kind).toBe('bcc');
    const bccWant: Record<string, number> = { H: 1, N: Math.SQRT1_2, P: Math.sqrt(3) / 2 };
    for (const [p, len] of Object.entries(bccWant)) expect(kLength(bccCell, bcc.points[p]), p).toBeCloseTo(len * u, 12);
  });

  it('tetragonal with the unique axis along a1: Z = π/c lies along b1', () => {
    const cell: Mat3 = [[6, 0, 0], [0, 4, 0], [0, 0, 4]];
    const lat = detectLattice(crystal(cell))!;
    expect(lat.kind).toBe('tetragonal');
    expect(lat.points.Z).toEqual([0.5, 0, 0]);
    expect(kLength(cell, lat.points.A)).toBeCloseTo(Math.PI * Math.hypot(1 / 6, 1 / 4, 1 / 4), 12);
  });

  it('square and rectangular slabs; a hexagonal bulk (graphite-like, no vacuum) stays 3D', () => {
    expect(detectLattice(slab([[3, 0, 0], [0, 3, 0], [0, 0, 20]]))?.kind).toBe('square');
    const rect = detectLattice(slab([[3, 0, 0], [0, 4, 0], [0, 0, 20]]))!;
    expect(rect.kind).toBe('rectangular');
    expect(rect.points.Y).toEqual([0, 0.5, 0]);
    const a = 2.46;
    const graphite: Mat3 = [[a, 0, 0], [-a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 6.7]];
    const lat = detectLattice(crystal(graphite, [[0, 0, 0], [0, 0, 3.35]]))!;
    expect(lat.kind).toBe('hexagonal');
    expect(lat.points.H).toEqual([1 / 3, 1 / 3, 0.5]);
  });

  it('one atom in a long cell is a slab only beyond 7 Å of empty space (bulk layered crystals have ~3 Å)', () => {
    expect(detectLattice(crystal([[3, 0, 0], [0, 3, 0], [0, 0, 6.9]]))?.kind).toBe('tetragonal');
    expect(detectLattice(crystal([[3, 0, 0], [0, 3, 0], [0, 0, 7.1]]))?.kind).toBe('square');
    expect(detectLattice({ ...crystal([[3, 0, 0], [0, 3, 0], [0, 0, 4]]), pbc: [true, true, false] })?.kind).toBe('square');
  });

  it('slab with vacuum along a1 is recognised with the vacuum axis permuted to third', () => {
    const lat = detectLattice(crystal([[20, 0, 0], [0, 3, 0], [0, 0, 4]], [[10, 0, 0]]))!;
    expect(lat.kind).toBe('rectangular');
    expect(lat.points.X).toEqual([0, 0.5, 0]);
    expect(lat.points.Y).toEqual([0, 0, 0.5]);
  });

  it('oblique and monoclinic cells, molecules and chains get no automatic path', () => {
    expect(detectLattice(slab([[3, 0, 0], [1, 4, 0], [0, 0, 20]]))).toBeUndefined();
    expect(detectLattice(crystal([[3, 0, 0], [0, 4, 0], [1, 0, 5]]))).toBeUndefined();
    expect(detectLattice({ numbers: [6], positions: [[0, 0, 0]] })).toBeUndefined();
    expect(detectLattice(crystal([[3, 0, 0], [0, 20, 0], [0, 0, 20]], [[0, 10, 10]]))).toBeUndefined();
  });
});

describe('band paths', () => {
  it('Γ–M–K–Γ of graphene 3×3 with 61 points: labels at 0, 22, 35, 60 and k-points as GPAW’s bands_gpaw.json', () => {
    const p = bandPath(graphene3x3(), 'auto', 61);
    expect(p.lattice).toBe('hexagonal-2d');
    expect(p.labels).toEqual([{ index: 0, label: 'G' }, { index: 22, label: 'M' }, { index: 35, label: 'K' }, { index: 60, label: 'G' }]);
    // bands_gpaw.json: point 1 = (1/44, 0, 0), point 23 = (0.5 − 1/78, −1/39, 0), point 36 = (1/3 − 1/75, −1/3 + 1/75, 0).
    expect(p.frac[3]).toBeCloseTo(1 / 44, 15);
    expect(p.frac[3 * 23]).toBeCloseTo(0.5 - 1 / 78, 15);
    expect(p.frac[3 * 23 + 1]).toBeCloseTo(-1 / 39, 15);
    expect(p.frac[3 * 36]).toBeCloseTo(1 / 3 - 1 / 75, 15);
    // |ΓM| + |MK| + |KΓ| = 2π/(√3a) + 2π/(3a) + 4π/(3a) for a = 7.38 Å: 1.342925 1/Å.
    const a = 7.38;
    expect(p.distance[60]).toBeCloseTo((2 * Math.PI) / (Math.sqrt(3) * a) + (2 * Math.PI) / (3 * a) + (4 * Math.PI) / (3 * a), 4);
    expect([...p.distance].every((d, q) => q === 0 || d > p.distance[q - 1])).toBe(true);
  });

  it('custom coordinates (fractions, negatives) and a break: no jump in distance, two labels there', () => {
    const cell: Mat3 = [[3, 0, 0], [0, 3, 0], [0, 0, 3]];
    const p = samplePath(cell, parseKPath('G=0,0,0 - X=0.5,0,0 | K=1/3,-1/3,0 - G', {}), 6, 'spec');
    expect(p.labels.map((l) => l.label)).toEqual(['G', 'X', 'K', 'G']);
    const [x, k] = [p.labels[1].index, p.labels[2].index];
    expect(k).toBe(x + 1);
    expect(p.distance[k]).toBe(p.distance[x]);
    expect(Array.from(p.frac.subarray(3 * k, 3 * k + 3))).toEqual([1 / 3, -1 / 3, 0]);
    expect(p.distance[x]).toBeCloseTo(Math.PI / 3, 14); // |X| = 0.5 · 2π/3
  });

  it('labels from the lattice table, Γ as an alias of G, and explicit points reused later', () => {
    const pts = parseKPath('Γ-M-Q=0.1,0.2,0-G-Q', { G: [0, 0, 0], M: [0.5, 0, 0] });
    expect(pts[0].map((p) => p.label)).toEqual(['Γ', 'M', 'Q', 'G', 'Q']);
    expect(pts[0][4].frac).toEqual([0.1, 0.2, 0]);
  });

  it('rejects unknown labels, bad syntax, too few points and auto on an oblique cell (E_INPUT)', () => {
    const hex = graphene3x3();
    expectHamError(() => bandPath(hex, 'G-M-X-G', 50), 'E_INPUT', /unknown point 'X'; known here: G, M, K/);
    expectHamError(() => bandPath(hex, 'G-M=0.5,0', 50), 'E_INPUT', /expected "," between coordinates at the end/);
    expectHamError(() => bandPath(hex, 'G-M=0.5;0,0', 50), 'E_INPUT', /expected "," between coordinates at character 8/);
    expectHamError(() => bandPath(hex, 'G-M=a,0,0', 50), 'E_INPUT', /expected a number at character 5/);
    expectHamError(() => bandPath(hex, 'G-M-', 50), 'E_INPUT', /expected a point label/);
    expectHamError(() => bandPath(hex, 'G|M-K', 50), 'E_INPUT', /at least two points/);
    expectHamError(() => bandPath(hex, 'G-M-K-G', 3), 'E_INPUT', /at least 4 points \(got 3\)/);
    expectHamError(() => bandPath(hex, 'G-M-K-G', 40.5), 'E_INPUT', /whole number of at least 4 points/);
    expectHamError(() => bandPath(slab([[3, 0, 0], [1, 4, 0], [0, 0, 20]]), 'auto', 50), 'E_INPUT', /no automatic k-path/);
  });
});

describe('gammaCentredMesh', () => {
  it('3×3×1 in GPAW’s order (the datasets’ kpoints_frac.npy)', () => {
    const t = 1 / 3;
    expect(Array.from(gammaCentredMesh([3, 3, 1]))).toEqual([
      [-t, -t, 0], [-t, 0, 0], [-t, t, 0], [0, -t, 0], [0, 0, 0], [0, t, 0], [t, -t, 0], [t, 0, 0], [t, t, 0],
    ].flat());
    expect(Array.from(gammaCentredMesh([4, 1, 1])).filter((_, c) => c % 3 === 0)).toEqual([-0.25, 0, 0.25, 0.5]);
  });
});
