// The session engine of the agent: sessions minted with each profile's key, delivered through its AWS
// files, cached in the keychain per data folder, and paced under Roles Anywhere's request rate.
import type { AwsFilePaths } from '../awsfiles';
import type { TokenPins } from '../pkcs11';
import { signingRegionOf, type ProfileManager, type ProfileRepository } from '../profiles';
import { holdsDelivery } from '../profiles/delivery-check';
import type { SecretStore } from '../secrets';
import { CreateSessionLimiter, KeychainSessionCache, SessionManager } from '../sessions';
import { cacheScope, createMinter, type MinterOptions } from '../sessions/profile-minter';
import type { ProfileTimeline } from '../timeline';
import type { ProfileDirectory } from './profile-directory';

/** Roles Anywhere's per-second CreateSession window, with a margin for network jitter (see below). */
export const CREATE_SESSION_WINDOW_MS = 1100;
/** Calls granted per window: one under the service's 10, as headroom for calls that arrive bunched. */
export const CREATE_SESSION_LIMIT = 9;

export interface SessionEngineOptions extends MinterOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly profiles: ProfileManager;
  readonly repository: ProfileRepository;
  readonly awsPaths: AwsFilePaths;
  readonly directory: ProfileDirectory;
  readonly timeline: ProfileTimeline;
  /** PINs of token profiles the user gave this agent. */
  readonly tokenPins: TokenPins;
  requestTimeoutMs(): Promise<number>;
}

export function createSessionEngine(options: SessionEngineOptions): SessionManager {
  const { clock, directory, profiles, repository, awsPaths } = options;
  const delivery = profiles.delivery;
  const mint = createMinter(profiles, options, () => options.requestTimeoutMs(), options.tokenPins);
  return new SessionManager({
    minter: { mint, regionOf: (name) => signingRegionOf(directory.require(name)) },
    delivery: {
      deliver: (name, credentials) => delivery.deliver(name, credentials),
      withdraw: (name) => delivery.withdraw(name),
      isDelivered: (name, credentials) => holdsDelivery(directory.require(name), credentials, { repository, awsPaths, commandFor: (profile) => delivery.commandFor(profile) }),
    },
    // The service counts requests as they arrive, not as they were granted here: a batch released the
    // moment the previous one leaves the window arrives sooner than that one's last call did (signing
    // and connecting take turns on one thread), and is throttled. 100 ms covers that: with 50 profiles
    // due at once (bench/agent.bench.ts) a 1,000 ms window drew dozens of 429s, this one none. On a
    // loaded machine 200 profiles still drew 12 in one second at the service (bench, 2 cores busy with
    // tests), so one slot of the ten is kept back as well.
    limiter: new CreateSessionLimiter(clock, { windowMs: CREATE_SESSION_WINDOW_MS, limit: CREATE_SESSION_LIMIT }),
    clock,
    cache: new KeychainSessionCache(options.secrets, cacheScope(options.dataDir)),
    logger: options.logger,
    ...(options.random && { random: options.random }),
    autoRefresh: (name) => directory.get(name)?.autoRefresh ?? false,
    timeline: options.timeline,
  });
}
