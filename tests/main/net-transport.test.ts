// The app's transport over a real fetch (node's stands in for Electron's net.fetch, same shape) and
// real servers on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetchTransport } from '../../src/main/net-transport';
import { isRolecallError } from '../../src/shared/errors';
import { pkiPath } from '../helpers/fixtures';

const servers: Server[] = [];
afterEach(async () => {
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
    await expect(transport({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 5000 })).resolves.toMatchObject({ status: 429 });
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
    const error = await failure(transport({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 5000 }));
    expect(error.code).toBe('NETWORK');
    expect(followed).toBe(false);
  });

  it('reports a refused connection as NETWORK with the cause', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await failure(transport({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000 }));
    expect(error.code).toBe('NETWORK');
    expect(error.detail).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as TIMEOUT', async () => {
    const port = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(transport({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 200 }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports an untrusted server certificate as TLS', async () => {
    const server = createHttpsServer({ cert: readFileSync(pkiPath('leaf-by-root.cert.pem')), key: readFileSync(pkiPath('leaf-by-root.key.pkcs8.pem')) }, (_req, res) => res.end('{}'));
    const port = await listen(server);
    const error = await failure(transport({ method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000 }));
    expect(error.code).toBe('TLS');
  });

  it('reads Chromium\'s net:: errors as TLS, TIMEOUT or NETWORK', async () => {
    const failing = (message: string) => createFetchTransport(() => Promise.reject(new TypeError(message)));
    const request = { method: 'GET', url: 'https://rolesanywhere.us-east-1.amazonaws.com/', headers: {}, timeoutMs: 5000 } as const;
    expect((await failure(failing('net::ERR_CERT_AUTHORITY_INVALID')(request))).code).toBe('TLS');
    expect((await failure(failing('net::ERR_SSL_PROTOCOL_ERROR')(request))).code).toBe('TLS');
    expect((await failure(failing('net::ERR_CONNECTION_TIMED_OUT')(request))).code).toBe('TIMEOUT');
    expect((await failure(failing('net::ERR_PROXY_CONNECTION_FAILED')(request))).code).toBe('NETWORK');
    expect((await failure(failing('net::ERR_NAME_NOT_RESOLVED')(request))).detail).toBe('net::ERR_NAME_NOT_RESOLVED');
  });
});
