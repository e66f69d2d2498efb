/**
 * How the renderer reaches the app: one `call(method, request)` that resolves to the method's result or rejects
 * with an ApiCallError carrying the API's error code. HTTP (browser mode) implements it now, Electron IPC later.
 */
import type { ApiError, ApiMethod, ApiRequest, ApiResult } from '../../core/contracts/api.ts';
import type { ErrorCode } from '../../core/contracts/errors.ts';

export interface Transport {
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<M>>;
}

export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
  }
}
