// Activations outlive the agent, and answers that are already unusable never replace good credentials:
// the session engine against the sandbox on a virtual clock, with a real credentials file.
import { describe, expect, it } from 'vitest';
import { useRig, type Rig } from './session-rig';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const setUp = useRig();

const createSessions = (r: Rig): number => r.sandbox.requests.count('CreateSession');

describe('SessionManager.resume: an activation from an earlier run', () => {
  it('is active at once without a CreateSession when the cached session is still in the file', async () => {
    const r = await setUp();
    const first = await r.manager.activate('dev');
    r.manager.close();
    await r.clock.advance(5 * MINUTE);
    const again = r.restart();
    await expect(again.resume('dev', { deliveredBefore: true })).resolves.toMatchObject({ status: 'active', expiresAt: first.expiresAt });
    again.recheck();
    await r.clock.advance(SECOND);
    expect(createSessions(r)).toBe(1);
    expect(r.delivery.deliveries('dev')).toHaveLength(1);
  });

  it('writes the cached session back when the file lost it, without minting', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const key = await r.delivery.accessKeyHeld('dev');
    r.manager.close();
    await r.delivery.withdraw('dev');
    const again = r.restart();
    expect((await again.resume('dev', { deliveredBefore: true })).status).toBe('activating');
    again.recheck();
    await r.clock.advanceUntil(() => again.state('dev').status === 'active', { maxMs: MINUTE });
    expect(await r.delivery.accessKeyHeld('dev')).toBe(key);
    expect(createSessions(r)).toBe(1);
  });

  it('mints at once when the cached session expired while the agent was down (a reboot overnight)', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    const stale = await r.delivery.accessKeyHeld('dev');
    r.manager.close();
    await r.clock.advance(8 * 60 * MINUTE);
    const again = r.restart();
    expect((await again.resume('dev', { deliveredBefore: true })).status).toBe('activating');
    again.recheck();
    await r.clock.advanceUntil(() => again.state('dev').status === 'active', { maxMs: MINUTE });
    expect(createSessions(r)).toBe(2);
    expect(await r.delivery.accessKeyHeld('dev')).not.toBe(stale);
    // ...and keeps refreshing it afterwards.
    await r.clock.advance(2 * 60 * MINUTE);
    expect(again.state('dev').status).toBe('active');
    expect(createSessions(r)).toBeGreaterThanOrEqual(4);
  });

  it('keeps retrying a resumed profile through a non-transient failure, since it worked before', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    r.manager.close();
    await r.clock.advance(2 * 60 * MINUTE);
    r.sandbox.config.profiles[0]!.enabled = false;
    const again = r.restart();
    await again.resume('dev', { deliveredBefore: true });
    again.recheck();
    await r.clock.advanceUntil(() => again.state('dev').status === 'failed', { maxMs: MINUTE });
    expect(again.state('dev').nextRefreshAt).toBeDefined();
    r.sandbox.config.profiles[0]!.enabled = true;
    await r.clock.advanceUntil(() => again.state('dev').status === 'active', { maxMs: 10 * MINUTE });
  });
});

describe('SessionManager: answers that are already unusable', () => {
  it('refuses credentials that are already expired: the good ones stay delivered and status shows their real expiry', async () => {
    const r = await setUp();
    const good = await r.manager.activate('dev');
    const goodKey = await r.delivery.accessKeyHeld('dev');
    r.sandbox.switches.expiringNext = 1;
    r.sandbox.switches.expiringInSeconds = -3600;
    const refused = await r.manager.refresh('dev').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CREDENTIALS_UNUSABLE', detail: expect.stringMatching(/already expired \(Expiration .*Z, this computer's clock .*Z\)/) });
    expect(await r.delivery.accessKeyHeld('dev')).toBe(goodKey);
    const state = r.manager.state('dev');
    expect(state).toMatchObject({ status: 'failed', expiresAt: good.expiresAt, lastError: { code: 'CREDENTIALS_UNUSABLE' } });
    // A retry is planned, and the SDK keeps getting the good session meanwhile.
    expect(state.nextRefreshAt).toBeDefined();
    expect((await r.manager.credentials('dev')).accessKeyId).toBe(goodKey);
    await r.clock.advanceUntil(() => r.manager.state('dev').status === 'active', { maxMs: 10 * MINUTE });
    expect(await r.delivery.accessKeyHeld('dev')).not.toBe(goodKey);
  });

  it('refuses credentials that arrive inside their own refresh window by the service clock (this clock runs ahead)', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    // Within the 5 minutes SigV4 tolerates: the service answers a 5-minute session, of which this
    // computer's clock, 4 minutes ahead, sees 1 minute left: less than the quarter kept in reserve.
    r.sandbox.switches.clockSkewMs = -4 * MINUTE;
    r.sandbox.switches.shortLivedSeconds = 300;
    const refused = await r.manager.refresh('dev').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CREDENTIALS_UNUSABLE', detail: expect.stringContaining("the service's clock") });
  });

  it('a short session shows its own expiry, not that of the longer one it replaced', async () => {
    const r = await setUp();
    await r.manager.activate('dev');
    r.sandbox.switches.shortLivedSeconds = 60;
    const state = await r.manager.refresh('dev');
    const left = Date.parse(state.expiresAt!) - r.clock.now();
    expect(left).toBeGreaterThan(55 * SECOND);
    expect(left).toBeLessThanOrEqual(60 * SECOND);
  });

  it('credentials() refuses an expired answer and mints again later instead of handing it out', async () => {
    const r = await setUp();
    r.sandbox.switches.expiringNext = 1;
    await expect(r.manager.credentials('dev')).rejects.toMatchObject({ code: 'CREDENTIALS_UNUSABLE' });
    const credentials = await r.manager.credentials('dev');
    expect(Date.parse(credentials.expiration)).toBeGreaterThan(r.clock.now() + 30 * MINUTE);
  });
});

describe('SessionManager: a mint that never ends', () => {
  it('is abandoned at its deadline as a TIMEOUT, and the next refresh mints anew instead of joining it', async () => {
    const r = await setUp();
    let calls = 0;
    const stuckOnce = {
      regionOf: () => r.minter.regionOf(),
      mint: (name: string, options?: Parameters<typeof r.minter.mint>[1]) => (++calls === 1 ? new Promise<never>(() => undefined) : r.minter.mint(name, options)),
    };
    const manager = r.restart({ minter: stuckOnce, mintDeadlineMs: 30 * SECOND });
    const first = manager.activate('dev').catch((error: unknown) => error);
    await r.clock.advance(31 * SECOND);
    expect(await first).toMatchObject({ code: 'TIMEOUT' });
    expect(manager.state('dev')).toMatchObject({ status: 'failed', lastError: { code: 'TIMEOUT' } });
    await expect(manager.refresh('dev')).resolves.toMatchObject({ status: 'active' });
    expect(calls).toBe(2);
  });
});
