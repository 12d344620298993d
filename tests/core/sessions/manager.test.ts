// The session engine against the sandbox, on a virtual clock: real signing, real HTTP on 127.0.0.1,
// a real credentials file; only time is simulated, so hours of refresh cycles run in seconds.
import { describe, expect, it } from 'vitest';
import { MAX_WAKE_MS } from '../../../src/core/sessions/manager';
import { sessionAccount } from '../../../src/core/sessions/cache';
import { statusTrail, useRig, type Rig } from './session-rig';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const setUp = useRig();

/** The credentials the file holds for `name` are ones the sandbox issued and has not yet seen expire. */
async function fileHoldsLiveCredentials(r: Rig, name: string): Promise<boolean> {
  const accessKeyId = await r.delivery.accessKeyHeld(name);
  const issued = accessKeyId === undefined ? undefined : r.sandbox.issuedCredentials(accessKeyId);
  return issued !== undefined && issued.expiresAt > r.sandbox.now();
}

function createSessions(r: Rig): number {
  return r.sandbox.requests.count('CreateSession');
}

describe('SessionManager: activation and refresh cycles', () => {
  it('activates a profile: mints once, writes it to the credentials file and reports activating then active', async () => {
    const r = await setUp();
    const state = await r.manager.activate('dev');
    const accessKeyId = await r.delivery.accessKeyHeld('dev');
    const issued = r.sandbox.issuedCredentials(accessKeyId ?? '');
    expect(issued?.roleSessionName).toBe('dev');
    expect(createSessions(r)).toBe(1);
    expect(state).toMatchObject({
      name: 'dev',
      status: 'active',
      expiresAt: new Date(issued!.expiresAt).toISOString(),
      lastRefreshedAt: new Date(r.clock.now()).toISOString(),
      accessKeyIdMasked: `${accessKeyId!.slice(0, 4)}…${accessKeyId!.slice(-4)}`,
    });
    expect(state.lastError).toBeUndefined();
    // A 1-hour session refreshes 15 to 16.5 minutes before it expires.
    const nextRefresh = Date.parse(state.nextRefreshAt!);
    expect(issued!.expiresAt - nextRefresh).toBeGreaterThanOrEqual(15 * MINUTE);
    expect(issued!.expiresAt - nextRefresh).toBeLessThanOrEqual(16.5 * MINUTE);
    expect(statusTrail(r.events, 'dev')).toEqual(['activating', 'active']);
    expect(r.manager.state('never-seen')).toEqual({ name: 'never-seen', status: 'inactive' });
  });

  it('keeps short-lived sandbox credentials fresh for an hour of cycles: the file never holds expired credentials', async () => {
    const r = await setUp({ shortLivedSeconds: 30 });
    await Promise.all([r.manager.activate('dev'), r.manager.activate('ops')]);
    for (let elapsed = 0; elapsed < 60 * MINUTE; elapsed += SECOND) {
      await r.clock.advance(SECOND);
      expect(await fileHoldsLiveCredentials(r, 'dev')).toBe(true);
      expect(await fileHoldsLiveCredentials(r, 'ops')).toBe(true);
    }
    for (const name of ['dev', 'ops']) {
      const deliveries = r.delivery.deliveries(name);
      expect(deliveries.length).toBeGreaterThan(150);
      for (let i = 1; i < deliveries.length; i += 1) {
        // Each new session arrived before the one before it expired...
        expect(deliveries[i]!.at).toBeLessThan(Date.parse(deliveries[i - 1]!.expiration!));
        // ...after 75% of its 30 s (less up to 10% of the lead as jitter, and the service's
        // whole-second expiration), not sooner.
        const gap = deliveries[i]!.at - deliveries[i - 1]!.at;
        expect(gap).toBeGreaterThanOrEqual(21 * SECOND);
        expect(gap).toBeLessThanOrEqual(22.5 * SECOND);
      }
      expect(r.manager.state(name).status).toBe('active');
    }
    expect(createSessions(r)).toBe(r.delivery.deliveries().length);
    expect(r.sandbox.requests.entries.every((request) => request.status === 201)).toBe(true);
    expect(statusTrail(r.events, 'dev').slice(0, 4)).toEqual(['activating', 'active', 'refreshing', 'active']);
  });

  it('never hands a secret to the logger or into a state event', async () => {
    const r = await setUp({ shortLivedSeconds: 20 });
    await r.manager.activate('dev');
    await r.clock.advance(2 * MINUTE);
    const logged = r.logger.text();
    const events = JSON.stringify(r.events);
    expect(r.sandbox.allIssuedCredentials().length).toBeGreaterThan(5);
    for (const issued of r.sandbox.allIssuedCredentials()) {
      for (const secret of [issued.secretAccessKey, issued.sessionToken, issued.accessKeyId]) {
        expect(logged).not.toContain(secret);
        expect(events).not.toContain(secret);
      }
    }
  });

  it('does not refresh a profile whose auto-refresh is off: it is activated once and then expires', async () => {
    const r = await setUp({ shortLivedSeconds: 20, autoRefresh: (name) => name !== 'manual' });
    await r.manager.activate('manual');
    expect(r.manager.state('manual').nextRefreshAt).toBeUndefined();
    await r.clock.advance(5 * MINUTE);
    expect(createSessions(r)).toBe(1);
    expect(r.manager.state('manual').status).toBe('expired');
    expect(statusTrail(r.events, 'manual')).toEqual(['activating', 'active', 'expired']);
    // Asking for credentials still mints on demand, and the file follows.
    await r.manager.credentials('manual');
    expect(createSessions(r)).toBe(2);
    expect(await fileHoldsLiveCredentials(r, 'manual')).toBe(true);
    expect(r.manager.state('manual').status).toBe('active');
  });
});

