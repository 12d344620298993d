import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeTransport, usesProxy, type NodeTransport } from '../../../src/core/platform/node-transport';
import { DEFAULT_MAX_RESPONSE_BYTES, type HttpRequest } from '../../../src/core/platform/transport';
import { isRolecallError, type RolecallError } from '../../../src/shared/errors';
import { drippingServer, hugeServer, peakMemoryGrowth, RECOVERED_BODY, silentServer } from './misbehaving-servers';
import { VECTORS_DIR } from '../signing/test-keys';

interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: string[];
  readonly body: string;
  readonly remotePort: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return (server.address() as AddressInfo).port;
}

async function recordingServer(answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => {
  res.writeHead(201, { 'X-Amzn-RequestId': 'abc', 'Content-Type': 'application/json' });
  res.end('{"ok":true}');
}) {
  const seen: Seen[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString(), remotePort: req.socket.remotePort ?? 0 });
      answer(req, res);
    });
  });
  return { seen, port: await listen(server) };
}

async function tunnellingProxy() {
  const tunnels: string[] = [];
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: IncomingMessage, clientSocket: import('node:net').Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  return { tunnels, port: await listen(proxy) };
}

function transport(options?: Parameters<typeof createNodeTransport>[0]): NodeTransport {
  const created = createNodeTransport(options);
  cleanups.push(() => created.close());
  return created;
}

