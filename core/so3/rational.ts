/**
 * Exact rational arithmetic on BigInt, for coefficients that must be exact before their one rounding to float64:
 * the spherical-harmonic table (scripts/generate-spherical-harmonics.ts) and Clebsch–Gordan coefficients.
 */

/** n/d in lowest terms with d > 0. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('rational: zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
}

export const addRational = (p: Rational, q: Rational): Rational => rational(p.n * q.d + q.n * p.d, p.d * q.d);
export const mulRational = (p: Rational, q: Rational): Rational => rational(p.n * q.n, p.d * q.d);

/** Nearest float64 to q, up to three roundings (both parts to float64, then the division). */
export const rationalToNumber = (q: Rational): number => Number(q.n) / Number(q.d);

const factorials: bigint[] = [1n];

/** n! for a non-negative integer n (memoised). */
export function factorial(n: number): bigint {
  for (let k = factorials.length; k <= n; k++) factorials.push(factorials[k - 1] * BigInt(k));
  return factorials[n];
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
