/**
 * What the preload exposes to the renderer (one object, `window.hamstudioIpc`): a single `invoke` that forwards a
 * method name and request over the API channel and returns the envelope, and the folder dialog. No Node, no Electron objects and no other
 * channel reach the page (contextIsolation and sandbox are on).
 */
import type { ApiResponse } from '../../core/contracts/api.ts';
import { API_CHANNEL, CHOOSE_FOLDER_CHANNEL } from './ipc.ts';

export interface HamstudioIpc {
  invoke(method: string, request: unknown): Promise<ApiResponse<never>>;
  /** The native folder dialog: the folder chosen, or null when cancelled. */
  chooseFolder(): Promise<string | null>;
}

interface IpcRendererLike { invoke(channel: string, ...args: unknown[]): Promise<unknown> }
interface ContextBridgeLike { exposeInMainWorld(key: string, api: unknown): void }

export const IPC_GLOBAL = 'hamstudioIpc';

export function exposeApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const api: HamstudioIpc = {
    invoke: (method, request) => ipcRenderer.invoke(API_CHANNEL, method, request) as Promise<ApiResponse<never>>,
    chooseFolder: () => ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL) as Promise<string | null>,
  };
  contextBridge.exposeInMainWorld(IPC_GLOBAL, api);
}
