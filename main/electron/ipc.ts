/**
 * The one IPC channel of the desktop shell (DESIGN.md §2; VS Code's process separation): the preload calls
 * `invoke(API_CHANNEL, method, request)`, the main process answers with the router's envelope. Only frames of the
 * app's own renderer may call; anything else gets E_INPUT without reaching a service. Pure functions of their
 * inputs, so they are tested without Electron.
 */
import type { ApiResponse } from '../../core/contracts/api.ts';
import type { Router } from '../server/router.ts';

export const API_CHANNEL = 'hamstudio:api';

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
