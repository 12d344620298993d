// When to try again after a refresh failed. Capped exponential backoff with jitter keeps a fleet of
// agents from hammering Roles Anywhere while it throttles or is down; while the delivered credentials
// are still valid, retries come at the latest halfway to their expiry, so several attempts fit before
// they lapse however long the backoff has grown.
import type { ErrorCode } from '../../shared/errors';
import { lifetimeMs, type SessionTimes } from './refresh-policy';

export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 5 * 60_000;
/** Retries before expiry are never closer than this share of the lifetime... */
export const RETRY_FLOOR_SHARE = 0.01;
/** ...nor closer than this. */
export const RETRY_FLOOR_MS = 1_000;

/** Failures that go away by themselves: worth retrying even for a profile that never worked. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'THROTTLED',
  'SERVICE_UNAVAILABLE',
  'NETWORK',
  'TIMEOUT',
  // A proxy's stale answer or a clock that is off: the next answer may be good.
  'CREDENTIALS_UNUSABLE',
  'AWS_FILE_BUSY',
  'AWS_FILE_CONFLICT',
]);

export function isTransient(code: ErrorCode): boolean {
  return TRANSIENT.has(code);
}

/**
 * Failures only a person can end: a token's PIN nobody gave, or one the token refused. Trying again on
 * a timer would change nothing, or use up the token's wrong-PIN counter, so the profile waits instead.
 */
const NEEDS_PERSON: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PKCS11_PIN_REQUIRED', 'PKCS11_PIN_WRONG', 'PKCS11_PIN_LOCKED']);

export function needsPerson(code: ErrorCode): boolean {
  return NEEDS_PERSON.has(code);
}

/**
 * Delay after the `failures`-th failure in a row (1-based): 30 s doubling to 5 min, with "equal
 * jitter" (half fixed, half random) so profiles that failed together retry apart.
 */
export function backoffMs(failures: number, random: () => number): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

export interface RetryInput {
  readonly now: number;
  readonly failures: number;
  readonly random: () => number;
  /** The credentials still delivered, if any: retries before their expiry come sooner. */
  readonly delivered?: SessionTimes;
}

/**
 * While nothing valid is delivered, tools fail on every call: retries then come at least this often
 * (jittered between half of it and all of it), so a service that answers again is used within the
 * minute, not after the grown backoff, at a few requests a minute per profile.
 */
export const UNCOVERED_RETRY_CAP_MS = 45_000;

/** When to retry (ms since the epoch). */
export function planRetry({ now, failures, random, delivered }: RetryInput): number {
  let delay = backoffMs(failures, random);
  if (delivered !== undefined && delivered.expiresAt > now) {
    const floor = Math.max(RETRY_FLOOR_MS, lifetimeMs(delivered) * RETRY_FLOOR_SHARE);
    delay = Math.min(delay, Math.max(floor, (delivered.expiresAt - now) / 2));
  } else {
    delay = Math.min(delay, UNCOVERED_RETRY_CAP_MS / 2 + (random() * UNCOVERED_RETRY_CAP_MS) / 2);
  }
  return now + delay;
}
