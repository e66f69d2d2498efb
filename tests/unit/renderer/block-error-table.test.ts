// @vitest-environment happy-dom
/** The per-block-type error table: overall MAEs, rows by block type and shell pair, sorting by MAE, S beside H. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { BlockTypeErrors, MatrixErrors } from '../../../core/contracts/api.ts';
import BlockErrorTable from '../../../renderer/components/BlockErrorTable.vue';
import { errorRows } from '../../../renderer/composables/error-table.ts';

const t = (onsite: boolean, elements: string[], shells: [number, number] | null, mae: number, count: number): BlockTypeErrors => ({ onsite, elements, shells, mae, maxAbs: 3 * mae, count });

// As the service orders them: each block type followed by its shell pairs.
const H: MatrixErrors = {
  unit: 'μEh',
  all: { mae: 273.6, maxAbs: 2663, count: 576 },
  onsite: { mae: 95.2, maxAbs: 900, count: 206 },
  offsite: { mae: 373.1, maxAbs: 2663, count: 370 },
  byType: [
    t(false, ['H', 'O'], null, 402, 280), t(false, ['H', 'O'], [0, 0], 120, 24), t(false, ['H', 'O'], [0, 1], 1024, 48),
    t(true, ['O'], null, 88.5, 196), t(true, ['O'], [0, 1], 7.25, 36),
  ],
};
const S: MatrixErrors = { ...H, unit: '', all: { mae: 2.736e-6, maxAbs: 1e-4, count: 576 }, byType: H.byType.map((x) => ({ ...x, mae: x.mae * 1e-8 })) };

const cells = (w: ReturnType<typeof mount>) => w.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()));

describe('BlockErrorTable', () => {
  it('shows the overall H MAE split on-site/off-site and a row per block type and shell pair', () => {
    const w = mount(BlockErrorTable, { props: { errors: { H } } });
    expect(w.find('[data-testid="error-overall"]').text()).toMatch(/^H MAE 274 μEh \(on-site 95\.2 μEh, off-site 373 μEh; largest \|ΔH\| 2663 μEh\)$/);
    expect(cells(w)).toEqual([
      ['off-site H–O', 'all', '402 μEh', '1206 μEh', '280'],
      ['off-site H–O', 's–s', '120 μEh', '360 μEh', '24'],
      ['off-site H–O', 's–p', '1024 μEh', '3072 μEh', '48'],
      ['on-site O', 'all', '88.5 μEh', '266 μEh', '196'],
      ['on-site O', 's–p', '7.25 μEh', '21.8 μEh', '36'],
    ]);
    expect(w.findAll('tr.whole')).toHaveLength(2);
    expect(w.text()).not.toContain('S MAE');
  });

  it('sorts by H MAE, largest first, and hides the shell pairs on request', async () => {
    const w = mount(BlockErrorTable, { props: { errors: { H } } });
    await w.find('[data-testid="sort-mae"]').trigger('click');
    expect(w.findAll('[data-testid="row-mae"]').map((c) => c.text())).toEqual(['1024 μEh', '402 μEh', '120 μEh', '88.5 μEh', '7.25 μEh']);
    await w.find('[data-testid="shell-pairs"]').setValue(false);
    expect(cells(w).map((r) => r[0])).toEqual(['off-site H–O', 'on-site O']);
    await w.find('[data-testid="sort-type"]').trigger('click');
    expect(cells(w).map((r) => r[0])).toEqual(['off-site H–O', 'on-site O']);
  });

  it('puts the S MAE of the same block type beside H (crystals)', () => {
    const w = mount(BlockErrorTable, { props: { errors: { H, S } } });
    expect(w.findAll('thead th').map((c) => c.text())).toContain('S MAE');
    expect(cells(w)[2]).toEqual(['off-site H–O', 's–p', '1024 μEh', '3072 μEh', '1.02e-5', '48']);
    expect(w.find('[data-testid="error-overall"]').text()).toContain('S MAE 2.74e-6');
  });

  it('matches S rows to H rows by block type and shell pair, not by position', () => {
    const rows = errorRows({ H, S: { ...S, byType: [...S.byType].reverse() } }, 'type');
    expect(rows.map((r) => r.S?.mae)).toEqual(H.byType.map((x) => x.mae * 1e-8));
  });
});
