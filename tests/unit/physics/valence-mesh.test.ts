import { describe, expect, it } from 'vitest';
import { inferValenceElectrons } from '../../../core/physics/fermi.ts';
import { automaticMesh } from '../../../core/physics/kpath.ts';

/** Flat bands: `occupied` doubly occupied levels far below μ = 0 and the rest far above, at one k-point. */
const bands = (occupied: number, total: number) => ({
  eigenvalues: Float64Array.from({ length: total }, (_, b) => (b < occupied ? -5 - b : 5 + b)), nBands: total,
});

describe('valence electrons from reference bands', () => {
  it('solves per-element counts from structures of different compositions', () => {
    // H2O-like (O 6, H 1): 8 electrons = 4 bands; OH2 twice as large: 16 = 8 bands; O alone: 6 = 3 bands.
    const got = inferValenceElectrons([
      { numbers: [8, 1, 1], bands: bands(4, 10), fermiLevel: 0, width: 0.01 },
      { numbers: [8, 8, 1, 1, 1, 1], bands: bands(8, 20), fermiLevel: 0, width: 0.01 },
      { numbers: [8], bands: bands(3, 10), fermiLevel: 0, width: 0.01 },
    ]);
    expect(got).toEqual({ 1: 1, 8: 6 });
  });

  it('gives up when no integers fit or the data cannot separate the elements', () => {
    expect(inferValenceElectrons([
      { numbers: [6, 6], bands: bands(4, 10), fermiLevel: 0, width: 0.01 },
      { numbers: [6, 6, 6], bands: bands(4, 10), fermiLevel: 0, width: 0.01 },
    ])).toBeUndefined();
    expect(inferValenceElectrons([{ numbers: [8, 1], bands: bands(4, 10), fermiLevel: 0, width: 0.01 }])).toBeUndefined();
    expect(inferValenceElectrons([])).toBeUndefined();
  });
});

describe('automatic k-mesh', () => {
  it('spaces k-points about 0.25 1/Å on coupled axes and uses one k-point across vacuum', () => {
    const a = 7.38;
    const cell: [number, number, number][] = [[a, 0, 0], [a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 12]];
    // |b1| = |b2| = 2π / (a sin 60°) = 0.983 1/Å → 4 points; z is not coupled.
    expect(automaticMesh(cell as never, [true, true, false])).toEqual([4, 4, 1]);
    expect(automaticMesh(cell as never, [true, true, true])).toEqual([4, 4, 3]);
  });
});
