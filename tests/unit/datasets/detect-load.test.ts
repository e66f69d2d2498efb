import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLayout } from '../../../core/datasets/detect.ts';
import { loadDataset } from '../../../core/datasets/load.ts';
import { writeMatrixStack } from '../../../core/datasets/matrix-stack.ts';
import { expectHamError, moleculeSamples, writeLegacyFolder, writeNewFolder } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]) => path.join(tmp, ...p);

beforeAll(async () => {
  await writeMatrixStack(at('stack'), moleculeSamples(2));
  for (const f of ['10', '2', '1']) await writeLegacyFolder(at('legacy-root', f));
  mkdirSync(at('legacy-root', 'notes'));
  writeFileSync(at('legacy-root', 'meta.json'), JSON.stringify({ basis: 'dzp', note: 'root metadata' }));
  for (const f of ['a', 'b']) await writeNewFolder(at('new-project', 'dft', f));
  mkdirSync(at('empty'));
  mkdirSync(at('half'));
  writeFileSync(at('half', 'hamiltonians.h5'), '');
  writeFileSync(at('half', 'meta.json'), JSON.stringify({ format: 'something-else' }));
});

describe('detectLayout', () => {
  it('recognises each layout from its files', () => {
    expect(detectLayout(at('stack')).format).toBe('matrix-stack');
    expect(detectLayout(at('legacy-root', '1'))).toEqual({ format: 'deeph-legacy', dir: at('legacy-root', '1'), folders: [], skipped: [] });
    expect(detectLayout(at('new-project', 'dft', 'a')).format).toBe('deeph-new');
  });

  it('finds the structure folders of a root in natural order and reports the others', () => {
    const d = detectLayout(at('legacy-root'));
    expect(d).toEqual({ format: 'deeph-legacy', dir: at('legacy-root'), folders: ['1', '2', '10'], skipped: ['notes'] });
  });

  it('looks inside dft/ for a DeepH-dock root', () => {
    const d = detectLayout(at('new-project'));
    expect(d.format).toBe('deeph-new');
    expect(d.dir).toBe(at('new-project', 'dft'));
    expect(d.folders).toEqual(['a', 'b']);
  });

  it('says what it looked for and what it found when nothing matches', async () => {
    const e = await expectHamError(() => detectLayout(at('empty')), 'E_FORMAT', at('empty'), 'no dataset layout', 'hamstudio-matrix-stack', 'orbital_types.dat', 'POSCAR');
    expect(e.message.split('\n')).toHaveLength(1);
    await expectHamError(() => detectLayout(at('half')), 'E_FORMAT', 'meta.json has format "something-else"', 'hamiltonians.h5 is there but orbital_types.dat is not');
  });

  it('a missing path is E_NOT_FOUND, a file E_INPUT', async () => {
    await expectHamError(() => detectLayout(at('nowhere')), 'E_NOT_FOUND', at('nowhere'));
    await expectHamError(() => detectLayout(at('legacy-root', 'meta.json')), 'E_INPUT', 'meta.json');
  });
});

describe('loadDataset', () => {
  it('loads a matrix stack', async () => {
    const ds = await loadDataset(at('stack'));
    expect(ds.samples.map((s) => s.id)).toEqual(['stack/0', 'stack/1']);
    expect(ds.unit).toBe('hartree');
  });

  it('loads a legacy root with ids root/folder, the root meta.json as metadata, and a limit', async () => {
    const ds = await loadDataset(at('legacy-root'));
    expect(ds.format).toBe('deeph-legacy');
    expect(ds.samples.map((s) => s.id)).toEqual(['legacy-root/1', 'legacy-root/2', 'legacy-root/10']);
    expect(ds.fileOrbitalOrders).toEqual(['openmx']);
    expect(ds.metadata.note).toBe('root metadata');
    expect(ds.basis).toBe('dzp');
    const some = await loadDataset(at('legacy-root'), { limit: 1 });
    expect(some.samples).toHaveLength(1);
  });

  it('loads a DeepH-dock project and a single folder', async () => {
    const ds = await loadDataset(at('new-project'));
    expect(ds.samples.map((s) => s.id)).toEqual(['dft/a', 'dft/b']);
    expect(ds.fileOrbitalOrders).toEqual(['deeph']);
    const one = await loadDataset(at('new-project', 'dft', 'b'));
    expect(one.samples.map((s) => s.id)).toEqual(['b']);
  });
});
