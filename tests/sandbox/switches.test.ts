// The runtime switches that let client tests meet throttling, outages, dropped connections, slow
// answers, skewed clocks and short-lived credentials; and the request log they count with.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { makeTestPki, type TestPki } from './test-pki';
import { callCreateSession, startTestSandbox, type CreateSessionBody } from './sandbox-helpers';

let pki: TestPki;
let sandbox: Sandbox;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki);
});
afterAll(() => sandbox.stop());
afterEach(() => {
  Object.assign(sandbox.switches, { latencyMs: 0, throttleNext: 0, failNext: 0, dropNext: 0, shortLivedSeconds: undefined, clockSkewMs: 0, createSessionsPerSecond: undefined });
  sandbox.requests.clear();
});

describe('switches', () => {
  it('throttleNext answers that many requests with 429 ThrottlingException, then serves again', async () => {
    sandbox.switches.throttleNext = 2;
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await callCreateSession(sandbox, pki));
    expect(responses.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(responses[0]?.headers['x-amzn-errortype']).toMatch(/^ThrottlingException:/);
    expect(responses[0]?.json()).toEqual({ message: 'Rate exceeded' });
  });

  it('failNext answers 500 InternalServerException', async () => {
    sandbox.switches.failNext = 1;
    const failed = await callCreateSession(sandbox, pki);
    expect(failed.status).toBe(500);
    expect(failed.headers['x-amzn-errortype']).toMatch(/^InternalServerException:/);
    expect((await callCreateSession(sandbox, pki)).status).toBe(201);
  });

  it('dropNext destroys the connection without an answer', async () => {
    sandbox.switches.dropNext = 1;
    await expect(callCreateSession(sandbox, pki)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await callCreateSession(sandbox, pki)).status).toBe(201);
    expect(sandbox.requests.count('CreateSession', 'dropped')).toBe(1);
  });

  it('latencyMs delays each answer', async () => {
    sandbox.switches.latencyMs = 250;
    const started = performance.now();
    expect((await callCreateSession(sandbox, pki)).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('shortLivedSeconds makes issued credentials expire after that many seconds', async () => {
    sandbox.switches.shortLivedSeconds = 5;
    const before = sandbox.now();
    const response = await callCreateSession(sandbox, pki);
    const expiration = Date.parse(response.json<CreateSessionBody>().credentialSet[0]?.credentials.expiration ?? '');
    expect(expiration - before).toBeGreaterThan(3_000);
    expect(expiration - before).toBeLessThanOrEqual(6_000);
  });

  it('clockSkewMs moves the service clock so a correct client looks 10 minutes late', async () => {
    const clientTime = new Date(Date.now());
    sandbox.switches.clockSkewMs = 10 * 60 * 1000;
    const response = await callCreateSession(sandbox, pki, { sign: { date: clientTime } });
    expect(response.status).toBe(403);
    expect(response.json<{ message: string }>().message).toMatch(/^Signature expired:/);
  });

  it('createSessionsPerSecond throttles a burst beyond the limit within one second of service clock', async () => {
    const frozen = Date.now();
    const still = await startTestSandbox(pki, { clock: () => frozen });
    try {
      still.switches.createSessionsPerSecond = 3;
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await callCreateSession(still, pki)).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
    } finally {
      await still.stop();
    }
  });

  it('faults leave STS alone', async () => {
    sandbox.switches.failNext = 1;
    const response = await fetch(sandbox.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(response.status).toBe(403);
    expect(sandbox.switches.failNext).toBe(1);
  });
});

describe('the request log', () => {
  it('reports each request to onRequest as it is answered', async () => {
    const seen: string[] = [];
    const watched = await startTestSandbox(pki, { onRequest: (record) => seen.push(`${record.operation} ${record.status}`) });
    try {
      await callCreateSession(watched, pki);
      await fetch(`${watched.url}/profiles`);
      expect(seen).toEqual(['CreateSession 201', 'ListProfiles 403']);
    } finally {
      await watched.stop();
    }
  });

  it('records operation, status, time and the failed check of every request', async () => {
    const start = sandbox.now();
    await callCreateSession(sandbox, pki);
    await callCreateSession(sandbox, pki, { sign: { ecdsaRaw: true } });
    await fetch(`${sandbox.url}/trustanchors`);
    expect(sandbox.requests.count('CreateSession')).toBe(2);
    expect(sandbox.requests.count('CreateSession', 201)).toBe(1);
    expect(sandbox.requests.count('ListTrustAnchors', 403)).toBe(1);
    const [ok, bad] = sandbox.requests.entries;
    expect(ok?.accessKeyId).toMatch(/^ASIA/);
    expect(ok?.at).toBeGreaterThanOrEqual(start);
    expect(bad).toMatchObject({ operation: 'CreateSession', status: 403, code: 'AccessDeniedException', reason: 'SIGNATURE_MISMATCH' });
  });
});
