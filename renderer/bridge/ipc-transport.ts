/**
 * Electron transport: the preload's `window.hamstudioIpc.invoke` (main/electron/preload-api.ts) carries the call to
 * the main process, which answers with the same envelope as browser mode.
 */
import type { ApiMethod, ApiRequest, ApiResponse, ApiResult } from '../../core/contracts/api.ts';
import { ApiCallError, type Transport } from './transport.ts';

export interface IpcInvoker {
  invoke(method: string, request: unknown): Promise<unknown>;
}

export function createIpcTransport(ipc: IpcInvoker): Transport {
  async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<M>> {
    const reply = (await ipc.invoke(method, request)) as ApiResponse<M>;
    if (!reply.ok) throw new ApiCallError(reply.error);
    return reply.result;
  }
  return { call };
}
