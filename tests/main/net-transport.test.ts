// The app's transport over a real fetch (node's stands in for Electron's net.fetch, same shape) and
// real servers on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/core/platform/transport';
import { createFetchTransport } from '../../src/main/net-transport';
import { isRolecallError } from '../../src/shared/errors';
import { drippingServer, hugeServer, peakMemoryGrowth, RECOVERED_BODY, silentServer, type TestServer } from '../core/platform/misbehaving-servers';
import { pkiPath } from '../helpers/fixtures';

const servers: Server[] = [];
const misbehaving: TestServer[] = [];
afterEach(async () => {
  for (const server of misbehaving.splice(0)) await server.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function serve(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<number> {
  return listen(
    createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => answer(req, body, res));
    }),
  );
}

const transport = createFetchTransport((url, init) => fetch(url, init));

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isRolecallError(error)) throw new Error(`expected a RolecallError, got ${String(error)}`);
  return error;
}

describe('createFetchTransport', () => {
  it('sends method, headers and body as given and returns status, lowercased headers and body', async () => {
    const seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const port = await serve((req, body, res) => {
      Object.assign(seen, { method: req.method, headers: req.headers, body });
      res.writeHead(201, { 'X-Amzn-RequestId': 'abc', 'Content-Type': 'application/json' });
      res.end('{"credentialSet":[]}');
    });
    const response = await transport({
      method: 'POST',
      url: `http://127.0.0.1:${port}/sessions`,
      headers: { 'Content-Type': 'application/json', 'X-Amz-Date': '20300101T120000Z', Authorization: 'AWS4-X509-ECDSA-SHA256 Credential=1/20300101/us-east-1/rolesanywhere/aws4_request' },
      body: '{"durationSeconds":900}',
      timeoutMs: 5000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    });
    expect(response).toMatchObject({ status: 201, body: '{"credentialSet":[]}' });
    expect(response.headers['x-amzn-requestid']).toBe('abc');
    expect(response.headers['content-type']).toBe('application/json');
    expect(seen.method).toBe('POST');
    expect(seen.body).toBe('{"durationSeconds":900}');
    expect(seen.headers?.['x-amz-date']).toBe('20300101T120000Z');
    expect(seen.headers?.host).toBe(`127.0.0.1:${port}`);
    expect(seen.headers?.cookie).toBeUndefined();
  });

  it('returns error statuses as responses for the caller to read', async () => {
    const port = await serve((_req, _body, res) => {
      res.writeHead(429, { 'Content-Type': 'application/json' });
      res.end('{"message":"Rate exceeded"}');
    });
    await expect(transport({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES })).resolves.toMatchObject({ status: 429 });
  });

  it('does not follow a redirect with a signed request', async () => {
    let followed = false;
    const target = await serve((_req, _body, res) => {
      followed = true;
      res.end('{}');
    });
    const port = await serve((_req, _body, res) => {
      res.writeHead(307, { Location: `http://127.0.0.1:${target}/elsewhere` });
      res.end();
    });
    const error = await failure(transport({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }));
    expect(error.code).toBe('NETWORK');
    expect(followed).toBe(false);
  });

  it('reports a refused connection as NETWORK with the cause', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await failure(transport({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }));
    expect(error.code).toBe('NETWORK');
    expect(error.detail).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as TIMEOUT', async () => {
    const port = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(transport({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 200, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports an untrusted server certificate as TLS', async () => {
    const server = createHttpsServer({ cert: readFileSync(pkiPath('leaf-by-root.cert.pem')), key: readFileSync(pkiPath('leaf-by-root.key.pkcs8.pem')) }, (_req, res) => res.end('{}'));
    const port = await listen(server);
    const error = await failure(transport({ method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }));
    expect(error.code).toBe('TLS');
  });

  it('reads Chromium\'s net:: errors as TLS, TIMEOUT or NETWORK', async () => {
    const failing = (message: string) => createFetchTransport(() => Promise.reject(new TypeError(message)));
    const request = { method: 'GET', url: 'https://rolesanywhere.us-east-1.amazonaws.com/', headers: {}, timeoutMs: 5000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES } as const;
    expect((await failure(failing('net::ERR_CERT_AUTHORITY_INVALID')(request))).code).toBe('TLS');
    expect((await failure(failing('net::ERR_SSL_PROTOCOL_ERROR')(request))).code).toBe('TLS');
    expect((await failure(failing('net::ERR_CONNECTION_TIMED_OUT')(request))).code).toBe('TIMEOUT');
    expect((await failure(failing('net::ERR_PROXY_CONNECTION_FAILED')(request))).code).toBe('NETWORK');
    expect((await failure(failing('net::ERR_NAME_NOT_RESOLVED')(request))).detail).toBe('net::ERR_NAME_NOT_RESOLVED');
  });

  describe('limits on every exchange', () => {
    const SIXTY_MB = 60 * 1024 * 1024;
    const post = (url: string, timeoutMs = 5000) => ({ method: 'POST', url, headers: {}, body: '{}', timeoutMs, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }) as const;
    const track = <T extends TestServer>(server: T): T => {
      misbehaving.push(server);
      return server;
    };

    it('ends a body dripped one byte every 500 ms with TIMEOUT at the deadline, and then reaches the recovered server', async () => {
      const server = track(await drippingServer(500));
      const started = performance.now();
      const error = await failure(transport(post(server.url, 1000)));
      const elapsed = performance.now() - started;
      expect(error).toMatchObject({ code: 'TIMEOUT', detail: 'no complete answer within the 1 s request deadline' });
      expect(elapsed).toBeGreaterThanOrEqual(990);
      expect(elapsed).toBeLessThan(1500);
      server.recover();
      await expect(transport(post(server.url, 1000))).resolves.toMatchObject({ status: 201, body: RECOVERED_BODY });
    });

    it('ends with TIMEOUT at the deadline when the headers never come', async () => {
      const server = track(await silentServer());
      const error = await failure(transport(post(server.url, 300)));
      expect(error).toMatchObject({ code: 'TIMEOUT', detail: 'no complete answer within the 300 ms request deadline' });
    });

    it('refuses a 60 MB answer after reading at most 64 KiB of it, without the process growing by megabytes', async () => {
      const server = track(await hugeServer(SIXTY_MB));
      const { result, growthBytes } = await peakMemoryGrowth(() => transport(post(server.url)));
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && result.reason).toMatchObject({ code: 'RESPONSE_TOO_LARGE', detail: 'the answer is longer than the 65536-byte limit' });
      await server.abandoned;
      expect(server.written).toBeLessThan(SIXTY_MB / 4);
      expect(growthBytes).toBeLessThan(16 * 1024 * 1024);
    });

    it('refuses an answer whose Content-Length is above the limit before reading its body', async () => {
      const server = track(await hugeServer(SIXTY_MB, { declareLength: true }));
      const error = await failure(transport(post(server.url)));
      expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', detail: `the answer is longer than the 65536-byte limit (Content-Length ${SIXTY_MB})` });
      await server.abandoned;
    });

    it('releases the caller at the deadline even when the network stack ignores the abort', async () => {
      const deaf = createFetchTransport(() => new Promise<Response>(() => undefined));
      const stalledBody = createFetchTransport(async () => new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }), { status: 201 }));
      for (const stuck of [deaf, stalledBody]) {
        const started = performance.now();
        expect(await failure(stuck(post('https://rolesanywhere.us-east-1.amazonaws.com/sessions', 200)))).toMatchObject({ code: 'TIMEOUT' });
        expect(performance.now() - started).toBeLessThan(1000);
      }
    });
  });
});