describe('createNodeTransport', () => {
  it('sends the headers and body given, with Host taken from the URL including the port', async () => {
    const { seen, port } = await recordingServer();
    const response = await transport()({
      method: 'POST',
      url: `http://127.0.0.1:${port}/sessions?a=1`,
      headers: { 'Content-Type': 'application/json', 'X-Amz-Date': '20240102T030405Z' },
      body: '{"durationSeconds":3600}',
      timeoutMs: 5000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    });
    expect(response).toEqual({ status: 201, headers: expect.objectContaining({ 'x-amzn-requestid': 'abc' }), body: '{"ok":true}' });
    const [request] = seen;
    expect(request?.headers.host).toBe(`127.0.0.1:${port}`);
    expect(request?.rawHeaders.filter((name) => name.toLowerCase() === 'host')).toHaveLength(1);
    expect(request?.headers['x-amz-date']).toBe('20240102T030405Z');
    expect(request?.headers['content-length']).toBe('24');
    expect(request?.body).toBe('{"durationSeconds":3600}');
  });

  it('reuses one kept-alive connection across calls', async () => {
    const { seen, port } = await recordingServer();
    const send = transport();
    for (let i = 0; i < 3; i += 1) {
      await send({ method: 'POST', url: `http://127.0.0.1:${port}/sessions`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
      // undici returns a socket to the pool a tick after the body ends; real calls are never closer.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it('reports TIMEOUT when no answer comes in time', async () => {
    const { port } = await recordingServer(() => undefined);
    const started = performance.now();
    await expect(transport()({ method: 'POST', url: `http://127.0.0.1:${port}/sessions`, headers: {}, body: '{}', timeoutMs: 100, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports NETWORK when the connection is refused or dropped', async () => {
    const { port } = await recordingServer((req) => req.socket.destroy());
    await expect(transport()({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES })).rejects.toMatchObject({ code: 'NETWORK' });
    const closed = createHttpServer();
    const closedPort = await listen(closed);
    closed.close();
    await expect(transport()({ method: 'POST', url: `http://127.0.0.1:${closedPort}/x`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES })).rejects.toMatchObject({
      code: 'NETWORK',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('reports TLS for an unverifiable certificate, and connects when verification is off', async () => {
    const server = createHttpsServer(
      { cert: readFileSync(`${VECTORS_DIR}leaf-cert.pem`), key: readFileSync(`${VECTORS_DIR}leaf-key.pkcs8.pem`) },
      (_req, res) => res.end('tls ok'),
    );
    const port = await listen(server);
    const request = { method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES } as const;
    await expect(transport()(request)).rejects.toMatchObject({ code: 'TLS' });
    await expect(transport({ verifyTls: false })(request)).resolves.toMatchObject({ status: 200, body: 'tls ok' });
  });

  describe('proxies', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });

    it('goes through HTTP_PROXY only when asked to', async () => {
      const target = await recordingServer();
      const proxy = await tunnellingProxy();
      delete process.env.NO_PROXY;
      delete process.env.no_proxy;
      process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
      process.env.http_proxy = process.env.HTTP_PROXY;
      const request = { method: 'POST', url: `http://127.0.0.1:${target.port}/sessions`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES } as const;

      await transport()(request);
      expect(proxy.tunnels).toEqual([]);

      await transport({ useProxy: true })(request);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
      expect(target.seen).toHaveLength(2);
    });

    it('skips the proxy for hosts in NO_PROXY', async () => {
      const target = await recordingServer();
      const proxy = await tunnellingProxy();
      process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
      process.env.http_proxy = process.env.HTTP_PROXY;
      process.env.NO_PROXY = '127.0.0.1';
      process.env.no_proxy = '127.0.0.1';
      await transport({ useProxy: true })({ method: 'POST', url: `http://127.0.0.1:${target.port}/sessions`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
      expect(proxy.tunnels).toEqual([]);
      expect(target.seen).toHaveLength(1);
    });
  });
});

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const SIXTY_MB = 60 * 1024 * 1024;

async function failure(promise: Promise<unknown>): Promise<RolecallError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isRolecallError(error)) throw new Error(`expected a RolecallError, got ${String(error)}`);
  return error;
}

describe.each([
  { route: 'directly', useProxy: false },
  { route: 'through an HTTP proxy (undici)', useProxy: true },
])('limits on every exchange, $route', ({ useProxy }) => {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  let tunnels: string[] = [];
  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    if (!useProxy) return;
    const proxy = await tunnellingProxy();
    tunnels = proxy.tunnels;
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    process.env.http_proxy = process.env.HTTP_PROXY;
  });
  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    // Each exchange went the route this block is about.
    if (useProxy) expect(tunnels.length).toBeGreaterThan(0);
  });

  const post = (url: string, limits: Partial<Pick<HttpRequest, 'timeoutMs' | 'maxResponseBytes'>> = {}): HttpRequest => ({
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
    timeoutMs: 5000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    ...limits,
  });

  it('ends a body dripped one byte every 500 ms with TIMEOUT at the deadline, and then reaches the recovered server', async () => {
    const server = await drippingServer(500);
    cleanups.push(() => server.close());
    const send = transport({ useProxy });

    const started = performance.now();
    const error = await failure(send(post(server.url, { timeoutMs: 1000 })));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(error.detail).toBe('no complete answer within the 1 s request deadline');
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(1500);

    server.recover();
    await expect(send(post(server.url, { timeoutMs: 1000 }))).resolves.toMatchObject({ status: 201, body: RECOVERED_BODY });
    expect(server.requests).toBe(2);
  });

  it('ends with TIMEOUT at the deadline when the headers never come', async () => {
    const server = await silentServer();
    cleanups.push(() => server.close());
    const started = performance.now();
    const error = await failure(transport({ useProxy })(post(server.url, { timeoutMs: 300 })));
    expect(error).toMatchObject({ code: 'TIMEOUT', detail: 'no complete answer within the 300 ms request deadline' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a 60 MB answer after reading at most 64 KiB of it, without the process growing by megabytes', async () => {
    const server = await hugeServer(SIXTY_MB);
    cleanups.push(() => server.close());
    const send = transport({ useProxy });

    const { result, growthBytes } = await peakMemoryGrowth(() => send(post(server.url, { maxResponseBytes: 64 * 1024 })));
    expect(result.status).toBe('rejected');
    const error = result.status === 'rejected' ? (result.reason as RolecallError) : undefined;
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', detail: 'the answer is longer than the 65536-byte limit' });
    await server.abandoned;
    // What the server got into socket buffers before the client hung up; the client kept 64 KiB of it.
    expect(server.written).toBeLessThan(SIXTY_MB / 4);
    expect(growthBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses an answer whose Content-Length is above the limit before reading its body', async () => {
    const server = await hugeServer(SIXTY_MB, { declareLength: true });
    cleanups.push(() => server.close());
    const error = await failure(transport({ useProxy })(post(server.url)));
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', detail: `the answer is longer than the 65536-byte limit (Content-Length ${SIXTY_MB})` });
    await server.abandoned;
  });

  it('accepts an answer of exactly the limit', async () => {
    const server = await hugeServer(DEFAULT_MAX_RESPONSE_BYTES, { declareLength: true });
    cleanups.push(() => server.close());
    const response = await transport({ useProxy })(post(server.url));
    expect(response.body).toHaveLength(DEFAULT_MAX_RESPONSE_BYTES);
  });
});

describe('usesProxy', () => {
  it('follows HTTPS_PROXY / HTTP_PROXY in either case and ignores empty values', () => {
    expect(usesProxy({ HTTPS_PROXY: 'http://proxy:3128' })).toBe(true);
    expect(usesProxy({ http_proxy: 'http://proxy:3128' })).toBe(true);
    expect(usesProxy({ HTTPS_PROXY: '', NO_PROXY: '*' })).toBe(false);
    expect(usesProxy({})).toBe(false);
  });
});