describe('SessionManager: when Roles Anywhere fails', () => {
  it.each([
    ['failNext', 'SERVICE_UNAVAILABLE'],
    ['throttleNext', 'THROTTLED'],
    ['dropNext', 'NETWORK'],
  ] as const)('with %s: keeps the last good credentials until they expire, says failed then expired, and recovers', async (switchName, code) => {
    const r = await setUp({ shortLivedSeconds: 60 });
    await r.manager.activate('dev');
    const firstKey = await r.delivery.accessKeyHeld('dev');
    const firstExpiry = r.sandbox.issuedCredentials(firstKey!)!.expiresAt;
    r.sandbox.switches[switchName] = 1_000_000;

    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'failed', { maxMs: MINUTE });
    const failed = r.manager.state('dev');
    expect(failed.lastError?.code).toBe(code);
    expect(failed.expiresAt).toBe(new Date(firstExpiry).toISOString());
    const retryAt = Date.parse(failed.nextRefreshAt!);
    expect(retryAt).toBeGreaterThan(r.clock.now());
    expect(retryAt).toBeLessThan(firstExpiry);

    // Retries keep failing; the file keeps the last good credentials up to their expiry.
    while (r.clock.now() < firstExpiry - SECOND) {
      await r.clock.advance(SECOND / 2);
      expect(await r.delivery.accessKeyHeld('dev')).toBe(firstKey);
      expect(r.manager.state('dev').status).toMatch(/^(failed|refreshing)$/);
    }
    await r.clock.advanceUntil(() => r.clock.now() >= firstExpiry, { stepMs: 100 });
    // Between two attempts (not in the middle of one, whose own retries sleep on the clock).
    await r.clock.advanceUntil(() => r.manager.state('dev').nextRefreshAt !== undefined, { stepMs: 100 });
    const expired = r.manager.state('dev');
    expect(expired).toMatchObject({ status: 'expired', lastError: { code }, expiresAt: new Date(firstExpiry).toISOString() });
    expect(Date.parse(expired.nextRefreshAt!)).toBeGreaterThan(r.clock.now());
    expect(r.delivery.calls.filter((call) => call.operation === 'withdraw')).toEqual([]);
    const attempts = r.sandbox.requests.count('CreateSession');
    expect(attempts).toBeGreaterThan(3);

    r.sandbox.switches[switchName] = 0;
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'active', { maxMs: 10 * MINUTE });
    expect(await fileHoldsLiveCredentials(r, 'dev')).toBe(true);
    expect(await r.delivery.accessKeyHeld('dev')).not.toBe(firstKey);
    expect(r.manager.state('dev').lastError).toBeUndefined();
    expect(statusTrail(r.events, 'dev')).toEqual(expect.arrayContaining(['failed', 'expired', 'active']));
    const trail = statusTrail(r.events, 'dev');
    expect(trail.indexOf('expired')).toBeGreaterThan(trail.indexOf('failed'));
    expect(trail.lastIndexOf('active')).toBeGreaterThan(trail.indexOf('expired'));
  });

  it('after expiry retries at least every 45 s without growing, so a recovered service is used within the minute', async () => {
    const r = await setUp({ shortLivedSeconds: 60, random: () => 0.5 });
    await r.manager.activate('dev');
    r.sandbox.switches.failNext = 1_000_000;
    await r.clock.advance(2 * MINUTE);
    expect(r.manager.state('dev').status).toBe('expired');
    r.sandbox.requests.clear();
    await r.clock.advance(30 * MINUTE);
    // createSession itself tries 3 times per refresh; the manager's attempts are the first of each group.
    const attempts = r.sandbox.requests.entries.filter((_, i) => i % 3 === 0).map((request) => request.at);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(45 * SECOND + 5 * SECOND);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(22.5 * SECOND);
    // 30 minutes at about 34 s apart (the jittered cap plus createSession's own retries): no storm.
    expect(attempts.length).toBeGreaterThan(40);
    expect(attempts.length).toBeLessThan(60);
    r.sandbox.switches.failNext = 0;
    await r.clock.advance(MINUTE);
    expect(r.manager.state('dev').status).toBe('active');
  });

  it('does not retry an activation the service denies: the user has to fix something first', async () => {
    const r = await setUp();
    r.sandbox.config.profiles[0]!.enabled = false;
    await expect(r.manager.activate('dev')).rejects.toMatchObject({ code: 'RA_PROFILE_DISABLED' });
    const state = r.manager.state('dev');
    expect(state).toMatchObject({ status: 'failed', lastError: { code: 'RA_PROFILE_DISABLED' } });
    expect(state.nextRefreshAt).toBeUndefined();
    await r.clock.advance(30 * MINUTE);
    expect(createSessions(r)).toBe(1);
    expect(await r.delivery.accessKeyHeld('dev')).toBeUndefined();
    r.sandbox.config.profiles[0]!.enabled = true;
    await expect(r.manager.activate('dev')).resolves.toMatchObject({ status: 'active' });
  });

  it('keeps retrying an activation that failed for a passing reason, and delivers when it succeeds', async () => {
    const r = await setUp();
    r.sandbox.switches.throttleNext = 1_000_000;
    await expect(r.drive(r.manager.activate('dev'))).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(r.manager.state('dev')).toMatchObject({ status: 'failed', nextRefreshAt: expect.any(String) });
    r.sandbox.switches.throttleNext = 0;
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'active', { maxMs: 10 * MINUTE });
    expect(await fileHoldsLiveCredentials(r, 'dev')).toBe(true);
  });

  it('keeps refreshing a profile that worked even through a denial, until the denial is lifted', async () => {
    const r = await setUp({ shortLivedSeconds: 60 });
    await r.manager.activate('dev');
    r.sandbox.config.profiles[0]!.enabled = false;
    await r.clock.advance(2 * MINUTE);
    expect(r.manager.state('dev')).toMatchObject({ status: 'expired', lastError: { code: 'RA_PROFILE_DISABLED' }, nextRefreshAt: expect.any(String) });
    r.sandbox.config.profiles[0]!.enabled = true;
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'active', { maxMs: 10 * MINUTE });
  });

  it('retries a failed delivery with the session already minted, without minting again', async () => {
    const r = await setUp({ shortLivedSeconds: 60 });
    await r.manager.activate('dev');
    const firstKey = await r.delivery.accessKeyHeld('dev');
    r.delivery.failNext = 1;
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'failed', { maxMs: MINUTE });
    expect(r.manager.state('dev').lastError?.code).toBe('AWS_FILE_BUSY');
    expect(createSessions(r)).toBe(2);
    expect(await r.delivery.accessKeyHeld('dev')).toBe(firstKey);
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'active', { maxMs: MINUTE });
    expect(createSessions(r)).toBe(2);
    const minted = r.sandbox.requests.entries[1]!.accessKeyId;
    expect(await r.delivery.accessKeyHeld('dev')).toBe(minted);
  });
});

