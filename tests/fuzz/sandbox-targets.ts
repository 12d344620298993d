// Fuzz of the sandbox's request parsing (routing, canonical request, the X.509 and HMAC verifiers)
// over real HTTP: valid CreateSession and STS requests signed by the tests' own signer, then damaged
// (headers changed, dropped, repeated or added, Authorization cut, query, path, method and body
// replaced) and written raw to the socket, so even what node's HTTP client refuses to send arrives.
// Every answer must be a 2xx or an AWS-shaped 4xx, never a 5xx from a crash, never a hang.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import type { RawRequest } from '../../src/sandbox/canonical';
import type { Sandbox } from '../../src/sandbox/server';
import { parseCertificates } from '../../src/core/pki';
import { PROFILE_ARN, ROLE_ARN, startFuzzSandbox, TRUST_ANCHOR_ARN } from './fixture-sandbox';
import { signCreateSession, signHmac } from '../sandbox/test-signer';
import { defineTarget, FuzzViolation, withDeadline, type AnyFuzzTarget } from './harness';
import { repoRoot } from './paths';

const CASE_LIMIT_MS = 5000;

interface WireRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** Content-Length as sent; undefined: computed from the body. */
  readonly contentLength?: string;
}

type Change =
  | { readonly kind: 'header-value'; readonly index: number; readonly value: string }
  | { readonly kind: 'header-drop'; readonly index: number }
  | { readonly kind: 'header-repeat'; readonly index: number; readonly value: string }
  | { readonly kind: 'header-add'; readonly name: string; readonly value: string }
  | { readonly kind: 'authorization'; readonly at: number; readonly cut: number; readonly insert: string }
  | { readonly kind: 'target'; readonly value: string }
  | { readonly kind: 'query'; readonly value: string }
  | { readonly kind: 'method'; readonly value: string }
  | { readonly kind: 'body'; readonly value: Buffer }
  | { readonly kind: 'content-length'; readonly value: string };

// Header values as hostile clients write them: no CR or LF (that would be another header, which the
// header-add change covers), everything else allowed, including bytes node's client refuses.
const headerText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '=', '/', ';', ':', '\t', '"', '\u00ff', '\u0000', '-', '+', 'AWS4-X509-RSA-SHA256', 'Credential=', 'SignedHeaders=', 'Signature='), maxLength: 40 }),
  fc.constantFrom('', ' ', '20261121T000000Z', '19700101T000000Z', 'x'.repeat(20_000), 'MIIB', '====', 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00'),
);
const headerName = fc.oneof(fc.constantFrom('X-Amz-Date', 'X-Amz-X509', 'X-Amz-X509-Chain', 'Authorization', 'Host', 'Content-Type', 'X-Amz-Security-Token', 'Transfer-Encoding', 'Expect', 'x-amz-content-sha256'), fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/));
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('header-value' as const), index: fc.nat(), value: headerText }),
  fc.record({ kind: fc.constant('header-drop' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('header-repeat' as const), index: fc.nat(), value: headerText }),
  fc.record({ kind: fc.constant('header-add' as const), name: headerName, value: headerText }),
  fc.record({ kind: fc.constant('authorization' as const), at: fc.nat(), cut: fc.integer({ min: 0, max: 40 }), insert: headerText }),
  fc.record({ kind: fc.constant('target' as const), value: fc.oneof(fc.constantFrom('/', '/sessions', '/trustanchors', '/profiles', '//sessions', '/sessions/', '/%zz', '/a/../sessions', '*'), fc.stringMatching(/^\/[!-~]{0,30}$/)) }),
  fc.record({ kind: fc.constant('query' as const), value: fc.oneof(fc.constantFrom('', 'a', '=', '&&', 'profileArn=%', 'roleArn', 'Action=GetCallerIdentity&Version=2011-06-15', 'nextToken=x&pageSize=-1', 'pageSize=1e9'), fc.stringMatching(/^[!-~]{0,60}$/)) }),
  fc.record({ kind: fc.constant('method' as const), value: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'FOO') }),
  fc.record({ kind: fc.constant('body' as const), value: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? '')),
    fc.constantFrom('{"durationSeconds":900}', '{"durationSeconds":"3600"}', '{"durationSeconds":1e309}', '{"roleSessionName":"a b"}', '{', 'Action=GetCallerIdentity&Version=2011-06-15', 'Action=AssumeRole').map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  ) }),
  fc.record({ kind: fc.constant('content-length' as const), value: fc.constantFrom('0', '-1', 'abc', '99999999999999999999', '1, 2') }),
);

function apply(request: WireRequest, changes: readonly Change[]): WireRequest {
  let { method, target } = request;
  let headers = [...request.headers];
  let { body } = request;
  let contentLength = request.contentLength;
  for (const current of changes) {
    const index = headers.length === 0 ? 0 : 'index' in current ? current.index % headers.length : 0;
    switch (current.kind) {
      case 'header-value':
        if (headers[index]) headers[index] = [headers[index][0], current.value];
        break;
      case 'header-drop':
        headers = headers.filter((_header, position) => position !== index);
        break;
      case 'header-repeat':
        if (headers[index]) headers.push([headers[index][0], current.value]);
        break;
      case 'header-add':
        headers.push([current.name, current.value]);
        break;
      case 'authorization':
        headers = headers.map(([name, value]) => {
          if (name.toLowerCase() !== 'authorization') return [name, value];
          const at = current.at % (value.length + 1);
          return [name, value.slice(0, at) + current.insert + value.slice(at + current.cut)];
        });
        break;
      case 'target': {
        const query = target.indexOf('?');
        target = current.value + (query < 0 ? '' : target.slice(query));
        break;
      }
      case 'query': {
        const query = target.indexOf('?');
        target = `${query < 0 ? target : target.slice(0, query)}${current.value === '' ? '' : `?${current.value}`}`;
        break;
      }
      case 'method':
        method = current.value;
        break;
      case 'body':
        body = current.value;
        break;
      case 'content-length':
        contentLength = current.value;
        break;
    }
  }
  return { method, target, headers, body, ...(contentLength === undefined ? {} : { contentLength }) };
}

