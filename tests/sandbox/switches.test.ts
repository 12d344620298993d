// The runtime switches that let client tests meet throttling, outages, dropped connections, slow,
// dripping, oversized and already-expired answers, skewed clocks and short-lived credentials, exactly
// ("the next n") or at random from a seed; and the request log they count with.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSwitches, type Sandbox } from '../../src/sandbox/server';
import { makeTestPki, type TestPki } from './test-pki';
import { arnsOf, callCreateSession, DEV_ROLE, startTestSandbox, type CreateSessionBody } from './sandbox-helpers';
import { signCreateSession } from './test-signer';

let pki: TestPki;
let sandbox: Sandbox;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki);
});
afterAll(() => sandbox.stop());
afterEach(() => {
  Object.assign(sandbox.switches, defaultSwitches());
  sandbox.requests.clear();
});

/** A signed CreateSession whose answer is handed over as it arrives, headers first. */
function openCreateSession(target: Sandbox): Promise<IncomingMessage> {
  const arns = arnsOf(target);
  const req = signCreateSession({
    host: new URL(target.url).host,
    params: { profileArn: arns.profileArn, roleArn: DEV_ROLE, trustAnchorArn: arns.trustAnchorArn },
    certificateDer: pki.ecLeaf.der,
    chainDer: [pki.intermediate.der],
    privateKey: pki.ecLeaf.key.privateKey,
    date: new Date(target.now()),
    scopeSerial: pki.ecLeaf.serialDecimal,
  });
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: `${req.path}?${req.query}`, agent: false }, resolve);
    outgoing.on('error', reject);
    for (const [name, value] of req.headers) outgoing.setHeader(name, value);
    outgoing.setHeader('Content-Length', String(req.body.length));
    outgoing.end(Buffer.from(req.body));
  });
}

function expirationOf(response: { json<T>(): T }): number {
  return Date.parse(response.json<CreateSessionBody>().credentialSet[0]?.credentials.expiration ?? '');
}

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

describe('answers that arrive badly', () => {
  it('expiringNext issues credentials already expired a minute ago, and the service records that expiry', async () => {
    sandbox.switches.expiringNext = 1;
    const before = sandbox.now();
    const stale = await callCreateSession(sandbox, pki);
    expect(stale.status).toBe(201);
    const expiration = expirationOf(stale);
    expect(expiration).toBeLessThan(before);
    expect(expiration).toBeGreaterThan(before - 62_000);
    const accessKeyId = stale.json<CreateSessionBody>().credentialSet[0]?.credentials.accessKeyId ?? '';
    expect(Math.floor((sandbox.issuedCredentials(accessKeyId)?.expiresAt ?? 0) / 1000) * 1000).toBe(expiration);
    expect(sandbox.requests.entries[0]).toMatchObject({ status: 201, faults: ['expiring'] });
    expect(expirationOf(await callCreateSession(sandbox, pki)) - before).toBeGreaterThan(3500_000);
  });

  it('expiringInSeconds gives answers that expire inside a refresh window instead', async () => {
    Object.assign(sandbox.switches, { expiringNext: 1, expiringInSeconds: 120 });
    const before = sandbox.now();
    const expiration = expirationOf(await callCreateSession(sandbox, pki));
    expect(expiration - before).toBeGreaterThan(118_000);
    expect(expiration - before).toBeLessThanOrEqual(121_000);
  });

  it('an answer fault waits for an answer that is served: a throttled or rejected request does not spend it', async () => {
    Object.assign(sandbox.switches, { throttleNext: 1, expiringNext: 1 });
    expect((await callCreateSession(sandbox, pki)).status).toBe(429);
    expect((await callCreateSession(sandbox, pki, { sign: { ecdsaRaw: true } })).status).toBe(403);
    expect(sandbox.switches.expiringNext).toBe(1);
    expect(expirationOf(await callCreateSession(sandbox, pki))).toBeLessThan(sandbox.now());
    expect(sandbox.switches.expiringNext).toBe(0);
  });

  it('dripNext sends the headers at once and then the body one byte per pause, until the client gives up', async () => {
    Object.assign(sandbox.switches, { dripNext: 1, dripByteMs: 100 });
    const started = performance.now();
    const response = await openCreateSession(sandbox);
    expect(response.statusCode).toBe(201);
    expect(performance.now() - started).toBeLessThan(1000);
    const declared = Number(response.headers['content-length']);
    expect(declared).toBeGreaterThan(1000);
    const arrived: number[] = [];
    response.on('data', (chunk: Buffer) => arrived.push(chunk.length));
    await new Promise((resolve) => setTimeout(resolve, 450));
    const bytes = arrived.reduce((sum, size) => sum + size, 0);
    expect(bytes).toBeGreaterThanOrEqual(2);
    expect(bytes).toBeLessThanOrEqual(5);
    response.destroy();
    expect(sandbox.requests.entries[0]).toMatchObject({ operation: 'CreateSession', status: 201, faults: ['drip'] });
    // The sandbox stopped dripping into the closed connection and serves the next caller at once.
    expect((await callCreateSession(sandbox, pki)).status).toBe(201);
  });

  it('a dripped answer is the whole answer when the client waits for it', async () => {
    Object.assign(sandbox.switches, { dripNext: 1, dripByteMs: 1 });
    const started = performance.now();
    const response = await callCreateSession(sandbox, pki);
    expect(performance.now() - started).toBeGreaterThanOrEqual(response.body.length);
    expect(response.json<CreateSessionBody>().credentialSet[0]?.credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('oversizedNext streams 60 MiB without a Content-Length: the real answer padded with JSON whitespace', async () => {
    sandbox.switches.oversizedNext = 1;
    const response = await openCreateSession(sandbox);
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-length']).toBeUndefined();
    let total = 0;
    let head = '';
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (head.length < 64) head += chunk.subarray(0, 64).toString('utf8');
      total += chunk.length;
    }
    expect(total).toBe(60 * 1024 * 1024);
    expect(head.startsWith('{"credentialSet":[')).toBe(true);
    expect(sandbox.requests.entries[0]).toMatchObject({ status: 201, faults: ['oversized'] });
  });

  it('an oversized answer stops when the client stops reading it', async () => {
    Object.assign(sandbox.switches, { oversizedNext: 1, oversizedBytes: 4 * 1024 * 1024 });
    const response = await openCreateSession(sandbox);
    let total = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > 64 * 1024) break;
    }
    expect(total).toBeLessThan(4 * 1024 * 1024);
    const next = await callCreateSession(sandbox, pki);
    expect(next.status).toBe(201);
    expect(next.headers['content-length']).toBe(String(next.body.length));
  });
});

