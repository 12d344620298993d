// Credentials for a one-shot `credential-process --profile NAME` run with no agent: the keychain cache
// first, and a mint under the profile's lock only when the cache has nothing fresh, so SDKs starting
// many such processes at once cause one CreateSession per validity period.
import { isRolecallError } from '../../shared/errors';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import type { Clock } from '../platform/clock';
import type { SessionCredentials } from '../rolesanywhere';
import type { SessionCache } from './cache';
import type { SessionMinter } from './ports';
import { withProfileLock, type ProfileLockOptions } from './profile-lock';
import { assertUsable, DEFAULT_MIN_VALIDITY_SECONDS, isFreshFor } from './refresh-policy';

export interface OneShotOptions {
  readonly minter: SessionMinter;
  readonly cache: SessionCache;
  readonly clock: Clock;
  /** Rolecall's data folder, where the profile locks live. */
  readonly dataDir: string;
  /** Default DEFAULT_MIN_VALIDITY_SECONDS (15 minutes): SDKs call credential_process again on every request when less remains. */
  readonly minValiditySeconds?: number;
  readonly logger?: Logger;
  readonly lock?: ProfileLockOptions;
}

export async function oneShotCredentials(name: string, options: OneShotOptions): Promise<SessionCredentials> {
  const logger = options.logger ?? nullLogger;
  const minValidityMs = (options.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_SECONDS) * 1000;
  const cached = async (): Promise<SessionCredentials | undefined> => {
    try {
      const session = await options.cache.get(name);
      if (session === undefined) return undefined;
      const times = { obtainedAt: session.obtainedAt, expiresAt: Date.parse(session.credentials.expiration) };
      return isFreshFor(times, options.clock.now(), minValidityMs) ? session.credentials : undefined;
    } catch (error) {
      // Without a readable keychain the run still works: it mints, it just cannot share.
      logger.warn('could not read the session cache', { profile: name, code: isRolecallError(error) ? error.code : 'INTERNAL' });
      return undefined;
    }
  };

  const early = await cached();
  if (early !== undefined) return early;
  return withProfileLock(options.dataDir, name, async () => {
    // Another process may have minted while this one waited for the lock.
    const shared = await cached();
    if (shared !== undefined) return shared;
    const credentials = await options.minter.mint(name);
    assertUsable(credentials, options.clock.now());
    try {
      await options.cache.set(name, { credentials, obtainedAt: options.clock.now() });
    } catch (error) {
      logger.warn('could not cache the session', { profile: name, code: isRolecallError(error) ? error.code : 'INTERNAL' });
    }
    return credentials;
  }, { ...options.lock, logger });
}
