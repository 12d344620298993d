// Serves the built renderer over HTTP on 127.0.0.1: Chromium refuses module scripts over file://.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDERER_DIR = resolve(fileURLToPath(new URL('../../../out/renderer', import.meta.url)));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ServedRenderer {
  /** http://127.0.0.1:PORT/ — the renderer's index.html. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveRenderer(root: string = RENDERER_DIR): Promise<ServedRenderer> {
  const index = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!index) throw new Error(`No renderer build in ${root}: run \`npx electron-vite build\` first.`);

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const refuse = (status: number) => response.writeHead(status, { 'Content-Type': 'text/plain' }).end(String(status));
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    if (!file.startsWith(root + sep)) return refuse(403);
    stat(file).then(
      (info) => {
        if (!info.isFile()) return refuse(404);
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          'Cache-Control': 'no-store',
        });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).pipe(response);
      },
      () => refuse(404),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
