/**
 * Real spherical harmonics (core/so3/spherical-harmonics.ts): closed forms from Wikipedia's table, orthonormality by
 * exact quadrature, the addition theorem, harmonicity of the generated table, and that the table is up to date.
 * Tolerances: 1e-14 absolute on values of order 1 (float64 rounding of a few dozen terms); 1e-13 on integrals.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSphericalHarmonicsSource } from '../../../scripts/generate-spherical-harmonics.ts';
import { HamError } from '../../../core/contracts/errors.ts';
import { Rng } from '../../../core/runtime/rng.ts';
import {
  SH_LMAX,
  SH_TERMS,
  sphericalHarmonics,
  sphericalHarmonicsBatch,
  sphericalHarmonicsUpTo,
} from '../../../core/so3/index.ts';
import { maxAbsDiff } from './linalg.ts';
import { sphereQuadrature } from './sphere-quadrature.ts';

const PI = Math.PI;

function randomVectors(seed: number, n: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => [rng.normal() * 3, rng.normal() * 3, rng.normal() * 3]);
}

/** (k − 1)!! for even k ≥ 0, i.e. 1·3·5···(k − 1). */
function oddDoubleFactorial(k: number): number {
  let p = 1;
  for (let j = k - 1; j > 1; j -= 2) p *= j;
  return p;
}

/** Legendre P_l(t) by Bonnet's recurrence. */
function legendre(l: number, t: number): number {
  let [p0, p1] = [1, t];
  if (l === 0) return 1;
  for (let k = 2; k <= l; k++) [p0, p1] = [p1, ((2 * k - 1) * t * p1 - (k - 1) * p0) / k];
  return p1;
}

describe('generated table', () => {
  it('matches what the generator writes now (run `npm run gen:so3` if this fails)', () => {
    const onDisk = readFileSync(new URL('../../../core/so3/spherical-harmonics.generated.ts', import.meta.url), 'utf8');
    expect(onDisk).toBe(generateSphericalHarmonicsSource());
  });

  it('holds l = 0…6, 2l + 1 homogeneous degree-l polynomials per l', () => {
    expect(SH_LMAX).toBe(6);
    expect(SH_TERMS.length).toBe(7);
    SH_TERMS.forEach((rows, l) => {
      expect(rows.length).toBe(2 * l + 1);
      for (const row of rows) for (const [, a, b, c] of row) expect(a + b + c).toBe(l);
    });
  });

  it('has harmonic polynomials: the Laplacian of every r^l Y_lm vanishes (to 1e-13 per coefficient)', () => {
    for (const rows of SH_TERMS) {
      for (const row of rows) {
        const laplacian = new Map<string, number>();
        const bump = (a: number, b: number, c: number, v: number): void => {
          const key = `${a},${b},${c}`;
          laplacian.set(key, (laplacian.get(key) ?? 0) + v);
        };
        for (const [k, a, b, c] of row) {
          if (a >= 2) bump(a - 2, b, c, k * a * (a - 1));
          if (b >= 2) bump(a, b - 2, c, k * b * (b - 1));
          if (c >= 2) bump(a, b, c - 2, k * c * (c - 1));
        }
        for (const v of laplacian.values()) expect(Math.abs(v)).toBeLessThan(1e-13);
      }
    }
  });
});