function toWire(request: RawRequest): WireRequest {
  return { method: request.method, target: request.query === '' ? request.path : `${request.path}?${request.query}`, headers: request.headers, body: Buffer.from(request.body) };
}

interface RawAnswer {
  readonly status: number | undefined;
  readonly headers: string;
  readonly body: string;
}

/** Writes the request bytes as they are and reads until the server closes. */
function sendRaw(port: number, request: WireRequest): Promise<RawAnswer> {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  lines.push(`Content-Length: ${request.contentLength ?? String(request.body.length)}`, 'Connection: close');
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), headers: split < 0 ? text : text.slice(0, split), body: split < 0 ? '' : text.slice(split + 4) });
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.end(Buffer.concat([head, request.body]));
  });
}

function assertAwsShaped(request: WireRequest, answer: RawAnswer): void {
  if (answer.status === undefined) {
    // A body shorter than its declared length: the server cannot know the request ended, and hangs up.
    const declared = Number(request.contentLength ?? request.body.length);
    if (request.contentLength !== undefined && !(Number.isFinite(declared) && declared === request.body.length)) return;
    throw new FuzzViolation('the sandbox closed the connection without an answer');
  }
  if (answer.status >= 500) throw new FuzzViolation(`the sandbox answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  if (answer.status < 400) return;
  // node's HTTP parser refuses malformed requests itself (400, no body) before the sandbox sees them.
  // An answer to HEAD has no body by HTTP's rules.
  if (!/x-amzn-RequestId/i.test(answer.headers) || request.method === 'HEAD') return;
  const shaped = /"message"\s*:/.test(answer.body) || /<Error>[\s\S]*<Code>/.test(answer.body);
  if (!shaped) throw new FuzzViolation(`a ${answer.status} that is not AWS-shaped: ${answer.body.slice(0, 300)}`);
}

export async function openSandboxTarget(): Promise<{ target: AnyFuzzTarget; statuses: ReadonlyMap<string, number>; close(): Promise<void> }> {
  const fixtures = join(repoRoot(), 'tests', 'fixtures', 'pki');
  const [leaf] = parseCertificates(readFileSync(join(fixtures, 'leaf-ec-p256.cert.pem')));
  const [intermediate] = parseCertificates(readFileSync(join(fixtures, 'intermediate-ca.cert.pem')));
  if (!leaf || !intermediate) throw new Error('fixtures missing');
  const privateKey = createPrivateKey(readFileSync(join(fixtures, 'leaf-ec-p256.key.pkcs8.pem')));
  const sandbox: Sandbox = await startFuzzSandbox();
  const host = new URL(sandbox.url).host;
  const createSession = () => toWire(signCreateSession({
    host,
    params: { profileArn: PROFILE_ARN, roleArn: ROLE_ARN, trustAnchorArn: TRUST_ANCHOR_ARN },
    certificateDer: leaf.der,
    chainDer: [intermediate.der],
    privateKey,
    date: new Date(sandbox.now()),
    scopeSerial: leaf.serialDecimal,
  }));
  // Credentials for the STS requests: one real CreateSession.
  const issued = await sendRaw(sandbox.port, createSession());
  const credentials = (JSON.parse(issued.body) as { credentialSet: { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }[] }).credentialSet[0]?.credentials;
  if (issued.status !== 201 || !credentials) throw new Error(`the sandbox did not issue credentials: ${issued.status}`);
  const sts = () => toWire(signHmac({
    method: 'POST',
    host,
    path: '/',
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    region: 'us-east-1',
    service: 'sts',
    date: new Date(sandbox.now()),
  }));
  const list = () => toWire(signHmac({ method: 'GET', host, path: '/trustanchors', query: 'pageSize=10', accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken, region: 'us-east-1', service: 'rolesanywhere', date: new Date(sandbox.now()) }));

  const statuses = new Map<string, number>();
  const target = defineTarget({
    name: 'sandbox: damaged CreateSession, list and STS requests over HTTP',
    arbitrary: fc.tuple(fc.constantFrom('CreateSession', 'ListTrustAnchors', 'GetCallerIdentity'), fc.array(change, { minLength: 0, maxLength: 4 })),
    async check([kind, changes]) {
      const base = kind === 'CreateSession' ? createSession() : kind === 'GetCallerIdentity' ? sts() : list();
      const request = apply(base, changes);
      const answer = await withDeadline(sendRaw(sandbox.port, request), CASE_LIMIT_MS, 'the sandbox answer');
      const key = `${kind} ${answer.status ?? 'closed'}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      assertAwsShaped(request, answer);
      // An undamaged request must succeed: otherwise the fuzz would only be testing refusals.
      if (changes.length === 0 && answer.status !== 200 && answer.status !== 201) throw new FuzzViolation(`an undamaged ${kind} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    },
  });
  return { target, statuses, close: () => sandbox.stop() };
}
