import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport, type NodeTransport } from '../../../src/core/platform/node-transport';
import type { HttpRequest, HttpTransport } from '../../../src/core/platform/transport';
import { backoffDelay, createSession, MAX_ATTEMPTS, prepareCreateSession, type CreateSessionRequest } from '../../../src/core/rolesanywhere';
import { keyObjectSigner } from '../../../src/core/signing';
import { VirtualClock } from '../../helpers/virtual-clock';
import { ecLeaf, readVector, VECTORS_DIR, vectorCa, vectorLeaf } from '../signing/test-keys';
import { awsError, startFakeRolesAnywhere, SUCCESS, type FakeRolesAnywhere, type Reply } from './fake-rolesanywhere';
import { checkAuthorization } from './verify-authorization';

const TRUST_ANCHOR = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555';
const ROLE = 'arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2';

let server: FakeRolesAnywhere | undefined;
let transport: NodeTransport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

async function setUp(replies: readonly Reply[]) {
  server = await startFakeRolesAnywhere(replies);
  transport = createNodeTransport();
  const leaf = vectorLeaf();
  const request: CreateSessionRequest = {
    trustAnchorArn: TRUST_ANCHOR,
    profileArn: PROFILE,
    roleArn: ROLE,
    endpoint: server.endpoint,
    certificateDer: leaf.der,
    serialDecimal: leaf.serialDecimal,
    signer: keyObjectSigner(leaf.key),
  };
  // createSession only sleeps (its backoff): that time passes at once, as real time still does for the deadlines.
  const clock = new VirtualClock({ start: Date.UTC(2024, 0, 2, 3, 4, 5), instantSleeps: true });
  const debug: string[] = [];
  return { server, leaf, request, clock, debug, deps: { transport, clock, onDebug: (line: string) => debug.push(line) } };
}

