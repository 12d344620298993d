// What the session engine needs from the rest of Rolecall, as interfaces: the composition root
// (src/core/rolecall.ts) plugs in the real parts, tests plug in the sandbox and temp files.
import type { ErrorInfo } from '../../shared/errors';
import type { ProfileStatus, TimelineEvent } from '../../shared/model';
import type { SessionCredentials } from '../rolesanywhere';

export interface MintOptions {
  /**
   * Awaited before each CreateSession request, the first and every retry (CreateSessionDeps
   * beforeAttempt): the agent's limiter slot, so retries count against the 10/s limit too; the slot
   * it resolves to is released when that request's answer is in.
   */
  readonly beforeAttempt?: () => Promise<(() => void) | undefined>;
}

/** Signs and sends CreateSession for a profile (loads its key, certificate and ARNs). */
export interface SessionMinter {
  mint(name: string, options?: MintOptions): Promise<SessionCredentials>;
  /** The region whose 10/s CreateSession limit a profile's calls count against. */
  regionOf(name: string): string;
}

/** Puts credentials where the profile's delivery mode says (credentials file, config line) and takes them back. */
export interface SessionDelivery {
  deliver(name: string, credentials: SessionCredentials): Promise<void>;
  withdraw(name: string): Promise<void>;
  /**
   * Whether these credentials are still where the profile's delivery puts them (a resuming agent
   * re-delivers when not). Without it, a resumed session is always delivered again.
   */
  isDelivered?(name: string, credentials: SessionCredentials): Promise<boolean>;
}

/** The live state of one profile's session, as events report it. */
export interface SessionState {
  readonly name: string;
  readonly status: ProfileStatus;
  readonly expiresAt?: string;
  readonly lastRefreshedAt?: string;
  readonly nextRefreshAt?: string;
  readonly lastError?: ErrorInfo;
  readonly accessKeyIdMasked?: string;
}

/** Where the engine writes each profile's history (core/timeline). Recording never waits for the disk. */
export interface SessionTimeline {
  record(name: string, event: TimelineEvent): void;
  rename(from: string, to: string): void;
  forget(name: string): void;
}
