// @vitest-environment happy-dom
/** The orbital-level diagram: levels around the gap coloured by occupation, HOMO, LUMO and gap labelled. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import EnergyLevels from '../../../renderer/components/EnergyLevels.vue';

// Water-like levels (Eh): a deep core level, four valence occupied, two virtual.
const energies = [-18.9, -0.93, -0.47, -0.31, -0.24, 0.05, 0.14];

describe('EnergyLevels', () => {
  it('draws the levels near the gap and labels HOMO, LUMO and the gap', () => {
    const w = mount(EnergyLevels, { props: { energies, occupied: 5, unit: 'hartree' } });
    expect(w.find('.homo').text()).toBe('HOMO -0.2400 Eh');
    expect(w.find('.lumo').text()).toBe('LUMO 0.05000 Eh');
    expect(w.find('.gap-label').text()).toBe('gap 0.2900 Eh');
    // The O 1s-like level lies outside the window and is counted instead of drawn.
    expect(w.findAll('line.level.occupied')).toHaveLength(4);
    expect(w.findAll('line.level.virtual')).toHaveLength(2);
    expect(w.find('.more').text()).toBe('1 lower level not shown');
  });

  it('draws reference levels dashed in a second column with their own HOMO and LUMO', () => {
    const reference = energies.map((e) => e - 0.01);
    const w = mount(EnergyLevels, { props: { energies, occupied: 5, unit: 'hartree', reference } });
    expect(w.findAll('text.column').map((t) => t.text())).toEqual(['predicted', 'reference']);
    expect(w.findAll('g.reference line.level.dashed')).toHaveLength(6);
    expect(w.findAll('g.predicted line.level.dashed')).toHaveLength(0);
    expect(w.find('g.reference .homo').text()).toBe('HOMO -0.2500 Eh');
    expect(w.find('g.reference .lumo').text()).toBe('LUMO 0.04000 Eh');
    const x = (sel: string) => Number(w.find(sel).attributes('x1'));
    expect(x('g.reference line.level')).toBeGreaterThan(x('g.predicted line.level'));
  });

  it('puts the HOMO below the LUMO', () => {
    const w = mount(EnergyLevels, { props: { energies, occupied: 5, unit: 'eV' } });
    const y = (cls: string) => Number(w.find(cls).attributes('y'));
    expect(y('.homo')).toBeGreaterThan(y('.lumo'));
    expect(w.find('.homo').text()).toMatch(/ eV$/);
  });
});
