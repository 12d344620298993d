// The parts both local credential servers share: bind to 127.0.0.1 only, refuse requests addressed to
// any other host name, answer without caching.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RolecallError } from '../../shared/errors';

export const LOOPBACK = '127.0.0.1';

/**
 * A web page can point a DNS name it controls at 127.0.0.1 (DNS rebinding) and then call us as a
 * same-origin request, but its Host header still carries that name. Only the names SDKs accept for plain
 * http are let through, with our port or none.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(?:127\.0\.0\.1|localhost)(?::(\d{1,5}))?$/i.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) === port);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, {
    'content-type': 'text/plain',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** The request's decoded path without its query; undefined when its percent-encoding is malformed. */
export function pathOf(request: IncomingMessage): string | undefined {
  try {
    const target = (request.url ?? '').split('?')[0] ?? '';
    // Only origin-form targets: an absolute URL would be a request meant for a proxy.
    return target.startsWith('/') ? decodeURIComponent(target) : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on 127.0.0.1:`port` (0 picks a free one) and resolves with the port in use. */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      reject(new RolecallError('PORT_UNAVAILABLE', `${LOOPBACK}:${port} (${error.code ?? 'unknown error'})`, { cause: error }));
    };
    server.once('error', fail);
    server.listen({ port, host: LOOPBACK }, () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops listening and drops open keep-alive connections, so stop() does not wait for idle clients. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
