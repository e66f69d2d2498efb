/** The router table: every request is validated before its service runs, and every failure is an API error. */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { HamStudioApi } from '../../../core/contracts/api.ts';
import { HamError } from '../../../core/contracts/errors.ts';
import { REQUEST_VALIDATORS } from '../../../core/contracts/validate.ts';
import { createRouter } from '../../../main/server/router.ts';
import { resourcePath } from '../../../core/runtime/paths.ts';
import { createServices } from '../../../core/services/index.ts';

function fakeServices(): HamStudioApi {
  return {
    info: vi.fn(async () => ({ name: 'Hamiltonian Studio', version: '0', node: 'v20', backend: 'cpu', modelsDir: '/m', basisSets: [] })),
    listExamples: vi.fn(async () => []),
    listModels: vi.fn(async () => []),
    listRecent: vi.fn(async () => []),
    openRecent: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no such recent structure', { key: 'id' }); }),
    openStructure: vi.fn(async () => { throw new HamError('E_FORMAT', 'line 3: expected 4 columns', { file: 'w.xyz', line: 3 }); }),
    openLabelled: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no such folder', { file: '/nope' }); }),
    predict: vi.fn(async () => { throw new Error('boom'); }),
    crystalMatrices: vi.fn(async () => ({ R: [0, 0, 0] as [number, number, number], H: [], S: [] })),
    bands: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'predict this crystal first'); }),
    listExportFormats: vi.fn(async () => []),
    exportPrediction: vi.fn(async () => ({ format: 'molden', order: 'molden', files: [] })),
    listRuns: vi.fn(async () => []),
    estimateFinetune: vi.fn(async () => ({ code: 'psi4 1.3.2', method: 'PBE/def2-SVP', secondsPerStructure: 1, jobs: 2, snapshotsPerMinute: 120, orbitals: 24 })),
    startFinetune: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no jobs'); }),
    startTraining: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no jobs'); }),
    cancelRun: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no jobs'); }),
    resumeRun: vi.fn(async () => { throw new HamError('E_NOT_FOUND', 'no jobs'); }),
    registerRunModel: vi.fn(async () => []),
  };
}

