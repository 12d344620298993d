// When a session is refreshed and when cached credentials are still good enough to hand out, as pure
// functions of times (ms since the epoch), so the rule is tested without clocks or timers.
//
// The rule: refresh when `lead` remains, where lead = min(15 minutes, 25% of the lifetime), moved
// earlier (never later) by a random jitter of up to 10% of the lead.
//   12 h session → refresh 15 min before expiry (after 11 h 45 min)
//    1 h session → 15 min before (after 45 min)
//   20 min       →  5 min before (after 15 min)
//   15 min (the AWS minimum) → 3 min 45 s before (after 11 min 15 s)
//   20 s (the sandbox's short-lived test credentials) → 5 s before (after 15 s)
// Why: 15 minutes is botocore's advisory window, so tools reading the credentials never meet a session
// their SDK considers stale; for sessions shorter than an hour a fixed 15 minutes would refresh at once
// or most of the time, so a quarter of the lifetime is kept in reserve instead. The jitter spreads
// profiles that were activated together, so they do not all call CreateSession in the same second.

import { RolecallError } from '../../shared/errors';
import type { SessionCredentials } from '../rolesanywhere';

/** botocore starts refreshing credentials when this much validity remains. */
export const ADVISORY_WINDOW_MS = 15 * 60_000;
/** SDKs call credential_process again when less than this remains, so hand out at least this much. */
export const DEFAULT_MIN_VALIDITY_SECONDS = ADVISORY_WINDOW_MS / 1000;
/** For short sessions: the share of the lifetime kept in reserve. */
export const SHORT_SESSION_RESERVE = 0.25;
/** The jitter moves a refresh earlier by up to this share of the lead. */
export const REFRESH_JITTER = 0.1;
/** A session is used at least this long, even if a skewed clock makes it look expired at birth. */
export const MIN_SESSION_USE_MS = 1_000;
/** A caller's minimum validity is capped at this share of the lifetime (see isFreshFor). */
export const MAX_REQUIRED_SHARE = 0.75;

export interface SessionTimes {
  /** When Rolecall received the credentials (local wall clock). */
  readonly obtainedAt: number;
  /** Their expiration as the service stated it. */
  readonly expiresAt: number;
}

export function lifetimeMs(session: SessionTimes): number {
  return Math.max(0, session.expiresAt - session.obtainedAt);
}

/** How long before expiry the refresh is due, before jitter. */
export function refreshLeadMs(lifetime: number): number {
  return Math.min(ADVISORY_WINDOW_MS, lifetime * SHORT_SESSION_RESERVE);
}

/** When to refresh this session; `random` in [0, 1) picks the jitter. */
export function planRefresh(session: SessionTimes, random: () => number): number {
  const lead = refreshLeadMs(lifetimeMs(session));
  const jitter = random() * lead * REFRESH_JITTER;
  return Math.max(session.obtainedAt + MIN_SESSION_USE_MS, session.expiresAt - lead - jitter);
}

/**
 * Whether cached credentials can be handed to a caller that wants `minValidityMs` of validity left.
 * The requirement is capped at 75% of the session's lifetime: a session can never have more left
 * than it lasts, and without the cap a caller asking 15 minutes of a 15-minute session (or of the
 * sandbox's 20-second ones) would mint on every call. Capped, a profile mints at most once per
 * quarter of its lifetime however often it is asked.
 */
export function isFreshFor(session: SessionTimes, now: number, minValidityMs: number): boolean {
  const required = Math.min(Math.max(0, minValidityMs), lifetimeMs(session) * MAX_REQUIRED_SHARE);
  return session.expiresAt - now > required;
}

/**
 * Why credentials just received cannot be handed out, or undefined when they can. Unusable: already
 * expired, or already inside their own refresh window — every SDK would ask again at once, and
 * Rolecall would mint again at once. The lifetime is measured from `issuedAt`, the service's clock
 * when it answered (its Date header), when known: a local clock running ahead of the service's then
 * shows as a session that is due at birth. Without it only expiry can be told.
 */
function unusableReason(session: { readonly issuedAt?: number; readonly expiresAt: number }, now: number): string | undefined {
  const left = session.expiresAt - now;
  const clock = `Expiration ${new Date(session.expiresAt).toISOString()}, this computer's clock ${new Date(now).toISOString()}`;
  if (left < MIN_SESSION_USE_MS) return `the credentials are already expired (${clock})`;
  if (session.issuedAt === undefined) return undefined;
  const lead = refreshLeadMs(Math.max(0, session.expiresAt - session.issuedAt));
  if (left <= lead) return `the credentials expire within their refresh window (${clock}, the service's clock ${new Date(session.issuedAt).toISOString()})`;
  return undefined;
}

/** CREDENTIALS_UNUSABLE for credentials just received that unusableReason refuses. */
export function assertUsable(credentials: Pick<SessionCredentials, 'expiration' | 'issuedAt'>, now: number): void {
  const issuedAt = credentials.issuedAt === undefined ? Number.NaN : Date.parse(credentials.issuedAt);
  const reason = unusableReason({ expiresAt: Date.parse(credentials.expiration), ...(!Number.isNaN(issuedAt) && { issuedAt }) }, now);
  if (reason !== undefined) throw new RolecallError('CREDENTIALS_UNUSABLE', reason);
}
