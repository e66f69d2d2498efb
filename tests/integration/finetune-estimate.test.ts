/**
 * The app's cost estimate for guided fine-tuning: one real psi4 SCF on the opened molecule, timed; crystals and
 * models psi4 cannot label are refused with a clear message.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../core/services/index.ts';
import { HamError } from '../../core/contracts/errors.ts';

const examples = path.resolve(import.meta.dirname, '../../resources/examples');
const open = (api: ReturnType<typeof createServices>, name: string) => api.openStructure({ name, text: readFileSync(path.join(examples, name), 'utf8') });

describe('estimateFinetune', () => {
  it('times one psi4 PBE/def2-SVP SCF on water', async () => {
    const api = createServices();
    const water = await open(api, 'water.xyz');
    const e = await api.estimateFinetune({ structureId: water.id });
    expect(e.code).toMatch(/^psi4 1\.\d+/);
    expect(e.method).toBe('PBE/def2-SVP');
    expect(e.orbitals).toBe(24);
    expect(e.jobs).toBeGreaterThanOrEqual(1);
    expect(e.secondsPerStructure).toBeGreaterThan(0.05);
    expect(e.secondsPerStructure).toBeLessThan(120);
    expect(e.snapshotsPerMinute).toBeCloseTo((60 * e.jobs) / e.secondsPerStructure, 6);
  }, 180_000);

  it('refuses a crystal: psi4 labels molecules', async () => {
    const api = createServices();
    const graphene = await open(api, 'graphene-3x3.vasp');
    await expect(api.estimateFinetune({ structureId: graphene.id })).rejects.toThrow(HamError);
    await expect(api.estimateFinetune({ structureId: graphene.id })).rejects.toThrow(/psi4 labels is for molecules|not a Gaussian basis/);
  }, 60_000);
});
