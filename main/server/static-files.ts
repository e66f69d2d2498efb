/** The built renderer (renderer/dist) served read-only: no path leaves the folder, unknown paths get index.html. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  const target = path.extname(file) === '' ? path.join(root, 'index.html') : file;
  try {
    return { body: await readFile(target), type: TYPES[path.extname(target)] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}
