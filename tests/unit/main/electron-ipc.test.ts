/**
 * The Electron shell's IPC, without Electron: only the app's own renderer frame may call; calls go through the same
 * router (validation included); the preload exposes exactly one object with one function; the renderer's IPC
 * transport unwraps the envelope like the HTTP one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildElectronBundles } from '../../../main/electron-build.ts';
import { ChosenFolders } from '../../../main/electron/chosen-folders.ts';
import { API_CHANNEL, CHOOSE_FOLDER_CHANNEL, createChooseFolderHandler, createIpcHandler, isTrustedFrame } from '../../../main/electron/ipc.ts';
import { exposeApi, IPC_GLOBAL } from '../../../main/electron/preload-api.ts';
import { createIpcTransport } from '../../../renderer/bridge/ipc-transport.ts';
import { ApiCallError } from '../../../renderer/bridge/transport.ts';

const INDEX = 'file:///opt/hamstudio/renderer/dist/index.html';

describe('Electron IPC', () => {
  it('trusts only file:// frames of the renderer folder', () => {
    expect(isTrustedFrame(INDEX, INDEX)).toBe(true);
    expect(isTrustedFrame('file:///opt/hamstudio/renderer/dist/index.html#/runs', INDEX)).toBe(true);
    expect(isTrustedFrame('https://evil.example/renderer/dist/index.html', INDEX)).toBe(false);
    expect(isTrustedFrame('file:///tmp/index.html', INDEX)).toBe(false);
    expect(isTrustedFrame(undefined, INDEX)).toBe(false);
    expect(isTrustedFrame('not a url', INDEX)).toBe(false);
  });

  it('routes trusted calls and refuses the rest before any service runs', async () => {
    const route = vi.fn(async () => ({ ok: true as const, result: [] as never }));
    const handle = createIpcHandler(route, INDEX);
    expect(await handle(INDEX, 'listModels', {})).toEqual({ ok: true, result: [] });
    expect(route).toHaveBeenCalledWith('listModels', {});
    expect(await handle('https://evil.example/', 'listModels', {})).toMatchObject({ ok: false, error: { code: 'E_INPUT' } });
    expect(await handle(INDEX, 42, {})).toMatchObject({ ok: false, error: { code: 'E_INPUT' } });
    expect(route).toHaveBeenCalledTimes(1);
  });

  it('the preload exposes one object: invoke on the API channel and the folder dialog', async () => {
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async () => ({ ok: true, result: 1 }));
    exposeApi({ exposeInMainWorld: (k, v) => { exposed[k] = v; } }, { invoke });
    expect(Object.keys(exposed)).toEqual([IPC_GLOBAL]);
    const api = exposed[IPC_GLOBAL] as { invoke: (m: string, r: unknown) => Promise<unknown>; chooseFolder: () => Promise<unknown> };
    expect(Object.keys(api)).toEqual(['invoke', 'chooseFolder']);
    await api.invoke('info', {});
    expect(invoke).toHaveBeenCalledWith(API_CHANNEL, 'info', {});
    await api.chooseFolder();
    expect(invoke).toHaveBeenLastCalledWith(CHOOSE_FOLDER_CHANNEL);
  });

  it('the folder dialog opens for the app\'s frame only and makes the chosen folder, and what lies in it, readable', async () => {
    const chosen = new ChosenFolders();
    const dialog = vi.fn(async () => path.resolve('/data/water-pbe-def2svp') as string | undefined);
    const choose = createChooseFolderHandler(INDEX, dialog, chosen);
    expect(await choose('https://evil.example/')).toBeNull();
    expect(dialog).not.toHaveBeenCalled();
    expect(chosen.allows('/data/water-pbe-def2svp')).toBe(false);
    expect(await choose(INDEX)).toBe(path.resolve('/data/water-pbe-def2svp'));
    expect(chosen.allows('/data/water-pbe-def2svp')).toBe(true);
    expect(chosen.allows('/data/water-pbe-def2svp/sub/')).toBe(true);
    expect(chosen.allows('/data/water-pbe-def2svp/../ethanol')).toBe(false);
    expect(chosen.allows('/data/water-pbe-def2svp-rotated')).toBe(false);
    expect(chosen.allows('/data')).toBe(false);
    dialog.mockResolvedValueOnce(undefined);
    expect(await choose(INDEX)).toBeNull();
  });

  it('the renderer transport returns results and throws API errors with their code', async () => {
    const ok = createIpcTransport({ invoke: async () => ({ ok: true, result: { name: 'x' } }) });
    expect(await ok.call('listModels', {})).toEqual({ name: 'x' });
    const bad = createIpcTransport({ invoke: async () => ({ ok: false, error: { code: 'E_NOT_FOUND', message: 'no such run' } }) });
    await expect(bad.call('listRuns', {})).rejects.toBeInstanceOf(ApiCallError);
    await expect(bad.call('listRuns', {})).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'no such run' });
  });

  it('bundles the main process and a preload that requires nothing but electron', async () => {
    const { main, preload } = await buildElectronBundles();
    const text = readFileSync(preload, 'utf8');
    expect([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(readFileSync(main, 'utf8')).toContain('hamstudio:api');
  });
});