describe('closed forms (Wikipedia, "Table of spherical harmonics", real form)', () => {
  const vectors = randomVectors(11, 8);

  it('l = 0 is 1/sqrt(4π) and l = 1 is sqrt(3/(4π)) (y, z, x)/r, also for non-unit vectors', () => {
    for (const [x, y, z] of vectors) {
      const r = Math.hypot(x, y, z);
      expect(sphericalHarmonics(0, [x, y, z])[0]).toBeCloseTo(1 / Math.sqrt(4 * PI), 15);
      const c = Math.sqrt(3 / (4 * PI));
      expect(maxAbsDiff(sphericalHarmonics(1, [x, y, z]), [(c * y) / r, (c * z) / r, (c * x) / r])).toBeLessThan(1e-15);
    }
  });

  it('l = 2 is (xy, yz, 3z² − r², xz, x² − y²) with Wikipedia\'s factors; xy has sqrt(15/(4π))', () => {
    for (const [x, y, z] of vectors) {
      const r2 = x * x + y * y + z * z;
      const expected = [
        Math.sqrt(15 / (4 * PI)) * x * y,
        Math.sqrt(15 / (4 * PI)) * y * z,
        Math.sqrt(5 / (16 * PI)) * (3 * z * z - r2),
        Math.sqrt(15 / (4 * PI)) * x * z,
        Math.sqrt(15 / (16 * PI)) * (x * x - y * y),
      ].map((v) => v / r2);
      expect(maxAbsDiff(sphericalHarmonics(2, [x, y, z]), expected)).toBeLessThan(1e-14);
    }
  });

  it('l = 3 is (y(3x²−y²), xyz, y(5z²−r²), z(5z²−3r²), x(5z²−r²), z(x²−y²), x(x²−3y²)) with positive factors', () => {
    for (const [x, y, z] of vectors) {
      const r2 = x * x + y * y + z * z;
      const r3 = r2 * Math.sqrt(r2);
      const expected = [
        0.25 * Math.sqrt(35 / (2 * PI)) * y * (3 * x * x - y * y),
        0.5 * Math.sqrt(105 / PI) * x * y * z,
        0.25 * Math.sqrt(21 / (2 * PI)) * y * (5 * z * z - r2),
        0.25 * Math.sqrt(7 / PI) * z * (5 * z * z - 3 * r2),
        0.25 * Math.sqrt(21 / (2 * PI)) * x * (5 * z * z - r2),
        0.25 * Math.sqrt(105 / PI) * z * (x * x - y * y),
        0.25 * Math.sqrt(35 / (2 * PI)) * x * (x * x - 3 * y * y),
      ].map((v) => v / r3);
      expect(maxAbsDiff(sphericalHarmonics(3, [x, y, z]), expected)).toBeLessThan(1e-14);
    }
  });

  it('l = 4: m = −4, 0, 4 match the table', () => {
    for (const [x, y, z] of vectors) {
      const r2 = x * x + y * y + z * z;
      const y4 = sphericalHarmonics(4, [x, y, z]);
      const r4 = r2 * r2;
      expect(y4[0]).toBeCloseTo((0.75 * Math.sqrt(35 / PI) * x * y * (x * x - y * y)) / r4, 14);
      expect(y4[4]).toBeCloseTo(((3 / 16) * Math.sqrt(1 / PI) * (35 * z ** 4 - 30 * z * z * r2 + 3 * r4)) / r4, 14);
      const m4 = x * x * (x * x - 3 * y * y) - y * y * (3 * x * x - y * y);
      expect(y4[8]).toBeCloseTo(((3 / 16) * Math.sqrt(35 / PI) * m4) / r4, 14);
    }
  });

  it('at the north pole only m = 0 is non-zero, with value sqrt((2l + 1)/(4π)) (P_l(1) = 1)', () => {
    for (let l = 0; l <= SH_LMAX; l++) {
      const expected = new Float64Array(2 * l + 1);
      expected[l] = Math.sqrt((2 * l + 1) / (4 * PI));
      expect(maxAbsDiff(sphericalHarmonics(l, [0, 0, 2.5]), expected)).toBeLessThan(1e-14);
    }
  });
});

