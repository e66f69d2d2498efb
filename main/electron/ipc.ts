/**
 * The IPC channels of the desktop shell (DESIGN.md §2; VS Code's process separation): the preload calls
 * `invoke(API_CHANNEL, method, request)`, the main process answers with the router's envelope; and the folder
 * dialog, the one way a desktop user gives a folder to read. Only frames of the app's own renderer may call;
 * anything else gets E_INPUT (or no dialog) without reaching a service. Pure functions of their inputs, so they are
 * tested without Electron.
 */
import type { ApiResponse } from '../../core/contracts/api.ts';
import type { Router } from '../server/router.ts';

export const API_CHANNEL = 'hamstudio:api';
/** The folder dialog: answers the chosen folder (remembered as readable) or null. */
export const CHOOSE_FOLDER_CHANNEL = 'hamstudio:choose-folder';

/** Is the calling frame the app's renderer (file:// URL inside the renderer folder)? */
export function isTrustedFrame(frameUrl: string | undefined, rendererIndexUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const u = new URL(frameUrl);
    const r = new URL(rendererIndexUrl);
    return u.protocol === 'file:' && u.pathname.startsWith(r.pathname.replace(/[^/]*$/, ''));
  } catch {
    return false;
  }
}

export function createIpcHandler(route: Router, rendererIndexUrl: string) {
  return async (frameUrl: string | undefined, method: unknown, request: unknown): Promise<ApiResponse<never>> => {
    if (!isTrustedFrame(frameUrl, rendererIndexUrl)) {
      return { ok: false, error: { code: 'E_INPUT', message: 'calls are accepted only from the app’s own window' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'E_INPUT', message: 'the method name must be a string' } };
    return (await route(method, request)) as ApiResponse<never>;
  };
}

/** The dialog for the app's own frame only; the folder chosen becomes readable (ChosenFolders). */
export function createChooseFolderHandler(rendererIndexUrl: string, dialog: () => Promise<string | undefined>, chosen: { add(folder: string): void }) {
  return async (frameUrl: string | undefined): Promise<string | null> => {
    if (!isTrustedFrame(frameUrl, rendererIndexUrl)) return null;
    const folder = await dialog();
    if (folder === undefined) return null;
    chosen.add(folder);
    return folder;
  };
}
