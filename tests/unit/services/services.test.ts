/** The services behind the API: structures kept by id, summaries, and clear errors before any model is installed. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HamStudioApi } from '../../../core/contracts/api.ts';
import { MODELS_DIR_ENV } from '../../../core/model/model-registry.ts';
import { resourcePath } from '../../../core/runtime/paths.ts';
import { createServices } from '../../../core/services/index.ts';

const example = (name: string) => ({ name, text: readFileSync(resourcePath('examples', name), 'utf8') });
let services: HamStudioApi;
let emptyModels: string;
const saved = process.env[MODELS_DIR_ENV];

beforeAll(() => {
  emptyModels = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-nomodels-'));
  process.env[MODELS_DIR_ENV] = emptyModels;
  services = createServices();
});

afterAll(() => {
  if (saved === undefined) delete process.env[MODELS_DIR_ENV];
  else process.env[MODELS_DIR_ENV] = saved;
  rmSync(emptyModels, { recursive: true, force: true });
});

describe('services', () => {
  it('lists the shipped examples with their text', async () => {
    const names = (await services.listExamples({})).map((e) => e.name);
    expect(names).toEqual(['ethanol.xyz', 'graphene-3x3.vasp', 'water.xyz']);
  });

  it('summarises a molecule: elements, Hill formula, def2-SVP orbitals, no cell', async () => {
    const s = await services.openStructure(example('ethanol.xyz'));
    expect(s).toMatchObject({ name: 'ethanol.xyz', formula: 'C2H6O', cell: null, periodic: false, frames: 1 });
    expect(s.symbols).toHaveLength(9);
    // def2-SVP: C and O 14 functions each (3s2p1d), H 5 (2s1p).
    const perAtom = s.symbols.map((sym) => (sym === 'H' ? 5 : 14));
    expect(s.orbitals).toEqual({ basis: 'def2-SVP', count: 3 * 14 + 6 * 5, perAtom });
  });

  it('summarises a crystal with its cell', async () => {
    const s = await services.openStructure(example('graphene-3x3.vasp'));
    expect(s).toMatchObject({ formula: 'C18', periodic: true });
    expect(s.cell).toHaveLength(3);
  });

  it('reports a broken file by name and line', async () => {
    await expect(services.openStructure({ name: 'bad.xyz', text: '2\n\nO 0 0 0\nH 0 zero 1\n' }))
      .rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringMatching(/^bad\.xyz:4/) });
  });

  it('refuses to predict for an unknown structure id', async () => {
    await expect(services.predict({ structureId: 'nope' })).rejects.toMatchObject({ code: 'E_NOT_FOUND', location: { key: 'structureId' } });
  });

  it('says clearly that no model is installed', async () => {
    const { id } = await services.openStructure(example('water.xyz'));
    expect(await services.listModels({})).toEqual([]);
    await expect(services.predict({ structureId: id })).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringMatching(/no model is installed/) });
  });
});
