// Minting for a stored profile: its key (a file or a PKCS#11 token) signs CreateSession, and the
// agent-less `credential-process --profile` path composes the same minter with the keychain cache.
// Not re-exported from ./index: it needs the profiles module, which itself reads the session ports.
import { createHash } from 'node:crypto';
import type { CredentialsOutput } from '../../shared/contract';
import type { Logger } from '../log';
import { assertUsableLeaf, type Certificate } from '../pki';
import { TokenPins, withProfileTokenKey } from '../pkcs11';
import type { Clock } from '../platform/clock';
import type { HttpTransport } from '../platform/transport';
import { signingRegionOf, type ProfileDefinition, type ProfileManager } from '../profiles';
import { openProfiles } from '../profiles/open-profiles';
import { createSession, sessionRequestFor, signingIdentity, type SessionCredentials } from '../rolesanywhere';
import { refineRefusal } from '../rolesanywhere/refusal-cause';
import type { SecretStore } from '../secrets';
import { keyObjectSigner, type Signer } from '../signing';
import { createSettingsDocument, requestTimeoutMs } from '../store/settings';
import { detectShell } from '../terminal';
import { KeychainSessionCache } from './cache';
import { oneShotCredentials } from './one-shot';
import type { SessionMinter } from './ports';
import { DEFAULT_MIN_VALIDITY_SECONDS } from './refresh-policy';

export interface MinterOptions {
  readonly clock: Clock;
  readonly transport: HttpTransport;
  readonly logger: Logger;
  readonly version: string;
  readonly random?: () => number;
}

export interface OneShotProfileOptions extends MinterOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  readonly secrets: SecretStore;
  readonly cliCommand: readonly string[];
}

/** Session cache items are per data folder, so two Rolecall homes (ROLECALL_HOME) never share a session. */
export function cacheScope(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
}

/** Signs and sends CreateSession for a stored profile, each exchange within the deadline `requestTimeout` gives. */
export function createMinter(profiles: ProfileManager, options: MinterOptions, requestTimeout: () => Promise<number>, tokenPins: TokenPins): SessionMinter['mint'] {
  const { clock, logger } = options;
  return async (name, mintOptions) => {
    const signing = await profiles.signingKey(name);
    if (signing.kind === 'software') {
      const { material } = signing;
      return send(name, { ...material, signer: keyObjectSigner(material.privateKey) }, mintOptions);
    }
    // The token is opened for each mint and closed after it: a token pulled out meanwhile is seen at once.
    return withProfileTokenKey(
      { name, source: signing.source, certificateDer: signing.leaf.der },
      tokenPins,
      { read: () => profiles.keptPin(signing.source), drop: () => profiles.replaceKeptPin(signing.source, undefined) },
      (key) => send(name, { ...signing, signer: key.signer }, mintOptions),
    );
  };

  async function send(
    name: string,
    material: { readonly definition: ProfileDefinition; readonly leaf: Certificate; readonly chain: readonly Certificate[]; readonly signer: Signer },
    mintOptions: Parameters<SessionMinter['mint']>[1],
  ): Promise<SessionCredentials> {
    const timeoutMs = await requestTimeout();
    const { definition } = material;
    // An expired or otherwise unusable certificate says why here, before the service answers a bare 403.
    assertUsableLeaf({ leaf: material.leaf, chain: material.chain, at: clock.now() });
    const refusalContext = { leaf: material.leaf, chain: material.chain, trustAnchorArn: definition.trustAnchorArn, signingRegion: signingRegionOf(definition), at: clock.now(), profileName: name };
    return createSession(
      sessionRequestFor({ ...definition, region: definition.signingRegion }, signingIdentity(material.leaf, material.chain, material.signer), { version: options.version, timeoutMs }),
      {
        transport: options.transport,
        clock,
        ...(options.random && { random: options.random }),
        ...(mintOptions?.beforeAttempt && { beforeAttempt: mintOptions.beforeAttempt }),
        onDebug: (line) => logger.debug(line),
      },
    ).catch((error: unknown) => {
      throw refineRefusal(error, refusalContext);
    });
  }
}

/**
 * `credential-process --profile NAME` when no agent can start: the same keychain cache and per-profile
 * lock as the agent, so bursts of SDK calls still cause one CreateSession per validity period.
 */
export async function oneShotProfileCredentials(name: string, options: OneShotProfileOptions, minValiditySeconds = DEFAULT_MIN_VALIDITY_SECONDS): Promise<CredentialsOutput> {
  const { profiles } = openProfiles(options);
  const definition = await profiles.get(name);
  const settings = createSettingsDocument(options.dataDir, detectShell({ env: options.env, platform: options.platform }));
  // A one-shot process has nobody's PIN but the keychain's and the URI's.
  const mint = createMinter(profiles, options, () => requestTimeoutMs(settings, options.logger), new TokenPins());
  const credentials = await oneShotCredentials(name, {
    minter: { mint, regionOf: () => signingRegionOf(definition) },
    cache: new KeychainSessionCache(options.secrets, cacheScope(options.dataDir)),
    clock: options.clock,
    dataDir: options.dataDir,
    minValiditySeconds,
    logger: options.logger,
  });
  return credentialsOutput(credentials, definition);
}

/** What terminals and SDKs receive: the keys, their expiry and the region tools should use. */
export function credentialsOutput(credentials: SessionCredentials, definition: ProfileDefinition): CredentialsOutput {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
    ...(definition.toolRegion !== undefined && { toolRegion: definition.toolRegion }),
  };
}
