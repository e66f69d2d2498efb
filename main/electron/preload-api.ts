/**
 * What the preload exposes to the renderer (one object, `window.hamstudioIpc`): a single `invoke` that forwards a
 * method name and request over the API channel and returns the envelope. No Node, no Electron objects and no other
 * channel reach the page (contextIsolation and sandbox are on).
 */
import type { ApiResponse } from '../../core/contracts/api.ts';
import { API_CHANNEL } from './ipc.ts';

export interface HamstudioIpc {
  invoke(method: string, request: unknown): Promise<ApiResponse<never>>;
}

interface IpcRendererLike { invoke(channel: string, ...args: unknown[]): Promise<unknown> }
interface ContextBridgeLike { exposeInMainWorld(key: string, api: unknown): void }

export const IPC_GLOBAL = 'hamstudioIpc';

export function exposeApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const api: HamstudioIpc = {
    invoke: (method, request) => ipcRenderer.invoke(API_CHANNEL, method, request) as Promise<ApiResponse<never>>,
  };
  contextBridge.exposeInMainWorld(IPC_GLOBAL, api);
}
