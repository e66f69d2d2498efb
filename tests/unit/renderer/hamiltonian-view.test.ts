// @vitest-environment happy-dom
/**
 * The Hamiltonian view: H and S side by side for a plain prediction; with a DFT reference a selector
 * H | S | reference H | error for one heatmap, and the errors by block type beside it.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MatrixErrors, MoleculePrediction } from '../../../core/contracts/api.ts';
import HamiltonianView from '../../../renderer/views/HamiltonianView.vue';
import { usePredictionsStore } from '../../../renderer/stores/predictions.ts';

const n = 2;
const stats = { mae: 5, maxAbs: 9, count: 4 };
const errors: MatrixErrors = { unit: 'μEh', all: stats, onsite: stats, offsite: stats, byType: [{ ...stats, onsite: true, elements: ['H'], shells: null }] };

function prediction(withReference: boolean): MoleculePrediction {
  return {
    kind: 'molecule', structureId: 's', n, unit: 'hartree', H: [-0.5, -0.1, -0.1, -0.5], S: [1, 0.6, 0.6, 1],
    orbitalEnergies: [-0.6, 0.3], occupied: 1, homo: -0.6, lumo: 0.3, gap: 0.9, atomOffsets: [0, 1, 2],
    orbitals: [{ atom: 0, element: 'H', shell: 0, l: 0, m: 0 }, { atom: 1, element: 'H', shell: 0, l: 0, m: 0 }],
    model: { name: 'm', arch: 'tracegrad', basis: 'def2-SVP' }, backend: 'cpu', timingsMs: { loadModel: 1, predict: 2, overlapAndEigen: 3 },
    ...(withReference ? {
      reference: {
        source: { path: '/d/h2', id: 'h2/3', format: 'matrix-stack', unit: 'hartree' }, H: [-0.52, -0.12, -0.12, -0.52], error: [0.02, 0.02, 0.02, 0.02],
        errors: { H: errors }, orbitalEnergies: [-0.64, 0.32], homo: -0.64, lumo: 0.32, gap: 0.96, maeEpsOcc: 0.04, psiSimilarity: 1,
      },
    } : {}),
  } as MoleculePrediction;
}

function mountWith(p: MoleculePrediction) {
  usePredictionsStore().current = p;
  return mount(HamiltonianView);
}

const canvases = (w: ReturnType<typeof mount>) => w.findAll('canvas').map((c) => [c.attributes('data-matrix'), c.attributes('data-title')]);

beforeEach(() => setActivePinia(createPinia()));

describe('HamiltonianView', () => {
  it('shows H and S without a selector or error table when there is no reference', () => {
    const w = mountWith(prediction(false));
    expect(canvases(w)).toEqual([['H', 'H'], ['S', 'S']]);
    expect(w.find('[role="radiogroup"]').exists()).toBe(false);
    expect(w.find('[data-testid="error-table"]').exists()).toBe(false);
  });

  it('switches one heatmap between H, S, the reference H and the error, beside the error table', async () => {
    const w = mountWith(prediction(true));
    expect(w.findAll('input[name="matrix"]').map((i) => i.attributes('data-choice'))).toEqual(['H', 'S', 'reference', 'error']);
    expect(w.find('.choice').text()).toMatch(/H\s+S\s+reference H\s+error\s*reference h2\/3 \(matrix-stack\)/);
    expect(canvases(w)).toEqual([['H', 'H']]);
    expect(w.find('[data-testid="error-table"]').text()).toContain('H MAE 5.00 μEh');

    await w.find('input[data-choice="error"]').setValue(true);
    expect(canvases(w)).toEqual([['error', 'H error: predicted − reference']]);
    await w.find('input[data-choice="reference"]').setValue(true);
    expect(canvases(w)).toEqual([['reference', 'H reference (h2/3)']]);
    await w.find('input[data-choice="S"]').setValue(true);
    expect(canvases(w)).toEqual([['S', 'S']]);
  });

  it('shows the hovered error entry with its unit', async () => {
    const w = mountWith(prediction(true));
    await w.find('input[data-choice="error"]').setValue(true);
    const canvas = w.find('canvas');
    (canvas.element as HTMLCanvasElement).getBoundingClientRect = () => ({ left: 0, top: 0, width: 480, height: 480, right: 480, bottom: 480, x: 0, y: 0, toJSON: () => ({}) });
    await canvas.trigger('mousemove', { clientX: 300, clientY: 10 });
    expect(w.find('.hover').text()).toBe('H1 1s m=0 × H2 1s m=0: 0.02000 Eh');
  });
});
