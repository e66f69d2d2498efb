/**
 * The app's cost estimate for guided fine-tuning: one real SCF on the opened structure, timed — psi4 for a molecule,
 * GPAW for a crystal — and a crystal's fine-tuning refuses molecular dynamics sampling with a clear message.
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

  it('times one GPAW LCAO SCF on a crystal with the settings of the crystal model\'s training data', async () => {
    const api = createServices();
    // A 2×2 graphene cell: the 3×3 example would take a minute of GPAW.
    const frac = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [[(i + 1 / 3) / 2, (j + 1 / 3) / 2], [(i + 2 / 3) / 2, (j + 2 / 3) / 2]]));
    const text = `graphene 2x2\n1.0\n4.92 0 0\n2.46 4.260844986 0\n0 0 12\nC\n8\nDirect\n${frac.map(([a, b]) => `${a} ${b} 0.5`).join('\n')}\n`;
    const cell = await api.openStructure({ name: 'graphene-2x2.vasp', text });
    const e = await api.estimateFinetune({ structureId: cell.id });
    expect(e.code).toMatch(/^GPAW \d+\.\d+/);
    expect(e.method).toBe('LCAO dzp, PBE');
    expect(e.orbitals).toBe(8 * 13);
    expect(e.secondsPerStructure).toBeGreaterThan(0.5);
  }, 300_000);

  it('refuses xtb dynamics for a crystal before starting a job', async () => {
    const api = createServices();
    const graphene = await open(api, 'graphene-3x3.vasp');
    await expect(api.startFinetune({ structureId: graphene.id, n: 4, epochs: 1, sampling: 'md' })).rejects.toThrow(HamError);
    await expect(api.startFinetune({ structureId: graphene.id, n: 4, epochs: 1, sampling: 'md' })).rejects.toThrow(/thermal displacements and strain/);
  });
});
