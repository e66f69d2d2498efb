/**
 * Who may call the browser-mode API: only a page served by this server (Host and Origin are this server's own,
 * which also defeats DNS rebinding) that knows the random token printed at start-up.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_HEADER = 'x-hamstudio-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Hosts under which this server is reached: 127.0.0.1 or localhost at its port. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Host must be ours; Origin, which browsers send with every POST, too (a tool without one may call). */
export function checkOrigin(headers: IncomingHttpHeaders, port: number): Verdict {
  const hosts = allowedHosts(port);
  if (!headers.host || !hosts.includes(headers.host)) return { ok: false, status: 403, reason: 'unexpected Host' };
  const origin = headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return { ok: false, status: 403, reason: 'request from another origin' };
  return { ok: true };
}

export function checkToken(headers: IncomingHttpHeaders, token: string): Verdict {
  const given = headers[TOKEN_HEADER];
  if (typeof given !== 'string') return { ok: false, status: 401, reason: 'missing token' };
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, status: 401, reason: 'wrong token' };
  return { ok: true };
}
