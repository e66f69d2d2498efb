/**
 * Predictions beside a DFT reference (openLabelled): the shipped models on a water conformer of the matrix stack
 * and on the pristine graphene folder. The error is H_pred − H_ref entry by entry, the summary agrees with the
 * block errors `hamstudio eval` uses, and bad folders and indices are named in the message.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HamStudioApi } from '../../core/contracts/api.ts';
import { readDeephLegacyFolder } from '../../core/datasets/deeph-legacy.ts';
import { readMatrixStack } from '../../core/datasets/matrix-stack.ts';
import { denseMatrix, denseMatrixAt, moleculeBlocks } from '../../core/datasets/sample.ts';
import { initBackend } from '../../core/runtime/backend.ts';
import { resourcePath } from '../../core/runtime/paths.ts';
import { createServices } from '../../core/services/index.ts';
import { blockErrors } from '../../core/training/block-errors.ts';
import { datasetPath } from '../helpers/datasets.ts';

const WATER = datasetPath('water-pbe-def2svp');
const PRISTINE = path.join(datasetPath('graphene-3x3-pbe-dzp'), 'pristine');
let services: HamStudioApi;

beforeAll(async () => {
  await initBackend('wasm');
  services = createServices();
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);

describe('a labelled molecule', () => {
  it('opens conformer 7 of the water stack with its reference and the dataset\'s orbitals', async () => {
    const s = await services.openLabelled({ path: WATER, index: 7 });
    expect(s).toMatchObject({
      name: 'water-pbe-def2svp/7', formula: 'H2O', periodic: false, orbitals: { basis: 'def2-SVP', count: 24 },
      reference: { path: WATER, id: 'water-pbe-def2svp/7', format: 'matrix-stack', unit: 'hartree' },
    });
  });

  it('predicts with the reference H, the error H_pred − H_ref and errors that match the block errors', async () => {
    const { id } = await services.openLabelled({ path: WATER, index: 7 });
    const p = await services.predict({ structureId: id });
    if (p.kind !== 'molecule' || !p.reference) throw new Error('expected a molecule prediction with a reference');
    const ref = readMatrixStack(WATER).samples[7];
    const Href = denseMatrix(ref, 'H');
    const r = p.reference;
    expect(r.H).toHaveLength(24 * 24);
    expect(maxDiff(r.H, Href)).toBe(0);
    expect(maxDiff(r.error, p.H.map((v, k) => v - Href[k]))).toBe(0);
    expect(r.error.some((v) => v !== 0)).toBe(true);

    const e = blockErrors(moleculeBlocks(ref.atomShells, Float64Array.from(p.H)), ref.blocks);
    const H = r.errors.H;
    expect(H.unit).toBe('μEh');
    expect(H.all.count).toBe(24 * 24);
    expect(H.all.mae).toBeCloseTo((1e6 * e.sumAbs) / e.count, 6);
    expect(H.onsite.mae).toBeCloseTo((1e6 * e.onsiteSumAbs) / e.onsiteCount, 6);
    expect(H.offsite.mae).toBeCloseTo((1e6 * (e.sumAbs - e.onsiteSumAbs)) / (e.count - e.onsiteCount), 6);
    expect(H.all.maxAbs).toBeCloseTo(1e6 * e.maxAbs, 6);
    // The shipped model is good to a few hundred μEh on water (shipped-model.test.ts), far from a wrong basis order.
    expect(H.all.mae).toBeGreaterThan(1);
    expect(H.all.mae).toBeLessThan(2000);
    const types = H.byType.filter((t) => t.shells === null).map((t) => `${t.onsite ? 'on' : 'off'} ${t.elements.join('–')}`);
    expect(types.sort()).toEqual(['off H–H', 'off H–O', 'on H', 'on O']);
    // O in def2-SVP has 3 s and 2 p shells: 3 · 2 · 3 s–p entries in each orientation.
    expect(H.byType.find((t) => t.onsite && t.elements[0] === 'O' && t.shells?.join() === '0,1')).toMatchObject({ count: 2 * 3 * 2 * 3 });

    // Reference levels from the reference H with the same S; ε_occ MAE over the 5 occupied orbitals.
    expect(r.orbitalEnergies).toHaveLength(p.orbitalEnergies.length);
    expect(r.homo).toBe(r.orbitalEnergies[4]);
    expect(r.gap).toBeCloseTo(r.lumo - r.homo, 14);
    const eps = p.orbitalEnergies.slice(0, 5).reduce((a, v, k) => a + Math.abs(v - r.orbitalEnergies[k]), 0) / 5;
    expect(r.maeEpsOcc).toBeCloseTo(eps, 12);
    // psi4's own orbital energies of this conformer agree with the reference levels (same H, S to 1e-10).
    expect(maxDiff(r.orbitalEnergies.slice(0, 10), ref.references.orbitalEnergies!.slice(0, 10))).toBeLessThan(1e-6);
  });

  it('refuses a model whose unit or basis differs from the reference, naming the folder', async () => {
    const { id } = await services.openLabelled({ path: WATER, index: 7 });
    await expect(services.predict({ structureId: id, model: 'graphene-dzp' }))
      .rejects.toMatchObject({ code: 'E_BASIS_MISMATCH', location: { file: WATER }, message: expect.stringMatching(/water-pbe-def2svp\/7 is in hartree, the model predicts in eV/) });
  });

  it('names the folder or the index when they are wrong', async () => {
    await expect(services.openLabelled({ path: path.join(WATER, 'absent') }))
      .rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringContaining(`${path.join(WATER, 'absent')}: no such folder`) });
    await expect(services.openLabelled({ path: path.join(WATER, 'meta.json') }))
      .rejects.toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(/meta\.json: is a file/) });
    await expect(services.openLabelled({ path: resourcePath('examples') }))
      .rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringMatching(/examples: no dataset layout recognised/) });
    await expect(services.openLabelled({ path: WATER }))
      .rejects.toMatchObject({ code: 'E_INPUT', location: { key: 'index' }, message: expect.stringMatching(/a matrix stack of 475 structures: give a structure index from 0 to 474/) });
    await expect(services.openLabelled({ path: WATER, index: 475 }))
      .rejects.toMatchObject({ code: 'E_INPUT', location: { file: WATER, key: 'index' }, message: expect.stringMatching(/no structure 475: a matrix stack holds 475/) });
    await expect(services.openLabelled({ path: PRISTINE, index: 1 }))
      .rejects.toMatchObject({ code: 'E_INPUT', location: { key: 'index' } });
  });
});

describe('a labelled crystal', () => {
  it('predicts pristine graphene with the reference H(R), the error and H and S errors by block type', async () => {
    const s = await services.openLabelled({ path: PRISTINE });
    expect(s).toMatchObject({ name: 'graphene-3x3-pbe-dzp/pristine', periodic: true, orbitals: { basis: 'dzp', count: 234 }, reference: { format: 'deeph-legacy', unit: 'eV' } });
    const p = await services.predict({ structureId: s.id });
    if (p.kind !== 'crystal' || !p.reference) throw new Error('expected a crystal prediction with a reference');
    const ref = (await readDeephLegacyFolder(PRISTINE)).sample;
    const at = (R: [number, number, number]) => denseMatrixAt(ref, 'H', R);
    expect(maxDiff(p.reference.H, at([0, 0, 0]))).toBe(0);
    expect(maxDiff(p.reference.error, p.H.map((v, k) => v - at([0, 0, 0])[k]))).toBe(0);
    const { H, S } = p.reference.errors;
    expect(H.unit).toBe('meV');
    expect(S.unit).toBe('');
    expect(H.all.count).toBe(ref.blocks.H.length);
    expect(H.byType.filter((t) => t.shells === null).map((t) => `${t.onsite ? 'on' : 'off'} ${t.elements.join('–')}`)).toEqual(['off C–C', 'on C']);
    expect(S.all.mae).toBeGreaterThan(0);
    expect(S.all.mae).toBeLessThan(0.01);

    const R = p.translations[1];
    const m = await services.crystalMatrices({ structureId: s.id, R });
    expect(maxDiff(m.reference!.H, at(R))).toBe(0);
    expect(maxDiff(m.reference!.error, m.H.map((v, k) => v - at(R)[k]))).toBe(0);

    // Reference bands on the same path, relative to the data's own E_F, and the band error within ±2 eV of it.
    const b = await services.bands({ structureId: s.id, points: 6 });
    const rb = b.reference!;
    expect(rb.fermiLevel).toBe(ref.references.fermiLevel);
    expect(rb.energies).toHaveLength(b.distance.length);
    expect(rb.error.window).toBe(2);
    expect(rb.error.count).toBeGreaterThan(0);
    expect(rb.error.mae).toBeGreaterThan(0);
    expect(rb.error.mae).toBeLessThan(0.5);
  }, 300_000);
});