describe('createSession on the wire', () => {
  it('returns the first credential set of a 201 answer', async () => {
    const { request, deps } = await setUp([SUCCESS]);
    await expect(createSession(request, deps)).resolves.toEqual({
      accessKeyId: 'ASIAEXAMPLEKEYID0001',
      secretAccessKey: 'secret/Access+Key0123456789abcdefEXAMPLE',
      sessionToken: 'SESSION-TOKEN-EXAMPLE-0123456789',
      expiration: '2026-11-21T23:50:00Z',
      // The fake service's Date header.
      issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      roleArn: 'arn:aws:iam::123456789012:role/Dev',
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/Dev/1f71c5114a119fc0',
      sourceIdentity: 'CN=roles-anywhere-test-vector',
      subjectArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:subject/41d2a1a4-7c3e-4b52-9f0a-0a1b2c3d4e5f',
    });
  });

  it('sends POST /sessions with the strict query and the exact body bytes', async () => {
    const { server, request, deps } = await setUp([SUCCESS]);
    await createSession(request, deps);
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe(`/sessions?${readVector('v1-minimal.query.txt')}`);
    expect(sent?.body).toBe(readVector('v1-minimal.body.json'));
  });

  it('sends a body with the session name after the duration, as the reference client does', async () => {
    const { server, request, deps } = await setUp([SUCCESS]);
    await createSession({ ...request, durationSeconds: 900, roleSessionName: 'my-session' }, deps);
    expect(server.requests[0]?.body).toBe(readVector('v2-chain-sdkheaders.body.json'));
  });

  it('signs a request whose Authorization verifies with the certificate key, Host with its port included', async () => {
    const { server, leaf, request, deps } = await setUp([SUCCESS]);
    await createSession(request, deps);
    const [sent] = server.requests;
    if (!sent) throw new Error('no request recorded');
    const check = checkAuthorization(sent, createPublicKey(leaf.key));
    expect(check.valid).toBe(true);
    expect(check.algorithm).toBe('AWS4-X509-RSA-SHA256');
    expect(check.credential).toBe(`${leaf.serialDecimal}/20240102/us-east-1/rolesanywhere/aws4_request`);
    expect(check.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date', 'x-amz-x509']);
    expect(sent.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(sent.rawHeaders.filter((_, i) => i % 2 === 0 && sent.rawHeaders[i]?.toLowerCase() === 'host')).toHaveLength(1);
    expect(sent.headers['x-amz-date']).toBe('20240102T030405Z');
    expect(sent.headers['x-amz-x509']).toBe(leaf.der.toString('base64'));
    expect(sent.headers['x-amz-x509-chain']).toBeUndefined();
  });

  it('sends and signs the intermediates, and sends a User-Agent without signing it', async () => {
    const { server, leaf, request, deps } = await setUp([SUCCESS]);
    const ca = vectorCa();
    await createSession({ ...request, chainDer: [ca.der], userAgent: 'rolecall/0.1.0' }, deps);
    const [sent] = server.requests;
    if (!sent) throw new Error('no request recorded');
    expect(sent.headers['x-amz-x509-chain']).toBe(ca.der.toString('base64'));
    expect(sent.headers['user-agent']).toBe('rolecall/0.1.0');
    const check = checkAuthorization(sent, createPublicKey(leaf.key));
    expect(check.valid).toBe(true);
    expect(check.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date', 'x-amz-x509', 'x-amz-x509-chain']);
  });

  it('signs with ECDSA for an EC certificate', async () => {
    const { server, request, deps } = await setUp([SUCCESS]);
    const leaf = await ecLeaf('P-384', '01');
    await createSession({ ...request, certificateDer: leaf.der, serialDecimal: leaf.serialDecimal, signer: keyObjectSigner(leaf.key) }, deps);
    const [sent] = server.requests;
    if (!sent) throw new Error('no request recorded');
    const check = checkAuthorization(sent, leaf.certificate.publicKey);
    expect(check.algorithm).toBe('AWS4-X509-ECDSA-SHA256');
    expect(check.valid).toBe(true);
  });

  it('shows the canonical request, string to sign and status in debug lines, never the credentials', async () => {
    const { request, deps, debug } = await setUp([SUCCESS]);
    await createSession(request, deps);
    const text = debug.join('\n');
    expect(text).toContain('canonical request:\nPOST\n/sessions\n');
    expect(text).toContain('string to sign:\nAWS4-X509-RSA-SHA256\n20240102T030405Z\n');
    expect(text).toContain('HTTP 201');
    expect(text).not.toContain('secret/Access+Key');
    expect(text).not.toContain('SESSION-TOKEN');
    expect(text).not.toContain('ASIAEXAMPLE');
  });
});

describe('createSession errors', () => {
  it.each([
    ['an untrusted certificate', awsError(403, 'AccessDeniedException', 'Untrusted signing certificate'), 'UNTRUSTED_CERTIFICATE'],
    ['a bad signature', awsError(403, 'AccessDeniedException', 'Invalid signature'), 'INVALID_SIGNATURE'],
    ['a refused session name', awsError(403, 'AccessDeniedException', 'Not authorized to set roleSessionName'), 'SESSION_NAME_NOT_ACCEPTED'],
    ['any other denial', awsError(403, 'AccessDeniedException', 'Unable to assume role for arn:aws:iam::123456789012:role/Dev'), 'ACCESS_DENIED'],
    ['a missing profile', awsError(404, 'ResourceNotFoundException', 'Resource not found'), 'NOT_FOUND'],
    ['an expired certificate', awsError(403, 'AccessDeniedException', 'Signing certificate has expired (notAfter 2021-06-01T00:00:00.000Z)'), 'CERT_EXPIRED'],
    ['a certificate not yet valid', awsError(403, 'AccessDeniedException', 'Signing certificate is not yet valid (notBefore 2100-01-01T00:00:00.000Z)'), 'CERT_NOT_YET_VALID'],
    ['a foreign signing region', awsError(403, 'AccessDeniedException', "Credential should be scoped to a valid region, not 'eu-west-1'"), 'SIGNING_REGION_MISMATCH'],
    ['a clock off by more than 5 minutes', awsError(403, 'AccessDeniedException', 'Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z'), 'CLOCK_SKEW'],
    ['a revoked certificate', awsError(403, 'AccessDeniedException', 'Certificate revoked'), 'CERT_REVOKED'],
    ['a disabled trust anchor', awsError(403, 'AccessDeniedException', 'Trust anchor is disabled'), 'TRUST_ANCHOR_DISABLED'],
    ['a disabled profile', awsError(403, 'AccessDeniedException', 'Profile is disabled'), 'RA_PROFILE_DISABLED'],
    ['a missing trust anchor', awsError(404, 'ResourceNotFoundException', 'Trust anchor not found: arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/x'), 'TRUST_ANCHOR_MISSING'],
    ['a missing role', awsError(404, 'ResourceNotFoundException', 'Role not found: arn:aws:iam::123456789012:role/Nobody'), 'ROLE_MISSING'],
    ['a missing role whose name holds "Profile"', awsError(404, 'ResourceNotFoundException', 'Role not found: arn:aws:iam::123456789012:role/NotInTheProfile'), 'ROLE_MISSING'],
    ['a trust policy refusal of a role named like a cause', awsError(403, 'AccessDeniedException', 'Unable to assume role for arn:aws:iam::123456789012:role/RevokedExpiredNotACertificate'), 'ACCESS_DENIED'],
    ['a role the profile does not list', awsError(404, 'ResourceNotFoundException', 'Role arn:aws:iam::123456789012:role/X is not in profile arn:aws:rolesanywhere:us-east-1:123456789012:profile/y'), 'ROLE_NOT_IN_PROFILE'],
    ['an invalid request', awsError(400, 'ValidationException', 'durationSeconds exceeds the profile maximum'), 'VALIDATION'],
    ['an unknown error', awsError(409, 'ConflictException', 'Conflict'), 'SERVICE_ERROR'],
    ['an empty credential set', { status: 201, body: '{"credentialSet":[]}' }, 'EMPTY_CREDENTIALS'],
    ['a success that is not JSON', { status: 201, body: '<html>proxy login</html>' }, 'SERVICE_ERROR'],
  ] as const)('maps %s to %s, without retrying', async (_name, reply, code) => {
    const { server, request, deps } = await setUp([reply]);
    await expect(createSession(request, deps)).rejects.toMatchObject({ code });
    expect(server.requests).toHaveLength(1);
  });

  it('puts the service code and message in the detail', async () => {
    const { request, deps } = await setUp([awsError(403, 'AccessDeniedException', 'Untrusted signing certificate')]);
    await expect(createSession(request, deps)).rejects.toMatchObject({
      code: 'UNTRUSTED_CERTIFICATE',
      detail: 'HTTP 403 AccessDeniedException Untrusted signing certificate',
    });
  });

  it('reads the code from the JSON __type when the header is absent', async () => {
    const reply: Reply = { status: 404, body: JSON.stringify({ __type: 'com.amazonaws.rolesanywhere#ResourceNotFoundException', message: 'Profile not found' }) };
    const { request, deps } = await setUp([reply]);
    await expect(createSession(request, deps)).rejects.toMatchObject({ code: 'RA_PROFILE_MISSING', detail: 'HTTP 404 ResourceNotFoundException Profile not found' });
  });

  it('never quotes a success body, which holds the secret key', async () => {
    const incomplete = JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'TOPSECRET', sessionToken: '' } }] });
    const { request, deps } = await setUp([{ status: 201, body: incomplete }]);
    const error = await createSession(request, deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVICE_ERROR' });
    expect(JSON.stringify(error) + String(error)).not.toContain('TOPSECRET');
  });
});

