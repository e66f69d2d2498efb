/** Who may call the browser-mode server: same origin (Host and Origin) and the session token. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HamStudioApi } from '../../../core/contracts/api.ts';
import { checkOrigin, checkToken, newToken } from '../../../main/server/security.ts';
import { startServer, type RunningServer } from '../../../main/server/server.ts';

describe('checks', () => {
  it('tokens are long, random and URL-safe', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('Host and Origin must be this server', () => {
    expect(checkOrigin({ host: '127.0.0.1:5000' }, 5000)).toEqual({ ok: true });
    expect(checkOrigin({ host: 'localhost:5000', origin: 'http://localhost:5000' }, 5000)).toEqual({ ok: true });
    expect(checkOrigin({ host: 'evil.example:5000' }, 5000)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({}, 5000)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({ host: '127.0.0.1:5000', origin: 'http://evil.example' }, 5000)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({ host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5001' }, 5000)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({ host: '127.0.0.1:5000', origin: 'null' }, 5000)).toMatchObject({ ok: false, status: 403 });
  });

  it('the token must match exactly', () => {
    expect(checkToken({ 'x-hamstudio-token': 'abc' }, 'abc')).toEqual({ ok: true });
    expect(checkToken({}, 'abc')).toMatchObject({ ok: false, status: 401 });
    expect(checkToken({ 'x-hamstudio-token': 'abd' }, 'abc')).toMatchObject({ ok: false, status: 401 });
    expect(checkToken({ 'x-hamstudio-token': 'ab' }, 'abc')).toMatchObject({ ok: false, status: 401 });
  });
});

describe('server', () => {
  let base: string;
  let server: RunningServer;
  const services = { listModels: vi.fn(async () => []) } as unknown as HamStudioApi;

  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-server-'));
    const dir = path.join(base, 'dist');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(base, 'secret.txt'), 'secret');
    server = await startServer({ services, rendererDir: dir });
  });

  afterAll(async () => {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  });

  const api = (method: string, headers: Record<string, string> = {}, body = '{}') => fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body,
  });

  /** fetch may not set Host (a forbidden header), so a DNS-rebinding request is made with node:http. */
  const withHost = (host: string) => new Promise<number>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: server.port, path: '/api/listModels', method: 'POST',
      headers: { Host: host, 'Content-Type': 'application/json', 'X-Hamstudio-Token': server.token },
    }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });

  it('prints a loopback URL with the token in the hash', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
  });

  it('answers API calls that carry the token', async () => {
    const res = await api('listModels', { 'X-Hamstudio-Token': server.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: [] });
  });

  it('refuses calls without the token (401) or from another origin (403)', async () => {
    expect((await api('listModels')).status).toBe(401);
    expect((await api('listModels', { 'X-Hamstudio-Token': 'wrong' })).status).toBe(401);
    expect((await api('listModels', { 'X-Hamstudio-Token': server.token, Origin: 'http://evil.example' })).status).toBe(403);
    expect(await withHost(`attacker.example:${server.port}`)).toBe(403);
    expect(await withHost(`localhost:${server.port}`)).toBe(200);
    expect((await api('listModels', { 'X-Hamstudio-Token': server.token, 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  it('turns a malformed body into E_INPUT', async () => {
    const res = await api('listModels', { 'X-Hamstudio-Token': server.token }, '{not json');
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'E_INPUT' } });
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<title>t<\/title>/);
    for (const p of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/../secret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await fetch(`http://127.0.0.1:${server.port}${p}`);
      expect(await res.text()).not.toBe('secret');
    }
  });
});
