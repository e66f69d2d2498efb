/** The browser-mode bridge: token from the URL hash, one POST per call, results unwrapped, API errors kept by code. */
import { describe, expect, it } from 'vitest';
import { ApiCallError, createBridge } from '../../../renderer/bridge/index.ts';
import { createHttpTransport, tokenFromHash } from '../../../renderer/bridge/http-transport.ts';

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { calls, fetchImpl: fetchImpl as typeof fetch };
}

describe('HTTP bridge', () => {
  it('reads the token from the hash', () => {
    expect(tokenFromHash('#token=abc-_1')).toBe('abc-_1');
    expect(tokenFromHash('')).toBeUndefined();
  });

  it('posts the request as JSON with the token and returns the result', async () => {
    const { calls, fetchImpl } = fakeFetch(200, { ok: true, result: [{ name: 'm', arch: 'tracegrad', elements: ['H'], basis: 'def2-SVP', unit: 'hartree' }] });
    const api = createBridge(createHttpTransport('tok', fetchImpl));
    expect(await api.listModels({})).toHaveLength(1);
    expect(calls[0].url).toBe('/api/listModels');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Hamstudio-Token': 'tok' });
    expect(calls[0].init.body).toBe('{}');
  });

  it('rejects with the API error code and message', async () => {
    const { fetchImpl } = fakeFetch(200, { ok: false, error: { code: 'E_NOT_FOUND', message: 'no model is installed' } });
    const error = await createBridge(createHttpTransport('tok', fetchImpl)).predict({ structureId: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'E_NOT_FOUND', message: 'no model is installed' });
  });

  it('explains a refused token', async () => {
    const { fetchImpl } = fakeFetch(401, 'wrong token');
    await expect(createBridge(createHttpTransport('bad', fetchImpl)).info({})).rejects.toThrow(/token is missing or wrong/);
  });
});