describe('createSession retries', () => {
  it('retries throttling twice, re-signing each attempt with a new X-Amz-Date', async () => {
    const throttled = awsError(429, 'ThrottlingException', 'Rate exceeded');
    const { server, leaf, request, deps, clock } = await setUp([throttled, throttled, SUCCESS]);
    // Attempts a second apart: X-Amz-Date counts whole seconds.
    await expect(createSession(request, { ...deps, beforeAttempt: async () => void (await clock.sleep(1000)) })).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEKEYID0001' });
    expect(server.requests).toHaveLength(3);
    const dates = server.requests.map((r) => r.headers['x-amz-date']);
    const signatures = server.requests.map((r) => r.headers.authorization);
    expect(new Set(dates).size).toBe(3);
    expect(new Set(signatures).size).toBe(3);
    for (const sent of server.requests) expect(checkAuthorization(sent, createPublicKey(leaf.key)).valid).toBe(true);
    // A second before each of the three attempts, and a backoff before each of the two retries.
    expect(clock.sleeps).toHaveLength(3 + 2);
  });

  it('awaits beforeAttempt before every attempt, retries included, signs each only once it resolves, and releases each slot once its answer is in', async () => {
    const throttled = awsError(429, 'ThrottlingException', 'Rate exceeded');
    const { server, request, deps, clock } = await setUp([throttled, throttled, SUCCESS]);
    const slots: { sentBefore: number; grantedAt: number; answeredBefore?: number }[] = [];
    const beforeAttempt = async () => {
      // A slot that takes a minute to come: the request must carry the time after the wait.
      await clock.sleep(60_000);
      const slot: (typeof slots)[number] = { sentBefore: server.requests.length, grantedAt: clock.now() };
      slots.push(slot);
      return () => {
        slot.answeredBefore = server.requests.length;
      };
    };
    await expect(createSession(request, { ...deps, beforeAttempt })).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEKEYID0001' });
    expect(slots.map((slot) => slot.sentBefore)).toEqual([0, 1, 2]);
    // Each slot is released after its own request was answered and before the next one is sent.
    expect(slots.map((slot) => slot.answeredBefore)).toEqual([1, 2, 3]);
    expect(server.requests).toHaveLength(3);
    server.requests.forEach((sent, i) => {
      const amzDate = String(sent.headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
      // X-Amz-Date has whole seconds: the date is that of the grant or later.
      expect(Date.parse(amzDate)).toBeGreaterThanOrEqual(Math.floor(slots[i]!.grantedAt / 1000) * 1000);
    });
  });

  it('takes one slot for an answer that is not retried', async () => {
    const { server, request, deps } = await setUp([awsError(403, 'AccessDeniedException', 'Untrusted signing certificate')]);
    let slots = 0;
    await expect(createSession(request, { ...deps, beforeAttempt: async () => void (slots += 1) })).rejects.toMatchObject({ code: 'UNTRUSTED_CERTIFICATE' });
    expect(slots).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up with THROTTLED after three throttled attempts', async () => {
    const { server, request, deps, clock } = await setUp([awsError(429, 'ThrottlingException', 'Rate exceeded')]);
    await expect(createSession(request, deps)).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(clock.sleeps).toHaveLength(MAX_ATTEMPTS - 1);
  });

  it('retries a 5xx and gives up with SERVICE_UNAVAILABLE', async () => {
    const { server, request, deps } = await setUp([awsError(500, 'InternalServerException', 'Internal failure')]);
    await expect(createSession(request, deps)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
  });

  it('retries a dropped connection', async () => {
    const { server, request, deps } = await setUp(['drop', SUCCESS]);
    await expect(createSession(request, deps)).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEKEYID0001' });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up with TIMEOUT when the service never answers', async () => {
    const { server, request, deps } = await setUp(['hang']);
    await expect(createSession({ ...request, timeoutMs: 150 }, deps)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
  });

  it('abandons an attempt whose body drips at its deadline, counts it as TIMEOUT and goes on to the next attempt', async () => {
    const { server, request, deps, clock } = await setUp(['drip', SUCCESS]);
    const started = performance.now();
    await expect(createSession({ ...request, timeoutMs: 1000 }, deps)).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEKEYID0001' });
    const elapsed = performance.now() - started;
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(1800);
  });

  it('ends within attempts × deadline when every attempt drips', async () => {
    const { server, request, deps, debug } = await setUp(['drip']);
    const started = performance.now();
    await expect(createSession({ ...request, timeoutMs: 400 }, deps)).rejects.toMatchObject({ code: 'TIMEOUT', detail: 'no complete answer within the 400 ms request deadline' });
    // The virtual clock's backoff sleeps take no real time.
    expect(performance.now() - started).toBeLessThan(MAX_ATTEMPTS * 400 + 800);
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(debug.filter((line) => line.includes('failed with TIMEOUT'))).toHaveLength(MAX_ATTEMPTS - 1);
  });

  it('abandons an attempt at its deadline even when the transport never settles', async () => {
    const { request, clock } = await setUp([SUCCESS]);
    let attempts = 0;
    const stuck = () => {
      attempts += 1;
      return new Promise<never>(() => undefined);
    };
    const started = performance.now();
    await expect(createSession({ ...request, timeoutMs: 200 }, { transport: stuck, clock })).rejects.toMatchObject({
      code: 'TIMEOUT',
      detail: 'no complete answer within the 200 ms request deadline',
    });
    expect(attempts).toBe(MAX_ATTEMPTS);
    // Each attempt is given its deadline and a short grace for the transport to give up by itself.
    expect(performance.now() - started).toBeLessThan(MAX_ATTEMPTS * (200 + 250) + 600);
  });

  it('sends every attempt with a 30 s deadline by default and the 64 KiB answer cap', async () => {
    const { request, clock } = await setUp([SUCCESS]);
    const seen: HttpRequest[] = [];
    const recording: HttpTransport = async (sent) => {
      seen.push(sent);
      return { status: 500, headers: {}, body: '{}' };
    };
    await expect(createSession(request, { transport: recording, clock })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(seen.map(({ timeoutMs, maxResponseBytes }) => ({ timeoutMs, maxResponseBytes }))).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, () => ({ timeoutMs: 30_000, maxResponseBytes: 64 * 1024 })),
    );
    expect(prepareCreateSession(request).timeoutMs).toBe(30_000);
  });

  it('does not retry an answer larger than the cap', async () => {
    const { request, deps, clock } = await setUp([{ status: 201, headers: { 'content-type': 'application/json' }, body: `{"padding":"${'x'.repeat(70 * 1024)}"}` }]);
    await expect(createSession(request, deps)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(clock.sleeps).toEqual([]);
  });

  it('reports NETWORK when nothing listens on the endpoint', async () => {
    const { server, request, deps } = await setUp([SUCCESS]);
    const endpoint = server.endpoint;
    await server.close();
    await expect(createSession({ ...request, endpoint }, deps)).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('does not retry a TLS failure', async () => {
    const { request, deps, clock } = await setUp([SUCCESS]);
    let connections = 0;
    const tlsServer = createHttpsServer({ cert: readFileSync(`${VECTORS_DIR}leaf-cert.pem`), key: readFileSync(`${VECTORS_DIR}leaf-key.pkcs8.pem`) });
    tlsServer.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
      await expect(createSession({ ...request, endpoint }, deps)).rejects.toMatchObject({ code: 'TLS' });
      expect(connections).toBe(1);
      expect(clock.sleeps).toEqual([]);
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });

  it('waits a jittered, growing delay between attempts', async () => {
    const throttled = awsError(429, 'ThrottlingException', 'Rate exceeded');
    const { request, deps, clock } = await setUp([throttled]);
    await createSession(request, { ...deps, random: () => 0 }).catch(() => undefined);
    await createSession(request, { ...deps, random: () => 0.999 }).catch(() => undefined);
    const [low1, low2, high1, high2] = clock.sleeps;
    expect(low1).toBeLessThan(high1 ?? 0);
    expect(low2).toBeLessThan(high2 ?? 0);
    expect(low2).toBeGreaterThan(low1 ?? Infinity);
    expect(clock.sleeps).toEqual([backoffDelay(1, () => 0), backoffDelay(2, () => 0), backoffDelay(1, () => 0.999), backoffDelay(2, () => 0.999)]);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, keeps at least half its ceiling, and is capped', () => {
    const ceilings = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, () => 1));
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = ceilings[attempt - 1] ?? 0;
      expect(backoffDelay(attempt, () => 0)).toBe(Math.round(ceiling / 2));
    }
    expect(ceilings[1]).toBe(2 * (ceilings[0] ?? 0));
    expect(Math.max(...ceilings)).toBe(ceilings[11]);
    expect(ceilings[11]).toBe(ceilings[10]);
    expect(ceilings[11]).toBeLessThanOrEqual(5000);
  });
});

describe('createSession input checks', () => {
  const longChain = Array.from({ length: 6 }, (_, i) => Buffer.from([0x30, 0x01, i]));
  it.each([
    ['a malformed trust anchor ARN', { trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchors/x' }, 'ARN_INVALID', 'trust-anchors/x'],
    ['a profile ARN given as trust anchor', { trustAnchorArn: PROFILE }, 'ARN_INVALID', PROFILE],
    ['a malformed profile ARN', { profileArn: 'arn:aws:rolesanywhere:us-east-1:12345:profile/11111111-2222-3333-4444-555555555555' }, 'ARN_INVALID', ':12345:'],
    ['a malformed role ARN', { roleArn: 'arn:aws:iam::123456789012:user/Dev' }, 'ARN_INVALID', 'user/Dev'],
    ['profile and trust anchor in different regions', { profileArn: PROFILE.replace('us-east-1', 'eu-west-1') }, 'REGION_MISMATCH', 'eu-west-1'],
    ['a malformed region', { region: 'US East' }, 'REGION_INVALID', 'US East'],
    ['a duration below 900 s', { durationSeconds: 899 }, 'DURATION_INVALID', '899'],
    ['a duration above 43200 s', { durationSeconds: 43201 }, 'DURATION_INVALID', '43201'],
    ['a fractional duration', { durationSeconds: 1000.5 }, 'DURATION_INVALID', '1000.5'],
    ['a one-character session name', { roleSessionName: 'a' }, 'SESSION_NAME_INVALID', '"a"'],
    ['a session name with a space', { roleSessionName: 'my session' }, 'SESSION_NAME_INVALID', 'my session'],
    ['a 65-character session name', { roleSessionName: 'x'.repeat(65) }, 'SESSION_NAME_INVALID', 'x'.repeat(65)],
    ['plain http to a remote host', { endpoint: 'http://rolesanywhere.example.com' }, 'ENDPOINT_INVALID', 'rolesanywhere.example.com'],
    ['more than five intermediates', { chainDer: longChain }, 'CHAIN_TOO_LONG', '6'],
  ] as const)('refuses %s before sending anything', async (_name, change, code, named) => {
    const { server, request, deps } = await setUp([SUCCESS]);
    const error = await createSession({ ...request, ...change }, deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as { detail?: string }).detail).toContain(named);
    expect(server.requests).toHaveLength(0);
  });

  it('accepts the boundary durations and a 64-character session name', async () => {
    const { server, request, deps } = await setUp([SUCCESS]);
    await createSession({ ...request, durationSeconds: 900 }, deps);
    await createSession({ ...request, durationSeconds: 43200, roleSessionName: `a${'=,.@-+_'.repeat(9)}` }, deps);
    expect(server.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { durationSeconds: 900 },
      { durationSeconds: 43200, roleSessionName: `a${'=,.@-+_'.repeat(9)}` },
    ]);
  });

  it('signs for the region given instead of the trust anchor\'s', async () => {
    const { server, leaf, request, deps } = await setUp([SUCCESS]);
    await createSession({ ...request, region: 'eu-central-1' }, deps);
    const [sent] = server.requests;
    if (!sent) throw new Error('no request recorded');
    expect(checkAuthorization(sent, createPublicKey(leaf.key)).credential).toContain('/eu-central-1/rolesanywhere/');
  });
});
