/**
 * Browser mode (DESIGN.md §2): the built renderer and the API on 127.0.0.1. GET serves the renderer's files;
 * POST /api/<method> with a JSON body and the token header calls the router and answers its envelope as JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HamStudioApi } from '../../core/contracts/api.ts';
import { createRouter } from './router.ts';
import { CSP } from './csp.ts';
import { checkOrigin, checkToken, newToken } from './security.ts';
import { readStaticFile } from './static-files.ts';

/** Largest request body: a structure text (validate.ts MAX_STRUCTURE_TEXT) plus JSON escaping. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;


export interface ServerOptions {
  services: HamStudioApi;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; default a fresh random one. */
  token?: string;
  onInternalError?: (e: unknown) => void;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The address to open: the token travels in the hash, which the browser never sends to any server. */
  url: string;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const route = createRouter(opts.services, opts.onInternalError);
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.onInternalError?.(e);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = checkOrigin(req.headers, port);
    if (!origin.ok) return send(res, origin.status, 'text/plain; charset=utf-8', origin.reason);
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST only');
      const auth = checkToken(req.headers, token);
      if (!auth.ok) return send(res, auth.status, 'text/plain; charset=utf-8', auth.reason);
      // Requiring JSON also forces a CORS preflight on any cross-site attempt, which this server never answers.
      if (!req.headers['content-type']?.startsWith('application/json')) return send(res, 415, 'text/plain; charset=utf-8', 'JSON only');
      const body = await readJson(req);
      const reply = body.ok ? await route(pathname.slice('/api/'.length), body.value) : body.reply;
      return send(res, 200, 'application/json', JSON.stringify(reply));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only');
    const file = await readStaticFile(opts.rendererDir, pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    res.setHeader('Content-Security-Policy', CSP);
    send(res, 200, file.type, req.method === 'HEAD' ? '' : file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

type BodyResult = { ok: true; value: unknown } | { ok: false; reply: { ok: false; error: { code: 'E_INPUT'; message: string } } };

async function readJson(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return inputError(`request larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return inputError('the request body is not valid JSON');
  }
}

function inputError(message: string): BodyResult {
  return { ok: false, reply: { ok: false, error: { code: 'E_INPUT', message } } };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
  res.end(body);
}