describe('request validators', () => {
  it('accept well-formed requests and return only known fields', () => {
    expect(REQUEST_VALIDATORS.info({})).toEqual({});
    expect(REQUEST_VALIDATORS.info(undefined)).toEqual({});
    expect(REQUEST_VALIDATORS.openStructure({ name: 'w.xyz', text: '1\n\nH 0 0 0\n' })).toEqual({ name: 'w.xyz', text: '1\n\nH 0 0 0\n' });
    expect(REQUEST_VALIDATORS.predict({ structureId: 'a' })).toEqual({ structureId: 'a' });
    expect(REQUEST_VALIDATORS.predict({ structureId: 'a', model: 'm' })).toEqual({ structureId: 'a', model: 'm' });
    expect(REQUEST_VALIDATORS.crystalMatrices({ structureId: 'a', R: [0, -1, 2] })).toEqual({ structureId: 'a', R: [0, -1, 2] });
    expect(REQUEST_VALIDATORS.bands({ structureId: 'a', kpath: 'G-M', points: 10 })).toEqual({ structureId: 'a', kpath: 'G-M', points: 10 });
    expect(REQUEST_VALIDATORS.startFinetune({ structureId: 'a', n: 8, epochs: 3, budgetMinutes: 2.5 })).toEqual({ structureId: 'a', n: 8, epochs: 3, budgetMinutes: 2.5 });
    expect(REQUEST_VALIDATORS.estimateFinetune({ structureId: 'a', model: 'hco-def2svp' })).toEqual({ structureId: 'a', model: 'hco-def2svp' });
    expect(REQUEST_VALIDATORS.startTraining({ data: '/d', epochs: 2, loss: 'rmse+mae' })).toEqual({ data: '/d', epochs: 2, loss: 'rmse+mae' });
    expect(REQUEST_VALIDATORS.openLabelled({ path: '../shared/datasets/water-pbe-def2svp', index: 7 })).toEqual({ path: '../shared/datasets/water-pbe-def2svp', index: 7 });
    expect(REQUEST_VALIDATORS.openLabelled({ path: 'C:\\data\\graphene\\pristine' })).toEqual({ path: 'C:\\data\\graphene\\pristine' });
  });

  it.each([
    ['openStructure', null, undefined, /must be a JSON object/],
    ['openStructure', [], undefined, /must be a JSON object/],
    ['openStructure', { text: 'x' }, 'name', /must be a string/],
    ['openStructure', { name: 'w.xyz', text: 3 }, 'text', /must be a string/],
    ['openStructure', { name: '', text: 'x' }, 'name', /must not be empty/],
    ['openStructure', { name: 'w.xyz', text: 'x', path: '/etc/passwd' }, 'path', /unknown field/],
    ['predict', { structureId: 'a', model: 7 }, 'model', /must be a string/],
    ['predict', { model: 'm' }, 'structureId', /must be a string/],
    ['info', { verbose: true }, 'verbose', /unknown field/],
    ['crystalMatrices', { structureId: 'a', R: [0, 0.5, 0] }, 'R', /three integers/],
    ['crystalMatrices', { structureId: 'a', R: [0, 0] }, 'R', /three integers/],
    ['bands', { structureId: 'a', points: 1 }, 'points', /integer from 2 to 2000/],
    ['exportPrediction', { structureId: 'a' }, 'format', /must be a string/],
    ['startFinetune', { structureId: 'a', n: 2, epochs: 3 }, 'n', /integer from 4 to 500/],
    ['startFinetune', { structureId: 'a', n: 8, epochs: 3, sampling: 'mc' }, 'sampling', /one of md, thermal/],
    ['startFinetune', { structureId: 'a', n: 8, epochs: 3, budgetMinutes: '5' }, 'budgetMinutes', /number of minutes/],
    ['startFinetune', { structureId: 'a', n: 8, epochs: 3, budgetMinutes: 0 }, 'budgetMinutes', /from 0.1/],
    ['estimateFinetune', { structureId: 7 }, 'structureId', /must be a string/],
    ['estimateFinetune', { structureId: 'a', n: 8 }, 'n', /unknown field/],
    ['startTraining', { data: '/d', epochs: 0 }, 'epochs', /integer from 1/],
    ['startTraining', { data: 'file:///d', epochs: 2 }, 'data', /not a URL/],
    ['startTraining', { data: '/d', epochs: 2, arch: 'trace', init: 'hco-def2svp' }, 'init', /arch or init, not both/],
    ['startTraining', { data: '/d', epochs: 2, loss: 'l1' }, 'loss', /must be one of/],
    ['cancelRun', { id: '../etc' }, 'id', /not an id/],
    ['openRecent', { id: '../etc' }, 'id', /not an id/],
    ['registerRunModel', { id: 'r1' }, 'name', /must be a string/],
    ['exportPrediction', { structureId: 'a', format: 'molden', out: '/tmp/x' }, 'out', /unknown field/],
    ['bands', { structureId: 'a', points: 1e6 }, 'points', /integer from 2 to 2000/],
    ['openLabelled', { index: 3 }, 'path', /must be a string/],
    ['openLabelled', { path: 7 }, 'path', /must be a string/],
    ['openLabelled', { path: '' }, 'path', /must not be empty/],
    ['openLabelled', { path: '/d', index: '7' }, 'index', /integer from 0/],
    ['openLabelled', { path: '/d', index: -1 }, 'index', /integer from 0/],
    ['openLabelled', { path: '/d', index: 1.5 }, 'index', /integer from 0/],
    ['openLabelled', { path: '/d\u0000/etc/passwd' }, 'path', /NUL/],
    ['openLabelled', { path: 'file:///etc' }, 'path', /not a URL/],
    ['openLabelled', { path: 'https://example.org/data' }, 'path', /not a URL/],
    ['openLabelled', { path: 'x'.repeat(5000) }, 'path', /longer than 4096/],
    ['openLabelled', { path: '/d', text: 'x' }, 'text', /unknown field/],
  ] as const)('%s(%j) is E_INPUT naming %s', (method, input, key, message) => {
    let error: unknown;
    try {
      REQUEST_VALIDATORS[method](input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HamError);
    expect(error).toMatchObject({ code: 'E_INPUT', location: key === undefined ? {} : { key }, message: expect.stringMatching(message) });
  });
});

describe('router', () => {
  it('hands openLabelled only a validated path and reports the service\'s file errors', async () => {
    const services = fakeServices();
    const router = createRouter(services);
    expect(await router('openLabelled', { path: 'https://example.org/x' })).toMatchObject({ ok: false, error: { code: 'E_INPUT', location: { key: 'path' } } });
    expect(services.openLabelled).not.toHaveBeenCalled();
    expect(await router('openLabelled', { path: '/nope', index: 2 })).toEqual({ ok: false, error: { code: 'E_NOT_FOUND', message: '/nope: no such folder', location: { file: '/nope' } } });
    expect(services.openLabelled).toHaveBeenCalledWith({ path: '/nope', index: 2 });
  });

  it('with a path gate (the desktop app), refuses a folder outside the chosen ones before the service runs', async () => {
    const services = fakeServices();
    const router = createRouter(services, undefined, (p) => p.startsWith('/chosen/'));
    expect(await router('openLabelled', { path: '/elsewhere/water', index: 1 })).toMatchObject({
      ok: false, error: { code: 'E_INPUT', location: { file: '/elsewhere/water', key: 'path' }, message: expect.stringMatching(/only folders you chose/) },
    });
    expect(services.openLabelled).not.toHaveBeenCalled();
    expect(await router('openLabelled', { path: '/chosen/water', index: 1 })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(services.openLabelled).toHaveBeenCalledWith({ path: '/chosen/water', index: 1 });
    // Training reads a dataset folder too: the same gate.
    expect(await router('startTraining', { data: '/elsewhere/water', epochs: 2 })).toMatchObject({ ok: false, error: { code: 'E_INPUT', location: { key: 'data' } } });
    expect(services.startTraining).not.toHaveBeenCalled();
    expect(await router('startTraining', { data: '/chosen/water', epochs: 2 })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
  });

  it('answers openLabelled of an absent folder, a file, or a folder outside any dataset with the file named', async () => {
    const router = createRouter(createServices());
    const absent = path.join(os.tmpdir(), 'hamstudio-no-such-dataset');
    expect(await router('openLabelled', { path: absent })).toEqual({ ok: false, error: { code: 'E_NOT_FOUND', message: `${absent}: no such folder`, location: { file: absent } } });
    const file = resourcePath('examples', 'water.xyz');
    expect(await router('openLabelled', { path: file })).toMatchObject({ ok: false, error: { code: 'E_INPUT', location: { file } } });
    const examples = resourcePath('examples');
    expect(await router('openLabelled', { path: examples, index: 0 })).toMatchObject({
      ok: false, error: { code: 'E_FORMAT', location: { file: examples }, message: expect.stringMatching(/no dataset layout recognised/) },
    });
  });

  it('calls the service with the validated request and wraps its result', async () => {
    const services = fakeServices();
    const reply = await createRouter(services)('listExamples', {});
    expect(reply).toEqual({ ok: true, result: [] });
    expect(services.listExamples).toHaveBeenCalledWith({});
  });

  it('never calls a service with an invalid request', async () => {
    const services = fakeServices();
    const reply = await createRouter(services)('openStructure', { name: 'w.xyz' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_INPUT', location: { key: 'text' } } });
    expect(services.openStructure).not.toHaveBeenCalled();
  });

  it('refuses unknown methods, including inherited property names', async () => {
    const router = createRouter(fakeServices());
    for (const method of ['deleteEverything', 'constructor', '__proto__', 'toString']) {
      expect(await router(method, {})).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    }
  });

  it('passes user errors through and hides internal ones behind E_INTERNAL', async () => {
    const internal = vi.fn();
    const router = createRouter(fakeServices(), internal);
    expect(await router('openStructure', { name: 'w.xyz', text: 'x' })).toEqual({
      ok: false, error: { code: 'E_FORMAT', message: 'w.xyz:3: line 3: expected 4 columns', location: { file: 'w.xyz', line: 3 } },
    });
    expect(internal).not.toHaveBeenCalled();
    const reply = await router('predict', { structureId: 'a' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_INTERNAL', message: expect.stringMatching(/boom/) } });
    expect(JSON.stringify(reply)).not.toMatch(/\n\s+at /);
    expect(internal).toHaveBeenCalledOnce();
  });

  it('says what an exhausted wasm heap means instead of a bare internal error', async () => {
    const services = fakeServices();
    const abort = Object.assign(new Error('Aborted(). Build with -sASSERTIONS for more info.'), { name: 'RuntimeError' });
    services.predict = vi.fn(async () => { throw abort; });
    const reply = await createRouter(services)('predict', { structureId: 'a' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_INTERNAL', message: expect.stringMatching(/Aborted\(\).*out of memory.*4 GiB/) } });
  });
});