describe('SessionManager: sleep, resume and clock jumps', () => {
  it('re-checks every profile at once when the host reports a resume', async () => {
    const r = await setUp();
    const names = ['a1', 'b2', 'c3'];
    for (const name of names) await r.manager.activate(name);
    r.sandbox.requests.clear();
    // Two hours asleep: the monotonic clock stood still, no timer fired.
    r.clock.jumpWall(2 * 60 * MINUTE);
    expect(names.map((name) => r.manager.state(name).status)).toEqual(['expired', 'expired', 'expired']);
    r.manager.recheck();
    await r.clock.advance(0);
    const requests = r.sandbox.requests.entries;
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.at)).size).toBe(1);
    for (const name of names) {
      expect(r.manager.state(name).status).toBe('active');
      expect(await fileHoldsLiveCredentials(r, name)).toBe(true);
    }
  });

  it('notices a resume by itself within a minute, comparing wall and monotonic time', async () => {
    const r = await setUp();
    for (const name of ['a1', 'b2']) await r.manager.activate(name);
    r.sandbox.requests.clear();
    const resumedAt = r.clock.now() + 3 * 60 * MINUTE;
    r.clock.jumpWall(3 * 60 * MINUTE);
    await r.clock.advance(MAX_WAKE_MS);
    expect(r.sandbox.requests.count('CreateSession')).toBe(2);
    expect(r.sandbox.requests.entries.every((request) => request.at <= resumedAt + MAX_WAKE_MS)).toBe(true);
    expect(r.logger.entries.some((entry) => entry.message.startsWith('clock jump or resume detected'))).toBe(true);
    expect(await fileHoldsLiveCredentials(r, 'a1')).toBe(true);
  });

  it('refreshes at once when the wall clock jumps into the refresh window but not past expiry', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const firstKey = await r.delivery.accessKeyHeld('dev');
    r.clock.jumpWall(50 * MINUTE);
    expect(r.manager.state('dev').status).toBe('active');
    await r.clock.advance(MAX_WAKE_MS);
    expect(createSessions(r)).toBe(2);
    expect(await r.delivery.accessKeyHeld('dev')).not.toBe(firstKey);
  });
});

