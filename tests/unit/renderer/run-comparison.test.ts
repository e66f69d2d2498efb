/** The Runs view's comparison: ranks by best validation MAE, records the epoch, leaves out runs it cannot compare. */
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../core/contracts/api.ts';
import { compareRuns } from '../../../renderer/composables/run-comparison.ts';

const run = (id: string, unit: string | null, maes: number[]): RunInfo => ({
  id, kind: 'train', title: `run ${id}`, status: 'done', created: '', curve: maes.map((valMae, k) => ({ epoch: k + 1, valMae })),
  unit, epochs: null, reason: null, events: [], result: null, resumable: false,
});

describe('compareRuns', () => {
  it('ranks by best validation MAE and keeps its epoch and the last value', () => {
    const c = compareRuns([run('a', 'hartree', [3e-3, 1e-3, 2e-3]), run('b', 'hartree', [2e-3, 5e-4])]);
    expect(c.unit).toBe('hartree');
    expect(c.rows.map((r) => [r.id, r.best, r.bestEpoch, r.last, r.epochs])).toEqual([['b', 5e-4, 2, 5e-4, 2], ['a', 1e-3, 2, 2e-3, 3]]);
    expect(c.excluded).toEqual([]);
  });

  it('leaves out runs without epochs and runs in another unit, saying why', () => {
    const c = compareRuns([run('a', 'hartree', [1e-3]), run('g', 'eV', [2e-3]), run('n', null, [])]);
    expect(c.rows.map((r) => r.id)).toEqual(['a']);
    expect(c.excluded).toEqual([{ title: 'run n', reason: 'no finished epoch yet' }, { title: 'run g', reason: 'reports eV, not hartree' }]);
  });
});