describe('random faults from a seed', () => {
  async function statuses(target: Sandbox, count: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      try {
        const response = await callCreateSession(target, pki);
        seen.push(response.status === 201 && expirationOf(response) < target.now() ? 'expired' : String(response.status));
      } catch {
        seen.push('dropped');
      }
    }
    return seen;
  }

  it('the same seed gives the same faults in the same order; another seed gives others', async () => {
    const rates = { throttle: 0.2, fail: 0.2, drop: 0.1, expiring: 0.2 };
    Object.assign(sandbox.switches, { faultRates: rates, faultSeed: 7 });
    const first = await statuses(sandbox, 40);
    const again = await startTestSandbox(pki);
    try {
      Object.assign(again.switches, { faultRates: rates, faultSeed: 7 });
      expect(await statuses(again, 40)).toEqual(first);
      again.switches.faultSeed = 8;
      expect(await statuses(again, 40)).not.toEqual(first);
    } finally {
      await again.stop();
    }
    for (const outcome of ['201', '429', '500', 'dropped', 'expired']) expect(first).toContain(outcome);
    expect(sandbox.requests.count('CreateSession', 'dropped')).toBe(first.filter((s) => s === 'dropped').length);
  });

  it('a rate of 1 faults every Roles Anywhere request and a rate of 0 none, while counters still come first', async () => {
    Object.assign(sandbox.switches, { faultRates: { throttle: 1 }, failNext: 1 });
    expect(await statuses(sandbox, 3)).toEqual(['500', '429', '429']);
    sandbox.switches.faultRates = { throttle: 0 };
    expect(await statuses(sandbox, 2)).toEqual(['201', '201']);
  });

  it('each region is its own sandbox with its own switches: an outage in one leaves the other serving', async () => {
    const west = await startTestSandbox(pki, { region: 'eu-west-1' });
    try {
      sandbox.switches.faultRates = { fail: 1 };
      const arns = arnsOf(west);
      expect(arns.trustAnchorArn).toContain(':eu-west-1:');
      const answered = await callCreateSession(west, pki, { sign: { region: 'eu-west-1' } });
      expect(answered.status).toBe(201);
      expect((await callCreateSession(sandbox, pki)).status).toBe(500);
    } finally {
      await west.stop();
    }
  });
});

describe('the sandbox clock', () => {
  it('dates every answer and expiration by the clock it was given, not by the machine clock', async () => {
    // A day ahead of the machine, inside the test certificates' validity.
    const virtualNow = Math.floor(Date.now() / 1000) * 1000 + 86_400_000;
    const frozen = await startTestSandbox(pki, { clock: () => virtualNow });
    try {
      const response = await callCreateSession(frozen, pki);
      expect(response.status).toBe(201);
      expect(response.headers.date).toBe(new Date(virtualNow).toUTCString());
      expect(expirationOf(response)).toBe(virtualNow + 3600_000);
    } finally {
      await frozen.stop();
    }
  });

  it('waits out latency with the sleep it was given, so a virtual clock can drive it', async () => {
    const slept: number[] = [];
    const sleepy = await startTestSandbox(pki, { sleep: async (ms) => void slept.push(ms) });
    try {
      sleepy.switches.latencyMs = 90_000;
      expect((await callCreateSession(sleepy, pki)).status).toBe(201);
      expect(slept).toEqual([90_000]);
    } finally {
      await sleepy.stop();
    }
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
