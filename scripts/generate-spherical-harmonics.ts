/**
 * Writes core/so3/spherical-harmonics.generated.ts: the real spherical harmonics Y_lm, l = 0…SH_LMAX, in the
 * project's "wiki" convention (DESIGN.md §3; formats-and-conventions.md §4.1), as homogeneous polynomials of degree
 * l in the components (x, y, z) of a unit vector.
 *
 * Derivation, exact in rational arithmetic (BigInt) up to one final square root per coefficient:
 *   Y_lm = N_lμ P̄_l^μ(cos θ) · (cos μφ if m ≥ 0, sin μφ if m < 0), μ = |m|, with the associated Legendre function
 *   without Condon–Shortley phase P̄_l^μ(t) = (1 − t²)^{μ/2} d^μ P_l/dt^μ, so that
 *   r^l P̄_l^μ(z/r) cos(μφ) = [r^{l−μ} P_l^{(μ)}(z/r)] · Re(x + iy)^μ
 *   (and sin(μφ) ↔ Im(x + iy)^μ for m < 0). P_l(t) = Σ_k (−1)^k (2l − 2k)! / (2^l k! (l − k)! (l − 2k)!) t^{l−2k}
 *   (Rodrigues). The factor r^{l−μ−j} of each t^j term is even and expands as (x² + y² + z²)^k, so every Y_lm is a
 *   harmonic homogeneous polynomial of degree l.
 *   N_lμ² = (2 − δ_μ0) (2l + 1) (l − μ)! / (4π (l + μ)!) gives ∫ Y_lm Y_l'm' dΩ = δ_ll' δ_mm' (Wikipedia,
 *   "Spherical harmonics", real form; all prefactors positive).
 * A monomial coefficient is q · N_lμ with q rational, i.e. exactly ±sqrt(P/(Q π)) with P/Q = q² N_lμ² π rational;
 * only the float64 evaluation of that one expression rounds.
 *
 * Run: npx tsx scripts/generate-spherical-harmonics.ts
 */
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  addRational as add,
  factorial,
  mulRational as mul,
  rational,
  rationalToNumber,
  type Rational,
} from '../core/so3/rational.ts';

/** Highest degree written; everything in core/so3 that evaluates harmonics follows the generated SH_LMAX. */
const LMAX = 6;

const OUTPUT_PATH = fileURLToPath(new URL('../core/so3/spherical-harmonics.generated.ts', import.meta.url));

/** Exponents (a, b, c) of x^a y^b z^c, as a map key "a,b,c". */
type Polynomial = Map<string, Rational>;

const binomial = (n: number, k: number): bigint => factorial(n) / (factorial(k) * factorial(n - k));

function addTerm(p: Polynomial, a: number, b: number, c: number, q: Rational): void {
  const key = `${a},${b},${c}`;
  const sum = add(p.get(key) ?? rational(0n), q);
  if (sum.n === 0n) p.delete(key);
  else p.set(key, sum);
}

function product(p: Polynomial, q: Polynomial): Polynomial {
  const out: Polynomial = new Map();
  for (const [kp, cp] of p) {
    const [a1, b1, c1] = kp.split(',').map(Number);
    for (const [kq, cq] of q) {
      const [a2, b2, c2] = kq.split(',').map(Number);
      addTerm(out, a1 + a2, b1 + b2, c1 + c2, mul(cp, cq));
    }
  }
  return out;
}

/** Coefficients of d^μ P_l/dt^μ as a map power → coefficient (Rodrigues' expansion, differentiated termwise). */
function legendreDerivative(l: number, mu: number): Map<number, Rational> {
  const out = new Map<number, Rational>();
  for (let k = 0; 2 * k <= l; k++) {
    const j = l - 2 * k;
    if (j < mu) continue;
    const sign = k % 2 === 0 ? 1n : -1n;
    const coeff = rational(
      sign * factorial(2 * l - 2 * k) * factorial(j),
      2n ** BigInt(l) * factorial(k) * factorial(l - k) * factorial(j) * factorial(j - mu),
    );
    out.set(j - mu, coeff);
  }
  return out;
}

/** r^{l−μ} P_l^{(μ)}(z/r) with each r^{2k} expanded as (x² + y² + z²)^k: homogeneous of degree l − μ. */
function polarPart(l: number, mu: number): Polynomial {
  const out: Polynomial = new Map();
  for (const [j, q] of legendreDerivative(l, mu)) {
    const k = (l - mu - j) / 2;
    for (let i1 = 0; i1 <= k; i1++) {
      for (let i2 = 0; i1 + i2 <= k; i2++) {
        const i3 = k - i1 - i2;
        const multinomial = factorial(k) / (factorial(i1) * factorial(i2) * factorial(i3));
        addTerm(out, 2 * i1, 2 * i2, j + 2 * i3, mul(q, rational(multinomial)));
      }
    }
  }
  return out;
}