describe('SessionManager: concurrency and the rate limit', () => {
  it('answers 50 concurrent credential requests with exactly one CreateSession', async () => {
    const r = await setUp();
    const all = await Promise.all(Array.from({ length: 50 }, () => r.manager.credentials('dev')));
    expect(r.sandbox.requests.count('CreateSession')).toBe(1);
    expect(new Set(all.map((credentials) => credentials.accessKeyId)).size).toBe(1);
    // An inactive profile gets credentials but nothing is delivered or scheduled.
    expect(r.delivery.calls).toEqual([]);
    expect(r.manager.state('dev').status).toBe('inactive');
    // Later calls are served from memory while enough validity remains.
    await r.clock.advance(40 * MINUTE);
    await r.manager.credentials('dev');
    expect(r.sandbox.requests.count('CreateSession')).toBe(1);
    await r.clock.advance(10 * MINUTE);
    await Promise.all(Array.from({ length: 50 }, () => r.manager.credentials('dev')));
    expect(r.sandbox.requests.count('CreateSession')).toBe(2);
  });

  it('shares one mint between the timer, refresh and credentials callers of an active profile', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    r.clock.jumpWall(46 * MINUTE);
    r.manager.recheck();
    const [state, credentials] = await Promise.all([r.manager.refresh('dev'), r.manager.credentials('dev'), r.manager.refresh('dev')]);
    expect(createSessions(r)).toBe(2);
    expect(state.accessKeyIdMasked).toBe(`${credentials.accessKeyId.slice(0, 4)}…${credentials.accessKeyId.slice(-4)}`);
    expect(await r.delivery.accessKeyHeld('dev')).toBe(credentials.accessKeyId);
  });

  it('never exceeds 10 CreateSession per second when 200 profiles are due at once', async () => {
    const r = await setUp({ delivery: 'memory' });
    r.sandbox.switches.createSessionsPerSecond = 10;
    const names = Array.from({ length: 200 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    const started = r.clock.now();
    await r.drive(Promise.all(names.map((name) => r.manager.activate(name))));
    await r.drive(r.manager.refreshAll());
    const creates = r.sandbox.requests.entries.filter((request) => request.operation === 'CreateSession');
    expect(creates).toHaveLength(400);
    expect(creates.every((request) => request.status === 201)).toBe(true);
    const times = creates.map((request) => request.at);
    for (const at of times) expect(times.filter((other) => other > at - SECOND && other <= at).length).toBeLessThanOrEqual(10);
    expect(Math.max(...times) - started).toBeGreaterThanOrEqual(39 * SECOND);
    expect(r.manager.states().filter((state) => state.status === 'active')).toHaveLength(200);
  });

  it('counts retries against the limit too: a throttled burst draws no 429 beyond the injected ones', async () => {
    const r = await setUp({ delivery: 'memory' });
    r.sandbox.switches.createSessionsPerSecond = 10;
    // The first second's 10 calls are throttled; their retries come within a second, while the next
    // 10 profiles' first calls are due: without a slot per retry, both batches land in one window.
    r.sandbox.switches.throttleNext = 10;
    const names = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    await r.drive(Promise.all(names.map((name) => r.manager.activate(name))));
    const creates = r.sandbox.requests.entries.filter((request) => request.operation === 'CreateSession');
    expect(creates).toHaveLength(40);
    expect(r.sandbox.requests.count('CreateSession', 429)).toBe(10);
    const times = creates.map((request) => request.at);
    for (const at of times) expect(times.filter((other) => other > at - SECOND && other <= at).length).toBeLessThanOrEqual(10);
    expect(r.manager.states().filter((state) => state.status === 'active')).toHaveLength(30);
  });
});

describe('SessionManager: deactivate, restart, rename and forget', () => {
  it('deactivate withdraws the credentials, forgets the cache and reports inactive', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    expect(await r.secrets.get(sessionAccount('dev'))).not.toBeNull();
    await expect(r.manager.deactivate('dev')).resolves.toEqual({ name: 'dev', status: 'inactive' });
    expect(await r.delivery.accessKeyHeld('dev')).toBeUndefined();
    expect(await r.secrets.get(sessionAccount('dev'))).toBeNull();
    expect(statusTrail(r.events, 'dev')).toEqual(['activating', 'active', 'inactive']);
    await r.clock.advance(2 * 60 * MINUTE);
    expect(createSessions(r)).toBe(1);
    expect(r.clock.pendingTimers).toBe(0);
  });

  it('a refresh still in flight when the profile is deactivated delivers nothing afterwards', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const refreshing = r.manager.refresh('dev');
    await r.manager.deactivate('dev');
    await refreshing.catch(() => undefined);
    await r.clock.advance(0);
    expect(createSessions(r)).toBe(2);
    expect(await r.delivery.accessKeyHeld('dev')).toBeUndefined();
    expect(await r.secrets.get(sessionAccount('dev'))).toBeNull();
    expect(r.manager.state('dev').status).toBe('inactive');
  });

  it('a restarted agent reuses the cached session instead of minting', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const key = await r.delivery.accessKeyHeld('dev');
    r.manager.close();
    await r.clock.advance(10 * MINUTE);
    const again = r.restart();
    await expect(again.activate('dev')).resolves.toMatchObject({ status: 'active', accessKeyIdMasked: `${key!.slice(0, 4)}…${key!.slice(-4)}` });
    expect(createSessions(r)).toBe(1);
    expect((await again.credentials('dev')).accessKeyId).toBe(key);
    // Past its refresh point, a cached session is replaced on activation.
    again.close();
    await r.clock.advance(40 * MINUTE);
    await r.restart().activate('dev');
    expect(createSessions(r)).toBe(2);
  });

  it('rename moves the session to the new name without minting, then withdraws the old one', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const key = await r.delivery.accessKeyHeld('dev');
    await expect(r.manager.rename('dev', 'development')).resolves.toMatchObject({ name: 'development', status: 'active' });
    expect(await r.delivery.accessKeyHeld('development')).toBe(key);
    expect(await r.delivery.accessKeyHeld('dev')).toBeUndefined();
    expect(await r.secrets.get(sessionAccount('dev'))).toBeNull();
    expect(await r.secrets.get(sessionAccount('development'))).toContain(key);
    expect(r.manager.state('dev').status).toBe('inactive');
    expect(createSessions(r)).toBe(1);
    const order = r.delivery.calls.slice(-2).map((call) => `${call.operation} ${call.name}`);
    expect(order).toEqual(['deliver development', 'withdraw dev']);
  });

  it('forget withdraws and drops the cache of a removed profile without further events', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const eventsBefore = r.events.length;
    await r.manager.forget('dev');
    expect(await r.delivery.accessKeyHeld('dev')).toBeUndefined();
    expect(await r.secrets.get(sessionAccount('dev'))).toBeNull();
    expect(r.manager.states()).toEqual([]);
    expect(r.events.length).toBe(eventsBefore);
  });

  it('keeps working without a keychain: the cache is skipped with a warning', async () => {
    const r = await setUp();
    r.secrets.failure = 'KEYCHAIN_UNAVAILABLE';
    await expect(r.manager.activate('dev')).resolves.toMatchObject({ status: 'active' });
    await r.clock.advance(0);
    expect(r.logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.fields.code)).toContain('KEYCHAIN_UNAVAILABLE');
  });
});

describe('SessionManager: credentials while Roles Anywhere throttles', () => {
  it('hands out the still-valid session, then the last error, without calling CreateSession until the retry', async () => {
    const r = await setUp({ shortLivedSeconds: 60 });
    await r.manager.activate('dev');
    const firstKey = await r.delivery.accessKeyHeld('dev');
    r.sandbox.switches.throttleNext = 1_000_000;
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'failed', { maxMs: MINUTE });
    const attempts = createSessions(r);
    expect((await r.manager.credentials('dev')).accessKeyId).toBe(firstKey);
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'expired' && r.manager.state('dev').nextRefreshAt !== undefined, { stepMs: 100 });
    const afterExpiry = createSessions(r);
    await expect(r.manager.credentials('dev')).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(createSessions(r)).toBe(afterExpiry);
    expect(afterExpiry).toBeGreaterThan(attempts);
  });
});
