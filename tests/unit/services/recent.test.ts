/**
 * The recent-structures list: newest first, one entry per file name or dataset folder and index, kept across
 * sessions in its file, reopened through the services exactly as first opened; a damaged file starts a new list.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../core/services/index.ts';
import { RecentStructures } from '../../../core/services/recent.ts';
import { datasetPath } from '../../helpers/datasets.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-recent-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const WATER = '3\nwater\nO 0 0 0.1173\nH 0 0.7572 -0.4692\nH 0 -0.7572 -0.4692\n';

describe('recent structures', () => {
  it('lists opened structures newest first, survives a restart and reopens them', async () => {
    const file = path.join(tmp, 'recent.json');
    const a = createServices(undefined, file);
    await a.openStructure({ name: 'water.xyz', text: WATER });
    await a.openLabelled({ path: datasetPath('water-pbe-def2svp'), index: 3 });
    await a.openStructure({ name: 'water.xyz', text: WATER }); // again: moves to the top, no duplicate
    expect((await a.listRecent({})).map((r) => [r.name, r.formula, r.labelled])).toEqual([['water.xyz', 'H2O', false], ['water-pbe-def2svp/3', 'H2O', true]]);

    const b = createServices(undefined, file); // a new session
    const list = await b.listRecent({});
    expect(list).toHaveLength(2);
    const labelled = await b.openRecent({ id: list[1].id });
    expect(labelled.reference?.id).toBe('water-pbe-def2svp/3');
    const plain = await b.openRecent({ id: (await b.listRecent({}))[1].id });
    expect(plain).toMatchObject({ name: 'water.xyz', formula: 'H2O', reference: null });
    await expect(b.openRecent({ id: 'nope' })).rejects.toThrow(/no such recent structure/);
  });

  it('keeps at most 12, drops the text of a huge file (listed, not reopenable) and ignores a damaged file', () => {
    const summary = (name: string) => ({ id: 'x', name, frames: 1, symbols: ['H'], positions: [[0, 0, 0]] as [number, number, number][], elements: [], formula: 'H', cell: null, periodic: false, orbitals: { basis: 'b', count: 1, perAtom: [1] }, reference: null });
    const r = new RecentStructures();
    for (let k = 0; k < 15; k++) r.add(summary(`f${k}.xyz`), { kind: 'file', text: 'x' });
    r.add(summary('huge.xyz'), { kind: 'file', text: 'x'.repeat(5_000_001) });
    expect(r.list()).toHaveLength(12);
    expect(r.list()[0]).toMatchObject({ name: 'huge.xyz', reopenable: false });
    expect(() => r.source(r.list()[0].id)).toThrow(/too large to keep/);
    const damaged = path.join(tmp, 'damaged.json');
    writeFileSync(damaged, '{ not json');
    expect(new RecentStructures(damaged).list()).toEqual([]);
    expect(readFileSync(damaged, 'utf8')).toBe('{ not json');
  });
});
