/**
 * The one router table (DESIGN.md §2): method name → request validator → service. Every transport (this server
 * now, Electron IPC later) hands it a method name and an untrusted body and gets back the response envelope, so
 * validation and error mapping happen in exactly one place. With `allowPath` (the desktop app: folders chosen in
 * its dialog) a folder a request names must pass it too; browser mode has none, its user types the path.
 */
import type { ApiError, ApiMethod, ApiResponse, HamStudioApi } from '../../core/contracts/api.ts';
import { HamError, isHamError } from '../../core/contracts/errors.ts';
import { isApiMethod, REQUEST_VALIDATORS, USER_PATH_FIELDS } from '../../core/contracts/validate.ts';
import { wasmMemoryFailure } from '../../core/runtime/wasm-memory.ts';

export type Router = (method: string, body: unknown) => Promise<ApiResponse<ApiMethod>>;

export function createRouter(services: HamStudioApi, onInternalError: (e: unknown) => void = () => {}, allowPath?: (path: string) => boolean): Router {
  return async (method, body) => {
    try {
      if (!isApiMethod(method)) throw new HamError('E_NOT_FOUND', `no API method '${method}'`);
      return { ok: true, result: await call(services, method, body, allowPath) };
    } catch (e) {
      if (!isHamError(e)) onInternalError(e);
      return { ok: false, error: toApiError(e) };
    }
  };
}

function call<M extends ApiMethod>(services: HamStudioApi, method: M, body: unknown, allowPath?: (path: string) => boolean) {
  const request = REQUEST_VALIDATORS[method](body);
  const key = USER_PATH_FIELDS[method];
  const folder = key === undefined ? undefined : (request as Record<string, unknown>)[key];
  if (allowPath && typeof folder === 'string' && !allowPath(folder)) {
    throw new HamError('E_INPUT', 'the app reads only folders you chose: pick this folder (or one holding it) with Choose…', { file: folder, key });
  }
  // One M types both tables, but TypeScript cannot correlate two lookups by the same generic key.
  return (services[method] as (r: typeof request) => ReturnType<HamStudioApi[M]>)(request);
}

/** User errors keep their code and message; anything else becomes E_INTERNAL without internals (no stack). */
export function toApiError(caught: unknown): ApiError {
  const e = wasmMemoryFailure(caught) ?? caught;
  if (isHamError(e)) return { code: e.code, message: e.message, location: e.location };
  return { code: 'E_INTERNAL', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
}