describe('orthonormality and the addition theorem', () => {
  const grid = sphereQuadrature(12);
  const n = grid.weights.length;

  it('the product quadrature integrates monomials of degree ≤ 12 exactly: ∫x^a y^b z^c = 4π (a−1)!!(b−1)!!(c−1)!!/(a+b+c+1)!!', () => {
    for (let a = 0; a <= 12; a++) {
      for (let b = 0; a + b <= 12; b++) {
        for (let c = 0; a + b + c <= 12; c++) {
          let sum = 0;
          for (let k = 0; k < n; k++) {
            const [x, y, z] = grid.points.subarray(3 * k, 3 * k + 3);
            sum += grid.weights[k] * x ** a * y ** b * z ** c;
          }
          const even = a % 2 === 0 && b % 2 === 0 && c % 2 === 0;
          const exact = even
            ? (4 * PI * oddDoubleFactorial(a) * oddDoubleFactorial(b) * oddDoubleFactorial(c)) /
              oddDoubleFactorial(a + b + c + 2)
            : 0;
          expect(Math.abs(sum - exact)).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('∫ Y_lm Y_l\'m\' dΩ = δ_ll\' δ_mm\' for all l, l\' ≤ 6 (49×49 Gram matrix = I to 1e-13)', () => {
    const size = (SH_LMAX + 1) ** 2;
    const values = Array.from({ length: n }, (_, k) => sphericalHarmonicsUpTo(SH_LMAX, grid.points.subarray(3 * k, 3 * k + 3)));
    let worst = 0;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += grid.weights[k] * values[k][i] * values[k][j];
        worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('Σ_m Y_lm(u) Y_lm(v) = (2l + 1)/(4π) P_l(û·v̂) for l ≤ 6', () => {
    const vectors = randomVectors(12, 20);
    for (let i = 0; i + 1 < vectors.length; i += 2) {
      const [u, v] = [vectors[i], vectors[i + 1]];
      const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(...u) * Math.hypot(...v));
      for (let l = 0; l <= SH_LMAX; l++) {
        const [yu, yv] = [sphericalHarmonics(l, u), sphericalHarmonics(l, v)];
        const dot = yu.reduce((s, value, m) => s + value * yv[m], 0);
        expect(Math.abs(dot - ((2 * l + 1) / (4 * PI)) * legendre(l, cos))).toBeLessThan(1e-14);
      }
    }
  });
});

describe('batched and concatenated forms', () => {
  const vectors = randomVectors(13, 10);

  it('sphericalHarmonicsBatch rows equal single evaluations', () => {
    for (let l = 0; l <= SH_LMAX; l++) {
      const batch = sphericalHarmonicsBatch(l, vectors.flat());
      expect(batch.length).toBe(vectors.length * (2 * l + 1));
      vectors.forEach((v, i) => {
        expect(Array.from(batch.subarray(i * (2 * l + 1), (i + 1) * (2 * l + 1)))).toEqual(Array.from(sphericalHarmonics(l, v)));
      });
    }
  });

  it('sphericalHarmonicsUpTo concatenates l = 0…lmax', () => {
    const v = vectors[0];
    const all = sphericalHarmonicsUpTo(4, v);
    expect(all.length).toBe(25);
    for (let l = 0; l <= 4; l++) expect(Array.from(all.subarray(l * l, (l + 1) ** 2))).toEqual(Array.from(sphericalHarmonics(l, v)));
  });

  it('rejects zero or non-finite vectors, l outside 0…6, and bad shapes with E_INPUT', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => sphericalHarmonics(1, [0, 0, 0]), /no direction/],
      [() => sphericalHarmonics(1, [Number.NaN, 0, 1]), /no direction/],
      [() => sphericalHarmonics(7, [0, 0, 1]), /0…6/],
      [() => sphericalHarmonics(1.5, [0, 0, 1]), /0…6/],
      [() => sphericalHarmonics(1, [0, 1]), /3-vector/],
      [() => sphericalHarmonicsBatch(2, [1, 2, 3, 4]), /n×3/],
      [() => sphericalHarmonicsBatch(2, [1, 2, 3, 0, 0, 0]), /vector 1/],
      [() => sphericalHarmonicsUpTo(-1, [0, 0, 1]), /lmax/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(HamError);
      expect(call).toThrow(message);
    }
  });
});
