/**
 * Fermi level, DOS and the band-error metric on spectra whose answers are known in closed form: particle–hole
 * symmetric bands put E_F at the centre, a Gaussian integrates to one state per band and spin, and the band error
 * is a hand-computed mean.
 */
import { describe, expect, it } from 'vitest';
import { bandError } from '../../../core/physics/band-error.ts';
import type { KEigenvalues } from '../../../core/physics/bands.ts';
import { densityOfStates, energyGrid } from '../../../core/physics/dos.ts';
import { electronCount, fermiLevel } from '../../../core/physics/fermi.ts';
import { expectHamError } from './fixtures.ts';

/** A cosine band ε0 + 2t cos 2πk on an even Γ-centred mesh (symmetric about ε0) plus a flat band at `flat`. */
function cosineBands(nk: number, e0: number, t: number, flat: number): KEigenvalues {
  const values = Array.from({ length: nk }, (_, q) => {
    const k = (q - Math.floor((nk - 1) / 2)) / nk;
    return [e0 + 2 * t * Math.cos(2 * Math.PI * k), flat].sort((a, b) => a - b);
  });
  return { eigenvalues: Float64Array.from(values.flat()), nBands: 2 };
}

describe('fermiLevel', () => {
  it('half filling of a particle–hole symmetric band puts E_F at its centre; the count is met to 1e-10', () => {
    const bands = cosineBands(8, 0.3, -1, 50); // the flat band is far above and stays empty
    const eF = fermiLevel(bands, 1, { width: 0.02 });
    expect(eF).toBeCloseTo(0.3, 12);
    expect(Math.abs(electronCount(bands, eF, { width: 0.02 }) - 1)).toBeLessThan(1e-10);
  });

  it('a filled band below a gap: E_F in the middle of the gap (symmetric Fermi–Dirac tails)', () => {
    // Mid-gap the count changes by only ~e^{−20}/W per eV, so μ is fixed to ~1e-9 eV by float64 (not 1e-12).
    const bands: KEigenvalues = { eigenvalues: Float64Array.of(-1, 1, -1, 1), nBands: 2 };
    expect(fermiLevel(bands, 2, { width: 0.05 })).toBeCloseTo(0, 7);
    // Weights shift nothing here but must be used: all weight on one k-point gives the same answer.
    expect(fermiLevel(bands, 2, { width: 0.05, weights: Float64Array.of(1, 0) })).toBeCloseTo(0, 7);
  });

  it('matches the closed form for a single level: N = 2 f((ε − μ)/W) ⇒ μ = ε + W ln(2/N − 1)⁻¹', () => {
    const bands: KEigenvalues = { eigenvalues: Float64Array.of(0.7), nBands: 1 };
    const W = 0.1;
    expect(fermiLevel(bands, 1.5, { width: W })).toBeCloseTo(0.7 - W * Math.log(2 / 1.5 - 1), 12);
  });

  it('rejects impossible electron counts and widths (E_INPUT)', () => {
    const bands: KEigenvalues = { eigenvalues: Float64Array.of(0, 1), nBands: 2 };
    expectHamError(() => fermiLevel(bands, 4, { width: 0.02 }), 'E_INPUT', /do not fit/);
    expectHamError(() => fermiLevel(bands, 0, { width: 0.02 }), 'E_INPUT', /do not fit/);
    expectHamError(() => fermiLevel(bands, 2, { width: 0 }), 'E_INPUT', /width must be positive/);
    expectHamError(() => fermiLevel(bands, 2, { width: 0.1, weights: Float64Array.of(0.5, 0.5) }), 'E_INPUT', /2 k-weights for 1 k-points/);
  });
});

describe('densityOfStates', () => {
  it('integrates to 2 states per band (spin-unpolarised) and has the Gaussian shape', () => {
    const bands = cosineBands(12, 0, -1, 0.5);
    const E = energyGrid(-4, 4, 8001);
    const D = densityOfStates(bands, E, { sigma: 0.1 });
    const integral = D.reduce((a, d) => a + d, 0) * (E[1] - E[0]);
    expect(integral).toBeCloseTo(4, 8);
    const single = densityOfStates({ eigenvalues: Float64Array.of(1), nBands: 1 }, Float64Array.of(1, 1.2), { sigma: 0.2 });
    const peak = 2 / (0.2 * Math.sqrt(2 * Math.PI));
    expect(single[0]).toBeCloseTo(peak, 14);
    expect(single[1]).toBeCloseTo(peak * Math.exp(-0.5), 14);
  });

  it('rejects σ ≤ 0 and a degenerate grid (E_INPUT)', () => {
    expectHamError(() => densityOfStates({ eigenvalues: Float64Array.of(0), nBands: 1 }, Float64Array.of(0), { sigma: 0 }), 'E_INPUT', /σ must be positive/);
    expectHamError(() => energyGrid(1, 1, 10), 'E_INPUT', /energy grid/);
  });
});

describe('bandError', () => {
  // Two k-points, three bands; E_F = 0; the window ±2 eV holds −1.5, 0.5 (k0) and −1.9, 1.8 (k1), not ±3.
  const ref: KEigenvalues = { eigenvalues: Float64Array.of(-1.5, 0.5, 3, -3, -1.9, 1.8), nBands: 3 };

  it('is the mean |Δε| over reference eigenvalues within ±2 eV of E_F, band by band', () => {
    const pred: KEigenvalues = { eigenvalues: Float64Array.of(-1.4, 0.3, 9, -7, -1.9, 2.3), nBands: 3 };
    const r = bandError(pred, ref, 0);
    expect(r.count).toBe(4);
    expect(r.mae).toBeCloseTo((0.1 + 0.2 + 0 + 0.5) / 4, 14);
    expect(r.max).toBeCloseTo(0.5, 14);
    expect(bandError(pred, ref, 0, 1).count).toBe(1); // only 0.5 within ±1 eV
  });

  it('with a shift (E_F,pred − E_F,ref) compares the predicted bands after subtracting it', () => {
    const shifted: KEigenvalues = { eigenvalues: ref.eigenvalues.map((e, k) => e + 0.3 + (k === 1 ? 0.04 : 0)), nBands: 3 };
    expect(bandError(shifted, ref, 0).mae).toBeCloseTo((0.3 * 3 + 0.34) / 4, 14);
    expect(bandError(shifted, ref, 0, 2, 0.3).mae).toBeCloseTo(0.04 / 4, 14);
  });

  it('refuses mismatched k-points, too few predicted bands and an empty window (E_INPUT)', () => {
    expectHamError(() => bandError({ eigenvalues: Float64Array.of(0, 0, 0), nBands: 3 }, ref, 0), 'E_INPUT', /1 k-points, the reference 2/);
    expectHamError(() => bandError({ eigenvalues: Float64Array.of(0, 0), nBands: 1 }, ref, 0), 'E_INPUT', /reference band 2 .* only 1 bands/);
    expectHamError(() => bandError(ref, ref, 10), 'E_INPUT', /no reference eigenvalue/);
  });
});
