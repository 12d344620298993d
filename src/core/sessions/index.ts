// The session engine: minting, caching, delivering and refreshing sessions, owned by the agent.
export type { MintOptions, SessionDelivery, SessionMinter, SessionState, SessionTimeline } from './ports';
export { SessionManager, MAX_WAKE_MS, CLOCK_JUMP_MS, type SessionManagerOptions, type StateListener } from './manager';
export { CreateSessionLimiter, CREATE_SESSIONS_PER_SECOND, type CreateSessionLimiterOptions } from './limiter';
export { KeychainSessionCache, sessionAccount, type CachedSession, type SessionCache } from './cache';
export { withProfileLock, profileLocksDir, type ProfileLockOptions } from './profile-lock';
export { oneShotCredentials, type OneShotOptions } from './one-shot';
export {
  ADVISORY_WINDOW_MS,
  DEFAULT_MIN_VALIDITY_SECONDS,
  isFreshFor,
  lifetimeMs,
  planRefresh,
  refreshLeadMs,
  type SessionTimes,
} from './refresh-policy';
export { backoffMs, isTransient, needsPerson, planRetry, RETRY_BASE_MS, RETRY_CAP_MS, type RetryInput } from './backoff';
