import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVISORY_WINDOW_MS, isFreshFor, planRefresh, refreshLeadMs } from '../../../src/core/sessions/refresh-policy';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const session = (lifetimeMs: number) => ({ obtainedAt: T0, expiresAt: T0 + lifetimeMs });
const noJitter = () => 0;
const fullJitter = () => 0.999999;

describe('planRefresh', () => {
  it.each([
    ['12 hours', 12 * 60 * MINUTE, 12 * 60 * MINUTE - 15 * MINUTE],
    ['1 hour', 60 * MINUTE, 45 * MINUTE],
    ['20 minutes', 20 * MINUTE, 15 * MINUTE],
    ['15 minutes (the AWS minimum)', 15 * MINUTE, 11.25 * MINUTE],
    ['20 seconds (sandbox short-lived credentials)', 20_000, 15_000],
  ])('refreshes a %s session when min(15 min, 25%% of it) remains', (_label, lifetime, after) => {
    expect(planRefresh(session(lifetime), noJitter)).toBe(T0 + after);
  });

  it('uses botocore\'s 15-minute advisory window for every session of an hour or more', () => {
    expect(refreshLeadMs(60 * MINUTE)).toBe(ADVISORY_WINDOW_MS);
    expect(refreshLeadMs(12 * 60 * MINUTE)).toBe(ADVISORY_WINDOW_MS);
  });

  it('jitters only earlier, by at most a tenth of the lead, and never before the session is 1 s old', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 43_200_000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (lifetime, r) => {
        const planned = planRefresh(session(lifetime), () => r);
        const lead = Math.min(ADVISORY_WINDOW_MS, lifetime / 4);
        expect(planned).toBeLessThanOrEqual(T0 + lifetime - lead);
        expect(planned).toBeGreaterThanOrEqual(T0 + lifetime - lead * 1.1);
        expect(planned).toBeGreaterThanOrEqual(T0 + 1000);
      }),
    );
    expect(planRefresh(session(60 * MINUTE), fullJitter)).toBeCloseTo(T0 + 45 * MINUTE - 90_000, -1);
  });

  it('still waits a second when a skewed clock makes a session look expired at birth', () => {
    expect(planRefresh({ obtainedAt: T0, expiresAt: T0 - MINUTE }, noJitter)).toBe(T0 + 1000);
  });
});

describe('isFreshFor', () => {
  it('hands out a 1-hour session while more than the asked 15 minutes remain', () => {
    const hour = session(60 * MINUTE);
    expect(isFreshFor(hour, T0 + 44 * MINUTE, 15 * MINUTE)).toBe(true);
    expect(isFreshFor(hour, T0 + 45 * MINUTE, 15 * MINUTE)).toBe(false);
  });

  it('caps the asked validity at 75% of a short session so it is not minted on every call', () => {
    const quarterHour = session(15 * MINUTE);
    // Asking 15 minutes of a 15-minute session: good while more than 11.25 minutes remain.
    expect(isFreshFor(quarterHour, T0 + 3 * MINUTE, 15 * MINUTE)).toBe(true);
    expect(isFreshFor(quarterHour, T0 + 4 * MINUTE, 15 * MINUTE)).toBe(false);
    expect(isFreshFor(session(20_000), T0 + 4_000, 15 * MINUTE)).toBe(true);
    expect(isFreshFor(session(20_000), T0 + 6_000, 15 * MINUTE)).toBe(false);
  });

  it('never hands out expired credentials, even to a caller asking for no validity at all', () => {
    expect(isFreshFor(session(20_000), T0 + 19_999, 0)).toBe(true);
    expect(isFreshFor(session(20_000), T0 + 20_000, 0)).toBe(false);
  });
});
