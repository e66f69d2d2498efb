/**
 * Deterministic train / validation / test split of n samples from a seed (DESIGN.md §6: runs reproduce from
 * run.json). One permutation of 0…n−1 by the project RNG (core/runtime/rng.ts, Fisher–Yates); the test set is
 * its first n_test entries, validation the next n_val, training the next n_train. So the test set depends only
 * on (seed, n, n_test): changing the validation or training size never moves a structure into or out of test.
 * Each set is returned in ascending index order.
 */
import { HamError } from '../contracts/errors.ts';
import { Rng } from '../runtime/rng.ts';

export interface SplitSizes {
  /** 'count': sizes are numbers of samples; 'fraction': sizes are fractions of n (rounded to nearest). */
  unit: 'count' | 'fraction';
  val: number;
  test: number;
  /** Default: everything not in val or test. */
  train?: number;
}

export interface Split {
  train: number[];
  val: number[];
  test: number[];
}

export function splitIndices(n: number, sizes: SplitSizes, seed: number): Split {
  if (!Number.isInteger(n) || n < 0) throw new HamError('E_INPUT', `split: number of samples must be a non-negative integer, got ${n}`);
  const toCount = (x: number, name: string): number => {
    const ok = sizes.unit === 'count' ? Number.isInteger(x) && x >= 0 : Number.isFinite(x) && x >= 0 && x <= 1;
    if (!ok) {
      throw new HamError('E_INPUT', `split: ${name} must be ${sizes.unit === 'count' ? 'a non-negative integer' : 'a fraction in [0, 1]'}, got ${x}`);
    }
    if (sizes.unit === 'count') return x;
    // A non-zero fraction of a small set still holds one sample (10 % of 4 structures validates on one, not none).
    return x > 0 && n >= 2 ? Math.max(1, Math.round(x * n)) : Math.round(x * n);
  };
  const nTest = toCount(sizes.test, 'test');
  const nVal = toCount(sizes.val, 'val');
  const nTrain = sizes.train === undefined ? n - nTest - nVal : toCount(sizes.train, 'train');
  if (nTrain < 0 || nTest + nVal + nTrain > n) {
    throw new HamError('E_INPUT', `split: train ${nTrain} + val ${nVal} + test ${nTest} exceeds the ${n} samples`);
  }
  const perm = new Rng(seed).shuffle(Array.from({ length: n }, (_, k) => k));
  const take = (from: number, count: number) => perm.slice(from, from + count).sort((a, b) => a - b);
  return { test: take(0, nTest), val: take(nTest, nVal), train: take(nTest + nVal, nTrain) };
}
