import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, isTransient, planRetry, RETRY_CAP_MS, UNCOVERED_RETRY_CAP_MS } from '../../../src/core/sessions/backoff';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

describe('backoffMs', () => {
  it('starts at 30 s and doubles to a 5-minute cap, jittered within the upper half', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => backoffMs(n, low))).toEqual([15_000, 30_000, 60_000, 120_000, 150_000, 150_000, 150_000]);
    expect(backoffMs(1, high)).toBeCloseTo(30_000, -1);
    expect(backoffMs(20, high)).toBeCloseTo(RETRY_CAP_MS, -1);
  });
});

describe('planRetry', () => {
  it('retries within 45 s once the delivered credentials have expired or when there are none, however long the backoff grew', () => {
    expect(planRetry({ now: T0, failures: 1, random: () => 0 })).toBe(T0 + 15_000);
    expect(planRetry({ now: T0, failures: 3, random: () => 0 })).toBe(T0 + 22_500);
    expect(planRetry({ now: T0, failures: 3, random: () => 0, delivered: { obtainedAt: T0 - 3_600_000, expiresAt: T0 - 1 } })).toBe(T0 + 22_500);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (failures, r) => {
        const at = planRetry({ now: T0, failures, random: () => r });
        expect(at).toBeGreaterThanOrEqual(T0 + 15_000);
        expect(at).toBeLessThanOrEqual(T0 + UNCOVERED_RETRY_CAP_MS);
      }),
    );
  });

  it('retries at the latest halfway to the expiry of credentials still delivered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 200_000, max: 3_600_000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (failures, left, r) => {
        const delivered = { obtainedAt: T0 - 3_600_000 + left, expiresAt: T0 + left };
        const at = planRetry({ now: T0, failures, random: () => r, delivered });
        expect(at).toBeGreaterThan(T0);
        expect(at).toBeLessThanOrEqual(T0 + left / 2);
      }),
    );
  });

  it('keeps retries of short sessions at least 1 s apart', () => {
    const delivered = { obtainedAt: T0 - 19_500, expiresAt: T0 + 500 };
    expect(planRetry({ now: T0, failures: 1, random: () => 0, delivered })).toBe(T0 + 1000);
  });
});

describe('isTransient', () => {
  it('counts throttling, 5xx, network trouble and busy files as passing by themselves, not denials', () => {
    expect(['THROTTLED', 'SERVICE_UNAVAILABLE', 'NETWORK', 'TIMEOUT', 'AWS_FILE_BUSY'].every((code) => isTransient(code as never))).toBe(true);
    expect(isTransient('ACCESS_DENIED')).toBe(false);
    expect(isTransient('UNTRUSTED_CERTIFICATE')).toBe(false);
  });
});
