// The agent's own keychain context, learnt from every keychain call it makes. An agent started where no
// D-Bus session was reachable (an SDK's credential_process from a plain shell) keeps failing with
// KEYCHAIN_UNAVAILABLE however good its later callers' sessions are: it says so in its hello, and a
// caller that can reach its own keychain replaces it. An agent whose D-Bus session ended hears libsecret
// say "The connection is closed" and is told, so it can exit instead of serving a dead bus.
import type { KeychainReach } from '../../shared/model';
import { isRolecallError } from '../../shared/errors';
import type { SecretStore } from './secret-store';

const CONNECTION_CLOSED = /the connection is closed/i;

export interface ReachTrackingOptions {
  /** Called (once) when the keychain's D-Bus connection has closed for good. */
  readonly onConnectionClosed?: () => void;
}

/** What a keychain failure says about the context: a locked keyring was reached, only unlocked it was not. */
export function reachAfter(error: unknown): KeychainReach {
  return isRolecallError(error) && error.code === 'KEYCHAIN_UNAVAILABLE' ? 'unreachable' : 'reachable';
}

export class ReachTrackingSecretStore implements SecretStore {
  private current: KeychainReach = 'unknown';
  private closedReported = false;

  constructor(
    private readonly inner: SecretStore,
    private readonly options: ReachTrackingOptions = {},
  ) {}

  /** The outcome of the latest keychain call. */
  get reach(): KeychainReach {
    return this.current;
  }

  get(account: string): Promise<string | null> {
    return this.track(this.inner.get(account));
  }

  set(account: string, value: string): Promise<void> {
    return this.track(this.inner.set(account, value));
  }

  delete(account: string): Promise<boolean> {
    return this.track(this.inner.delete(account));
  }

  probe(): Promise<void> {
    return this.track(this.inner.probe());
  }

  private async track<T>(call: Promise<T>): Promise<T> {
    try {
      const value = await call;
      this.current = 'reachable';
      return value;
    } catch (error) {
      this.current = reachAfter(error);
      if (isRolecallError(error) && CONNECTION_CLOSED.test(error.detail ?? '') && !this.closedReported) {
        this.closedReported = true;
        this.options.onConnectionClosed?.();
      }
      throw error;
    }
  }
}
