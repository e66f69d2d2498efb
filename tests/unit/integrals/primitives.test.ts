import { describe, expect, it } from 'vitest';
import { overlapTable1d } from '../../../core/integrals/obara-saika.ts';
import { cartesianPowers, numCartesian, solidHarmonicTable } from '../../../core/integrals/solid-harmonics.ts';
import { sphericalHarmonics } from '../../../core/so3/spherical-harmonics.ts';

describe('Obara–Saika 1D overlaps', () => {
  it('equal ∫ (x−A)^i (x−B)^j e^{−a(x−A)²−b(x−B)²} dx by quadrature for i, j ≤ 4', () => {
    const [a, b, A, B] = [0.7, 1.9, -0.4, 0.85];
    const p = a + b;
    const P = (a * A + b * B) / p;
    const table = new Float64Array(25);
    overlapTable1d(4, 4, P - A, P - B, 0.5 / p, table);
    const s00 = Math.sqrt(Math.PI / p) * Math.exp((-a * b / p) * (A - B) ** 2);
    // Trapezoid rule: spectrally accurate for a smooth integrand that decays like a Gaussian.
    const h = 1e-3;
    for (let i = 0; i <= 4; i++) {
      for (let j = 0; j <= 4; j++) {
        let sum = 0;
        for (let x = -12; x <= 12; x += h) sum += (x - A) ** i * (x - B) ** j * Math.exp(-a * (x - A) ** 2 - b * (x - B) ** 2);
        expect(table[i * 5 + j] * s00).toBeCloseTo(sum * h, 11);
      }
    }
  });
});

describe('Cartesian → spherical table', () => {
  it('Σ coef · x^a y^b z^c equals |r|^l Y_lm(r̂) of core/so3 for l ≤ 4', () => {
    const points = [[0.3, -1.2, 0.7], [1.1, 0.4, -0.2], [-0.6, -0.5, 1.3]];
    for (let l = 0; l <= 4; l++) {
      const t = solidHarmonicTable(l);
      const pw = cartesianPowers(l);
      expect(pw.length).toBe(3 * numCartesian(l));
      for (const r of points) {
        const y = sphericalHarmonics(l, r);
        const rl = Math.hypot(r[0], r[1], r[2]) ** l;
        for (let m = 0; m <= 2 * l; m++) {
          let v = 0;
          for (let k = t.offsets[m]; k < t.offsets[m + 1]; k++) {
            const c = t.carts[k];
            v += t.coefs[k] * r[0] ** pw[3 * c] * r[1] ** pw[3 * c + 1] * r[2] ** pw[3 * c + 2];
          }
          expect(v).toBeCloseTo(rl * y[m], 13);
        }
      }
    }
  });
});
