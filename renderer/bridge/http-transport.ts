/**
 * Browser-mode transport: POST /api/<method> on the page's own origin with the session token, which the start-up
 * URL carries in its hash (never sent to a server, never in a Referer).
 */
import type { ApiMethod, ApiRequest, ApiResponse, ApiResult } from '../../core/contracts/api.ts';
import { ApiCallError, type Transport } from './transport.ts';

/** Header name the server checks (main/server/security.ts). */
const TOKEN_HEADER = 'X-Hamstudio-Token';

export function tokenFromHash(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? undefined;
}

export function createHttpTransport(token: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Transport {
  async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<M>> {
    const res = await fetchImpl(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(request),
    });
    if (!res.ok) {
      const why = res.status === 401 ? 'the session token is missing or wrong: open the URL the app printed at start-up' : await res.text();
      throw new ApiCallError({ code: 'E_INPUT', message: `HTTP ${res.status}: ${why}` });
    }
    const reply = (await res.json()) as ApiResponse<M>;
    if (!reply.ok) throw new ApiCallError(reply.error);
    return reply.result;
  }
  return { call };
}
