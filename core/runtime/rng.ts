/**
 * The project's one seeded random number generator, so that runs, tests and samples reproduce from a seed.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018; period
 * 2^128 − 1), 32-bit integer arithmetic only, so it is fast in plain JS. Its 128-bit state is filled from the seed
 * with splitmix32, as the xoshiro authors recommend, so that nearby seeds give unrelated streams.
 */
import { HamError } from '../contracts/errors.ts';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

export class Rng {
  private readonly s = new Uint32Array(4);
  /** Second value of the last Box–Muller pair, returned by the next normal() call. */
  private spareNormal: number | undefined;

  /** `seed` is any integer in [0, 2^32); the same seed always gives the same stream. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
      throw new HamError('E_INPUT', `RNG seed must be an integer in [0, 2^32), got ${seed}`);
    }
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 step: golden-ratio increment, then the MurmurHash3 fmix32 finaliser as output mix.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Next raw 32-bit output (unsigned). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with all 53 mantissa bits random (two 32-bit draws: 27 + 26 bits). */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Standard normal deviate, N(0, 1), by the Box–Muller transform. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: keeps log finite
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n), n a positive integer ≤ 2^32; unbiased (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new HamError('E_INPUT', `Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n); // largest multiple of n not above 2^32
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
