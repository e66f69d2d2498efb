// @vitest-environment happy-dom
/** The learning curve: a crystal run shows its validation band MAE beside the H MAE; a molecular run, H alone. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import LearningCurve from '../../../renderer/components/LearningCurve.vue';

// happy-dom lays nothing out; ECharts needs a size to draw into.
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 420 });
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 200 });

const curve = [1, 2, 3].map((epoch) => ({ epoch, valMae: 0.002 / epoch }));

describe('learning curve', () => {
  it('a crystal run: H and band MAE as two named series', () => {
    const w = mount(LearningCurve, { props: { unit: 'eV', series: [{ name: 'graphene', curve: curve.map((p) => ({ ...p, valMaeBands: 0.015 + 0.001 * p.epoch })) }] } });
    const text = w.text() + w.html();
    expect(text).toContain('bands (±2 eV of E_F)');
    expect(text).toContain('>H<');
    expect(w.find('.curve').classes()).not.toContain('wide');
    w.unmount();
  });

  it('a molecular run: the H curve alone, no legend', () => {
    const w = mount(LearningCurve, { props: { unit: 'hartree', series: [{ name: 'water', curve }] } });
    expect(w.html()).not.toContain('bands');
    expect(w.html()).toContain('<path');
    w.unmount();
  });
});
