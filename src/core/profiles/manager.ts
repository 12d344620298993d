// Creating, changing and deleting Rolecall profiles: the definition goes to the JSON store, the private
// key to the keychain (or, on request, stays in the user's own unencrypted file), and what was delivered
// into the AWS files is withdrawn byte for byte when a profile goes or changes its AWS name.
//
// The session layer owns live credentials, so edit and rename report `redeliver` instead of writing
// them: when true, deliver again if the profile holds credentials (the new way is written first and the
// old one removed in the same step), otherwise call `delivery.withdraw(name)`.
import { randomUUID, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { profileNameSchema, type OPERATIONS } from '../../shared/contract';
import { RolecallError, isRolecallError } from '../../shared/errors';
import { isSessionDuration, SESSION_DURATION_SECONDS } from '../../shared/limits';
import type { ProfileView } from '../../shared/model';
import { SESSION_NAME_PATTERN } from '../../shared/patterns';
import type { AwsFilePaths, UpdateOptions } from '../awsfiles';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import {
  assertUsableLeaf,
  isPkcs12,
  parseCertificates,
  parsePkcs12,
  parsePrivateKey,
  privateKeyFromPkcs8Pem,
  privateKeyToPkcs8Pem,
  readInputFile,
  type Certificate,
} from '../pki';
import type { Clock } from '../platform/clock';
import { isValidRegion, parseRoleArn, parseRolesAnywhereArn, resolveEndpoint } from '../rolesanywhere';
import type { SecretStore } from '../secrets';
import type { SessionState } from '../sessions/ports';
import type { KeySource, ProfileDefinition, ProfileKey, TokenKeySource } from './definition';
import { ProfileDelivery, profileFilePaths } from './delivery';
import type { DraftMaterial, DraftRegistry } from './drafts';
import type { ProfileRepository } from './repository';
import { toProfileView } from './view';

export type AddProfileInput = z.output<(typeof OPERATIONS)['profiles.add']['input']>;
export type EditProfileInput = z.output<(typeof OPERATIONS)['profiles.edit']['input']>;

/** Where a profile's deliveries go instead of the user's AWS files (sandbox profiles). Absolute paths. */
export interface ProfilePlacement {
  readonly credentialsFile?: string;
  readonly configFile?: string;
}

export interface ProfileChange {
  readonly definition: ProfileDefinition;
  /** Something the AWS files hold for this profile changed: see the top of this file. */
  readonly redeliver: boolean;
}

export interface SigningMaterial {
  readonly definition: ProfileDefinition;
  readonly leaf: Certificate;
  readonly chain: readonly Certificate[];
  readonly privateKey: KeyObject;
  readonly serialDecimal: string;
}

/** A profile whose key is on a PKCS#11 token: what the minter needs to find it there. */
export interface TokenSigningMaterial {
  readonly definition: ProfileDefinition;
  readonly leaf: Certificate;
  readonly chain: readonly Certificate[];
  readonly source: TokenKeySource;
}

/** A new profile whose certificate and key were found on a token (the agent found and checked them). */
export interface TokenProfileInput extends Omit<AddProfileInput, 'draftId' | 'keyStorage'> {
  readonly leaf: Certificate;
  readonly chain: readonly Certificate[];
  /** Without any pin-value. */
  readonly source: Omit<TokenKeySource, 'pinAccount'>;
  /** Kept in the keychain only when the user asked for that. */
  readonly pinToKeep?: string;
}

export interface ProfileManagerOptions {
  readonly repository: ProfileRepository;
  readonly drafts: DraftRegistry;
  readonly secrets: SecretStore;
  readonly awsPaths: AwsFilePaths;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** What runs the CLI for `credential_process`, absolute: [process.execPath, '/abs/bin/rolecall.mjs']. */
  readonly cliCommand: readonly string[];
  readonly platform?: NodeJS.Platform;
  /** Options for AWS file updates (tests shorten the settle time). */
  readonly awsFileUpdate?: UpdateOptions;
}


interface ConnectionFields {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly signingRegion?: string | undefined;
  readonly toolRegion?: string | undefined;
  readonly durationSeconds: number;
  readonly roleSessionName?: string | undefined;
  readonly endpoint?: string | undefined;
}

export class ProfileManager {
  /** The SessionDelivery the session engine uses for these profiles. */
  readonly delivery: ProfileDelivery;
  private readonly repository: ProfileRepository;
  private readonly drafts: DraftRegistry;
  private readonly secrets: SecretStore;
  private readonly awsPaths: AwsFilePaths;
  private readonly clock: Clock;
  private readonly logger: Logger;
  // Keychain keys as KeyObjects, created once per profile version: each keychain read costs a D-Bus
  // round trip (or a prompt on macOS), each parse several signatures' worth of time.
  private readonly keys = new Map<string, { readonly stamp: string; readonly material: SigningMaterial }>();

  constructor(options: ProfileManagerOptions) {
    this.repository = options.repository;
    this.drafts = options.drafts;
    this.secrets = options.secrets;
    this.awsPaths = options.awsPaths;
    this.clock = options.clock;
    this.logger = options.logger ?? nullLogger;
    this.delivery = new ProfileDelivery({
      repository: options.repository,
      secrets: options.secrets,
      awsPaths: options.awsPaths,
      cliCommand: options.cliCommand,
      logger: this.logger,
      ...(options.platform && { platform: options.platform }),
      ...(options.awsFileUpdate && { update: options.awsFileUpdate }),
    });
  }

  list(): Promise<ProfileDefinition[]> {
    return this.repository.list();
  }

  get(name: string): Promise<ProfileDefinition> {
    return this.repository.require(name);
  }

  view(definition: ProfileDefinition, state?: SessionState): ProfileView {
    return toProfileView(definition, state, this.clock.now(), this.awsPaths);
  }

  /** A new profile from an unlocked draft. Nothing is stored unless everything is. */
  async add(input: AddProfileInput, placement: ProfilePlacement = {}): Promise<ProfileDefinition> {
    checkName(input.name);
    if (await this.repository.get(input.name)) throw new RolecallError('PROFILE_EXISTS', input.name);
    const material = this.usableMaterial(input.draftId);
    const connection = checkConnection({ ...input, durationSeconds: input.durationSeconds ?? SESSION_DURATION_SECONDS.default });
    const files = {
      ...(placement.credentialsFile !== undefined && { credentialsFile: resolve(placement.credentialsFile) }),
      ...(placement.configFile !== undefined && { configFile: resolve(placement.configFile) }),
    };
    const takeOver = await this.delivery.checkAwsName(input.name, profileFilePaths(files, this.awsPaths), input.force === true);
    const key = await this.storeKey(material, input.keyStorage ?? 'keychain');
    const definition = await this.store(input, { leaf: material.credentials.leaf, chain: material.credentials.chain, key, connection, files, takeOver, certificateName: material.certificateName });
    this.drafts.discard(input.draftId);
    return definition;
  }

  /** A new profile whose key stays on a PKCS#11 token; its PIN goes to the keychain only when asked to. */
  async addWithTokenKey(input: TokenProfileInput, placement: ProfilePlacement = {}): Promise<ProfileDefinition> {
    checkName(input.name);
    if (await this.repository.get(input.name)) throw new RolecallError('PROFILE_EXISTS', input.name);
    assertUsableLeaf({ leaf: input.leaf, chain: input.chain, at: this.clock.now() });
    const connection = checkConnection({ ...input, durationSeconds: input.durationSeconds ?? SESSION_DURATION_SECONDS.default });
    const files = {
      ...(placement.credentialsFile !== undefined && { credentialsFile: resolve(placement.credentialsFile) }),
      ...(placement.configFile !== undefined && { configFile: resolve(placement.configFile) }),
    };
    const takeOver = await this.delivery.checkAwsName(input.name, profileFilePaths(files, this.awsPaths), input.force === true);
    const pinAccount = input.pinToKeep === undefined ? undefined : await this.secretIntoKeychain('pin', input.pinToKeep);
    const key: ProfileKey = { ...input.source, ...(pinAccount !== undefined && { pinAccount }) };
    return this.store(input, { leaf: input.leaf, chain: input.chain, key, connection, files, takeOver, certificateName: undefined });
  }

  private async store(
    input: Omit<AddProfileInput, 'draftId' | 'keyStorage'>,
    parts: { leaf: Certificate; chain: readonly Certificate[]; key: ProfileKey; connection: ConnectionFields; files: ProfilePlacement; takeOver: boolean; certificateName: string | undefined },
  ): Promise<ProfileDefinition> {
    const { key, connection, files, takeOver } = parts;
    const now = new Date(this.clock.now()).toISOString();
    const definition: ProfileDefinition = {
      name: input.name,
      certificatePem: parts.leaf.toPem(),
      chainPem: parts.chain.map((certificate) => certificate.toPem()),
      key,
      ...connection,
      autoRefresh: input.autoRefresh ?? true,
      delivery: input.delivery ?? 'file',
      ...files,
      ...(takeOver && { takeOver }),
      ...(parts.certificateName !== undefined && { certificate: parts.certificateName }),
      ...(input.names !== undefined && { names: { ...input.names } }),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.repository.add(definition);
    } catch (error) {
      await this.forgetKey(key, input.name);
      throw error;
    }
    this.logger.info('profile added', { profile: input.name, keyStorage: key.kind, delivery: definition.delivery });
    return definition;
  }

  /**
   * Changes a profile; null clears an optional field. A draft rotates the certificate and key (a new
   * keychain item, then the old one is deleted). `newName` renames it in the same change: everything is
   * checked before anything is written, and the definition is written once, so a refused rename leaves
   * no edit behind. The rename itself is `rename`'s: what the old name delivered is withdrawn first.
   * `redeliver` covers the edit only; moving the session to the new name redelivers it there.
   */
  async edit(input: EditProfileInput): Promise<ProfileChange> {
    const { definition, redeliver } = await this.change(input);
    return { definition, redeliver };
  }

  /**
   * Renames a profile. The AWS profile name changes with it, so what was delivered under the old name is
   * withdrawn first; the keychain item stays where it is (its account does not contain the name).
   * `redeliver` is whether the old name had a delivery.
   */
  async rename(name: string, newName: string, options: { readonly force?: boolean } = {}): Promise<ProfileChange> {
    checkName(newName);
    if (newName === name) return { definition: await this.repository.require(name), redeliver: false };
    const { definition, delivered } = await this.change({ name, newName, ...(options.force !== undefined && { force: options.force }) });
    return { definition, redeliver: delivered };
  }

  private async change(input: EditProfileInput): Promise<ProfileChange & { readonly delivered: boolean }> {
    const current = await this.repository.require(input.name);
    const newName = input.newName !== undefined && input.newName !== current.name ? input.newName : undefined;
    if (newName !== undefined) {
      checkName(newName);
      if (await this.repository.get(newName)) throw new RolecallError('PROFILE_EXISTS', newName);
    }
    const material = input.draftId === undefined ? undefined : this.usableMaterial(input.draftId);
    const connection = checkConnection({
      trustAnchorArn: input.trustAnchorArn ?? current.trustAnchorArn,
      profileArn: input.profileArn ?? current.profileArn,
      roleArn: input.roleArn ?? current.roleArn,
      signingRegion: cleared(input.signingRegion, current.signingRegion),
      toolRegion: cleared(input.toolRegion, current.toolRegion),
      durationSeconds: input.durationSeconds ?? current.durationSeconds,
      roleSessionName: cleared(input.roleSessionName, current.roleSessionName),
      endpoint: cleared(input.endpoint, current.endpoint),
    });
    const paths = profileFilePaths(current, this.awsPaths);
    // A new name must be free in the AWS files too; the current one is only taken over when forced.
    const takeOver = newName !== undefined
      ? await this.delivery.checkAwsName(newName, paths, input.force === true)
      : input.force === true && (await this.delivery.checkAwsName(current.name, paths, true));
    const key = await this.nextKey(current, material, input.keyStorage);
    const updatedAt = new Date(this.clock.now()).toISOString();
    const patch: Partial<ProfileDefinition> = {
      ...(material && {
        certificatePem: material.credentials.leaf.toPem(),
        chainPem: material.credentials.chain.map((certificate) => certificate.toPem()),
        // A certificate from elsewhere ends the link to the request the old one was issued for.
        certificate: material.certificateName,
      }),
      key,
      // Explicit undefined clears what null asked to clear.
      trustAnchorArn: connection.trustAnchorArn,
      profileArn: connection.profileArn,
      roleArn: connection.roleArn,
      signingRegion: connection.signingRegion,
      toolRegion: connection.toolRegion,
      durationSeconds: connection.durationSeconds,
      roleSessionName: connection.roleSessionName,
      endpoint: connection.endpoint,
      ...(input.autoRefresh !== undefined && { autoRefresh: input.autoRefresh }),
      ...(input.delivery !== undefined && { delivery: input.delivery }),
      // A new name starts with only its own takeover, and with no imported line (that stays with the old name).
      ...(newName !== undefined ? { takeOver: takeOver || undefined, imported: undefined } : takeOver && { takeOver }),
      names: nextNames(current, connection, input.names),
      updatedAt,
    };
    let definition: ProfileDefinition;
    let delivered = false;
    try {
      if (newName === undefined) {
        definition = await this.repository.put(current.name, (latest) => ({ ...latest, ...patch }));
      } else {
        delivered = (await this.repository.getDelivery(current.name)) !== undefined;
        await this.delivery.withdraw(current.name);
        // The old name leaves the config file as it goes on remove: an imported line comes back there.
        await this.delivery.forgetName(current);
        definition = await this.repository.rename(current.name, newName, (latest) => ({ ...latest, ...patch }));
      }
    } catch (error) {
      if (key !== current.key) await this.forgetKey(key, current.name);
      throw error;
    }
    if (key !== current.key) await this.forgetKey(current.key, current.name);
    this.keys.delete(current.name);
    if (input.draftId !== undefined) this.drafts.discard(input.draftId);
    const redeliver = definition.delivery !== current.delivery || definition.toolRegion !== current.toolRegion || (newName === undefined && takeOver);
    const facts = { rotated: material !== undefined, keyStorage: key.kind, delivery: definition.delivery };
    if (newName === undefined) this.logger.info('profile changed', { profile: current.name, ...facts });
    else this.logger.info('profile renamed', { profile: newName, from: current.name, ...facts });
    return { definition, redeliver, delivered };
  }

  /**
   * Deletes a profile: what it delivered is withdrawn (the AWS files come back byte for byte), an
   * imported line is put back, then its keychain item goes, then the definition. Stop its session first.
   */
  async remove(name: string): Promise<void> {
    const current = await this.repository.require(name);
    await this.delivery.withdraw(name);
    await this.delivery.forgetName(current);
    if (current.key.kind === 'keychain') await this.secrets.delete(current.key.account);
    if (current.key.kind === 'pkcs11' && current.key.pinAccount !== undefined) await this.secrets.delete(current.key.pinAccount);
    await this.repository.remove(name);
    this.keys.delete(name);
    this.logger.info('profile removed', { profile: name });
  }

  /**
   * What CreateSession is signed with. A keychain key is loaded once per profile version; a key kept in
   * the user's file is read at each call, as the user chose.
   */
  async signingMaterial(name: string): Promise<SigningMaterial> {
    const definition = await this.repository.require(name);
    if (definition.key.kind === 'pkcs11') throw new RolecallError('NOT_SUPPORTED_YET', 'reading the key of a profile whose key is on a PKCS#11 token: it only signs there');
    return this.softwareMaterial(definition, definition.key);
  }

  /** What the minter signs with: a software key (see signingMaterial), or where on a token to find one. */
  async signingKey(name: string): Promise<{ readonly kind: 'software'; readonly material: SigningMaterial } | ({ readonly kind: 'token' } & TokenSigningMaterial)> {
    const definition = await this.repository.require(name);
    if (definition.key.kind !== 'pkcs11') return { kind: 'software', material: await this.softwareMaterial(definition, definition.key) };
    return { kind: 'token', definition, leaf: onlyCertificate(definition.certificatePem), chain: definition.chainPem.map(onlyCertificate), source: definition.key };
  }

  /** The token PIN the user asked Rolecall to keep, if any. */
  async keptPin(source: TokenKeySource): Promise<string | undefined> {
    return source.pinAccount === undefined ? undefined : ((await this.secrets.get(source.pinAccount)) ?? undefined);
  }

  /** Replaces the kept PIN (a profile that keeps one), or drops it with undefined. */
  async replaceKeptPin(source: TokenKeySource, pin: string | undefined): Promise<void> {
    if (source.pinAccount === undefined) return;
    if (pin === undefined) await this.secrets.delete(source.pinAccount);
    else await this.secrets.set(source.pinAccount, pin);
  }

  private async softwareMaterial(definition: ProfileDefinition, key: KeySource): Promise<SigningMaterial> {
    const name = definition.name;
    const stamp = `${definition.updatedAt}\n${JSON.stringify(definition.key)}`;
    const cached = this.keys.get(name);
    if (cached?.stamp === stamp) return cached.material;
    const leaf = onlyCertificate(definition.certificatePem);
    const privateKey = key.kind === 'keychain'
      ? await this.keyFromKeychain(key.account, name)
      : await keyFromFile(key.path);
    if (!leaf.matchesPrivateKey(privateKey)) {
      throw new RolecallError('KEY_CERT_MISMATCH', key.kind === 'file' ? `${key.path} no longer holds the key of this profile's certificate` : undefined);
    }
    const material: SigningMaterial = {
      definition,
      leaf,
      chain: definition.chainPem.map(onlyCertificate),
      privateKey,
      serialDecimal: leaf.serialDecimal,
    };
    if (key.kind === 'keychain') this.keys.set(name, { stamp, material });
    return material;
  }

  private usableMaterial(draftId: string): DraftMaterial {
    const material = this.drafts.material(draftId);
    const { leaf, chain, privateKey } = material.credentials;
    assertUsableLeaf({ leaf, chain, privateKey, at: this.clock.now() });
    return material;
  }

  private async nextKey(current: ProfileDefinition, material: DraftMaterial | undefined, given: KeySource['kind'] | undefined): Promise<ProfileKey> {
    // Files chosen for a token profile bring a software key: the keychain unless the user says file.
    const storage = given ?? (current.key.kind === 'pkcs11' ? 'keychain' : current.key.kind);
    if (material) return this.storeKey(material, storage);
    if (given === undefined || storage === current.key.kind) return current.key;
    if (current.key.kind === 'pkcs11') throw new RolecallError('KEY_FILE_UNKNOWN', 'the key is on a PKCS#11 token and never leaves it');
    // keychain → file needs to know the file: only a draft says which.
    if (storage === 'file' || current.key.kind !== 'file') throw new RolecallError('KEY_FILE_UNKNOWN');
    const privateKey = await keyFromFile(current.key.path);
    return this.keyIntoKeychain(privateKey);
  }

  private async storeKey(material: DraftMaterial, storage: KeySource['kind']): Promise<KeySource> {
    if (storage === 'file') {
      if (material.encrypted) throw new RolecallError('KEY_FILE_ENCRYPTED', material.keyPath);
      if (material.keyPath === undefined) throw new RolecallError('KEY_FILE_UNKNOWN', 'the key was made in the keychain and has no file');
      return { kind: 'file', path: material.keyPath };
    }
    return this.keyIntoKeychain(material.credentials.privateKey);
  }

  private async keyIntoKeychain(privateKey: KeyObject): Promise<KeySource> {
    return { kind: 'keychain', account: await this.secretIntoKeychain('key', privateKeyToPkcs8Pem(privateKey)) };
  }

  private async secretIntoKeychain(prefix: 'key' | 'pin', secret: string): Promise<string> {
    // A fresh account per secret: renames never move items, and a rotation can write the new key before
    // the old one goes.
    const account = `${prefix}:${randomUUID()}`;
    try {
      await this.secrets.set(account, secret);
    } catch (error) {
      // A split item may be half written; without a keychain this fails too, and nothing was stored.
      await this.secrets.delete(account).catch(() => undefined);
      throw error;
    }
    return account;
  }

  private async forgetKey(key: ProfileKey, profile: string): Promise<void> {
    const account = key.kind === 'keychain' ? key.account : key.kind === 'pkcs11' ? key.pinAccount : undefined;
    if (account === undefined) return;
    try {
      await this.secrets.delete(account);
    } catch (error) {
      this.logger.warn('could not delete a keychain item no profile uses', { profile, account, code: isRolecallError(error) ? error.code : 'INTERNAL' });
    }
  }

  private async keyFromKeychain(account: string, profile: string): Promise<KeyObject> {
    const pem = await this.secrets.get(account);
    if (pem === null) throw new RolecallError('KEYCHAIN_ITEM_MISSING', profile, { next: `Store the key again from its file: \`rolecall profiles edit ${profile} --private-key FILE\`.` });
    return privateKeyFromPkcs8Pem(pem).keyObject;
  }
}

/** A key the user keeps in their own file: PEM, DER, or PKCS#12 without a password. */
async function keyFromFile(path: string): Promise<KeyObject> {
  const bytes = await readInputFile(path, 'private key file');
  try {
    return (isPkcs12(bytes) ? parsePkcs12(bytes).privateKey : parsePrivateKey(bytes)).keyObject;
  } catch (error) {
    if (isRolecallError(error) && error.code === 'KEY_PASSPHRASE_REQUIRED') throw new RolecallError('KEY_FILE_ENCRYPTED', path);
    throw error;
  }
}

function onlyCertificate(pem: string): Certificate {
  const [certificate] = parseCertificates(pem);
  if (!certificate) throw new RolecallError('CERT_NOT_FOUND', 'the stored profile has no certificate');
  return certificate;
}

function checkName(name: string): void {
  if (!profileNameSchema.safeParse(name).success) throw new RolecallError('PROFILE_NAME_INVALID', JSON.stringify(name));
}

/** undefined keeps the current value, null clears it. */
function cleared<T>(value: T | null | undefined, current: T | undefined): T | undefined {
  if (value === null) return undefined;
  return value ?? current;
}

/**
 * The names an edit leaves: null clears them, given ones replace, and a kept name stays only while its
 * ARN does (a name saved for another trust anchor or profile would mislead).
 */
function nextNames(current: ProfileDefinition, connection: ConnectionFields, given: EditProfileInput['names']): ProfileDefinition['names'] {
  if (given === null) return undefined;
  const names = {
    ...(connection.trustAnchorArn === current.trustAnchorArn && current.names?.trustAnchor !== undefined && { trustAnchor: current.names.trustAnchor }),
    ...(connection.profileArn === current.profileArn && current.names?.profile !== undefined && { profile: current.names.profile }),
    ...given,
  };
  return Object.keys(names).length > 0 ? names : undefined;
}

/** ARNs, regions, duration, session name and endpoint, checked the way CreateSession will need them. */
function checkConnection(fields: ConnectionFields): ConnectionFields {
  const trustAnchor = parseRolesAnywhereArn(fields.trustAnchorArn, 'trust-anchor');
  const profile = parseRolesAnywhereArn(fields.profileArn, 'profile');
  const role = parseRoleArn(fields.roleArn);
  if (trustAnchor.region !== profile.region) {
    throw new RolecallError('REGION_MISMATCH', `trust anchor in ${trustAnchor.region}, profile in ${profile.region}`);
  }
  for (const region of [fields.signingRegion, fields.toolRegion]) {
    if (region !== undefined && !isValidRegion(region)) throw new RolecallError('REGION_INVALID', JSON.stringify(region));
  }
  const duration = fields.durationSeconds;
  if (!isSessionDuration(duration)) throw new RolecallError('DURATION_INVALID', `${duration} seconds`);
  if (fields.roleSessionName !== undefined && !SESSION_NAME_PATTERN.test(fields.roleSessionName)) {
    throw new RolecallError('SESSION_NAME_INVALID', JSON.stringify(fields.roleSessionName));
  }
  if (fields.endpoint !== undefined) resolveEndpoint({ region: fields.signingRegion ?? trustAnchor.region, endpoint: fields.endpoint });
  return {
    trustAnchorArn: trustAnchor.arn,
    profileArn: profile.arn,
    roleArn: role.arn,
    ...(fields.signingRegion !== undefined && { signingRegion: fields.signingRegion }),
    ...(fields.toolRegion !== undefined && { toolRegion: fields.toolRegion }),
    durationSeconds: duration,
    ...(fields.roleSessionName !== undefined && { roleSessionName: fields.roleSessionName }),
    ...(fields.endpoint !== undefined && { endpoint: fields.endpoint }),
  };
}