/** Re(x + iy)^μ (cos μφ part, m ≥ 0) or Im(x + iy)^μ (sin μφ part, m < 0), by the binomial theorem. */
function azimuthalPart(mu: number, imaginary: boolean): Polynomial {
  const out: Polynomial = new Map();
  for (let p = imaginary ? 1 : 0; p <= mu; p += 2) {
    const sign = Math.floor(p / 2) % 2 === 0 ? 1n : -1n; // i^p = ±1 (even p) or ±i (odd p)
    addTerm(out, mu - p, p, 0, rational(sign * binomial(mu, p)));
  }
  return out;
}

interface GeneratedTerm {
  value: number;
  a: number;
  b: number;
  c: number;
  /** Exact value as text, e.g. "+sqrt(15/(4π))". */
  exact: string;
}

function harmonicTerms(l: number, m: number): GeneratedTerm[] {
  const mu = Math.abs(m);
  const poly = product(polarPart(l, mu), azimuthalPart(mu, m < 0));
  // N² · π = (2 − δ_μ0)(2l + 1)(l − μ)! / (4 (l + μ)!)
  const norm2TimesPi = rational((mu === 0 ? 1n : 2n) * BigInt(2 * l + 1) * factorial(l - mu), 4n * factorial(l + mu));
  const terms: GeneratedTerm[] = [];
  for (const [key, q] of poly) {
    const [a, b, c] = key.split(',').map(Number);
    const square = mul(mul(q, q), norm2TimesPi); // coefficient² · π, exact
    const magnitude = Math.sqrt(rationalToNumber(square) / Math.PI);
    const sign = q.n < 0n ? '-' : '+';
    terms.push({ value: q.n < 0n ? -magnitude : magnitude, a, b, c, exact: `${sign}sqrt(${square.n}/(${square.d}π))` });
  }
  // Deterministic order: by exponents of x, then y, then z, descending.
  return terms.sort((s, t) => t.a - s.a || t.b - s.b || t.c - s.c);
}

function monomialText(a: number, b: number, c: number): string {
  const part = (v: string, e: number): string => (e === 0 ? '' : e === 1 ? v : `${v}^${e}`);
  return [part('x', a), part('y', b), part('z', c)].filter(Boolean).join(' ') || '1';
}

/** The full text of core/so3/spherical-harmonics.generated.ts. */
export function generateSphericalHarmonicsSource(): string {
  const lines: string[] = [
    '// GENERATED FILE: do not edit. Written by scripts/generate-spherical-harmonics.ts',
    '// (npx tsx scripts/generate-spherical-harmonics.ts); change the generator and re-run it instead.',
    '/**',
    ' * Real spherical harmonics Y_lm, l = 0…SH_LMAX, m = −l…l, in the project\'s "wiki" convention: Wikipedia\'s real',
    ' * form without Condon–Shortley phase (all prefactors positive), orthonormal on the unit sphere. l = 1 is',
    ' * (y, z, x)·sqrt(3/(4π)); l = 2 is (xy, yz, 3z²−r², xz, x²−y²) up to positive factors.',
    ' *',
    ' * SH_TERMS[l][m + l] lists the monomials of Y_lm as [coefficient, a, b, c] meaning coefficient · x^a y^b z^c,',
    ' * with (x, y, z) a unit vector. Each polynomial is homogeneous of degree l (a + b + c = l) and harmonic.',
    ' * The comment after each term is its exact value.',
    ' */',
    '',
    '/** [coefficient, a, b, c]: coefficient · x^a y^b z^c. */',
    'export type MonomialTerm = readonly [coefficient: number, a: number, b: number, c: number];',
    '',
    '/** Highest degree l in SH_TERMS. */',
    `export const SH_LMAX = ${LMAX};`,
    '',
    'export const SH_TERMS: readonly (readonly (readonly MonomialTerm[])[])[] = [',
  ];
  for (let l = 0; l <= LMAX; l++) {
    lines.push(`  // l = ${l}`, '  [');
    for (let m = -l; m <= l; m++) {
      lines.push(`    // m = ${m}`, '    [');
      for (const t of harmonicTerms(l, m)) {
        lines.push(`      [${t.value}, ${t.a}, ${t.b}, ${t.c}], // ${t.exact} ${monomialText(t.a, t.b, t.c)}`);
      }
      lines.push('    ],');
    }
    lines.push('  ],');
  }
  lines.push('];', '');
  return lines.join('\n');
}

function main(): void {
  const tmp = `${OUTPUT_PATH}.tmp`;
  writeFileSync(tmp, generateSphericalHarmonicsSource());
  renameSync(tmp, OUTPUT_PATH); // never leave a half-written table behind
  console.log(`wrote ${OUTPUT_PATH}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
