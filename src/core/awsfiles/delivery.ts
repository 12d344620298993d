// Delivering a profile's credentials through the AWS files, one name one way: `file` (keys in the
// credentials file) or `process` (`credential_process` in the config file). Each file is changed in
// its own locked, checked update; switching ways writes the new way first, so a tool reading in between
// always finds working credentials (static keys win while both exist).
import { RolecallError, isRolecallError } from '../../shared/errors';
import {
  foreignCredentials,
  removeOwned,
  writeCredentialKeys,
  writeCredentialProcess,
  writeToolRegion,
  FILE_DELIVERY_KEYS,
  type OwnedEntries,
  type SessionCredentials,
} from './delivery-edits';
import type { IniDocument } from './ini';
import type { AwsFilePaths } from './paths';
import { profileSection, type AwsFileKind } from './profile-section';
import { readAwsFile, updateAwsFile, type UpdateOptions } from './write';

/** What Rolecall owns for one profile name, per file. Rolecall's store keeps it between runs. */
export interface AwsDelivery {
  readonly credentials?: OwnedEntries;
  readonly config?: OwnedEntries;
}

export interface DeliverOptions {
  /** What Rolecall wrote for this name before (from its store). */
  readonly owned?: AwsDelivery;
  /** The user asked Rolecall to take the name over: credential keys someone else wrote for it, in
   * either file, are overwritten or removed. Without it such keys stop the delivery (AWS_PROFILE_TAKEN). */
  readonly force?: boolean;
  /** The default region for AWS tools: a string when the user set one, null when they cleared it,
   * undefined to leave it as it is (a refresh touches only what carries the credentials). */
  readonly region?: string | null;
  readonly update?: UpdateOptions;
}

/** The first file was written and the second was not: `delivery` is what Rolecall owns now. */
export class DeliveryInterrupted extends RolecallError {
  readonly delivery: AwsDelivery;

  constructor(cause: unknown, delivery: AwsDelivery) {
    super(isRolecallError(cause) ? cause.code : 'INTERNAL', isRolecallError(cause) ? cause.detail : undefined, { cause });
    this.name = 'DeliveryInterrupted';
    this.delivery = delivery;
  }
}

/** Credential keys for the name that Rolecall did not write, in each file (a read-only look). */
export async function findForeignCredentials(paths: AwsFilePaths, name: string, owned: AwsDelivery = {}): Promise<Record<AwsFileKind, string[]>> {
  const [credentials, config] = await Promise.all([readAwsFile(paths.credentials), readAwsFile(paths.config)]);
  return {
    credentials: foreignCredentials(credentials, 'credentials', name, owned.credentials),
    config: foreignCredentials(config, 'config', name, owned.config),
  };
}

/** `file` delivery: session keys in `[NAME]` of the credentials file (refreshes rewrite only that file). */
export async function deliverToCredentialsFile(paths: AwsFilePaths, name: string, credentials: SessionCredentials, options: DeliverOptions = {}): Promise<AwsDelivery> {
  const owned = options.owned ?? {};
  if (!options.force) await refuseForeign(paths, name, owned);
  const written = await updateAwsFile(paths.credentials, (doc) => {
    claim(doc, paths.credentials, 'credentials', name, owned.credentials, options.force, FILE_DELIVERY_KEYS);
    return writeCredentialKeys(doc, name, credentials, owned.credentials);
  }, options.update);
  const delivery = compact(written, owned.config);
  const switching = owned.config?.keys.includes('credential_process') ?? false;
  if (!options.force && !switching && options.region === undefined) return delivery;
  return finish(delivery, async () => {
    const config = await updateAwsFile(paths.config, (doc) => {
      claim(doc, paths.config, 'config', name, owned.config, options.force, []);
      // Switching from `process`: the command goes, a region Rolecall wrote stays Rolecall's.
      const kept = switching && owned.config ? removeOwned(doc, 'config', name, owned.config, ['credential_process']) : owned.config;
      return options.region === undefined ? kept : writeToolRegion(doc, name, options.region ?? undefined, kept);
    }, options.update);
    return compact(written, config);
  });
}

/** `process` delivery: `credential_process = COMMAND` in `[profile NAME]` of the config file. Build
 * COMMAND with `credentialProcessCommand`. */
export async function deliverAsCredentialProcess(paths: AwsFilePaths, name: string, command: string, options: DeliverOptions = {}): Promise<AwsDelivery> {
  const owned = options.owned ?? {};
  if (!options.force) await refuseForeign(paths, name, owned);
  const written = await updateAwsFile(paths.config, (doc) => {
    claim(doc, paths.config, 'config', name, owned.config, options.force, ['credential_process']);
    const entries = writeCredentialProcess(doc, name, command, owned.config);
    return options.region === undefined ? entries : writeToolRegion(doc, name, options.region ?? undefined, entries);
  }, options.update);
  const delivery = compact(owned.credentials, written);
  if (!options.force && owned.credentials === undefined) return delivery;
  return finish(delivery, async () => {
    const credentials = await updateAwsFile(paths.credentials, (doc) => {
      claim(doc, paths.credentials, 'credentials', name, owned.credentials, options.force, []);
      return owned.credentials === undefined ? undefined : removeOwned(doc, 'credentials', name, owned.credentials);
    }, options.update);
    return compact(credentials, written);
  });
}

/** Remove what Rolecall wrote for the name (pass only the parts to remove); returns what it still owns. */
export async function withdrawDelivery(paths: AwsFilePaths, name: string, owned: AwsDelivery, update?: UpdateOptions): Promise<AwsDelivery> {
  const remove = (kind: AwsFileKind, entries: OwnedEntries) => (doc: IniDocument) => removeOwned(doc, kind, name, entries);
  const credentials = owned.credentials && (await updateAwsFile(paths.credentials, remove('credentials', owned.credentials), update));
  const afterFirst = compact(credentials, owned.config);
  if (owned.config === undefined) return afterFirst;
  const config = owned.config;
  return finish(afterFirst, async () => compact(credentials, await updateAwsFile(paths.config, remove('config', config), update)));
}

async function refuseForeign(paths: AwsFilePaths, name: string, owned: AwsDelivery): Promise<void> {
  const foreign = await findForeignCredentials(paths, name, owned);
  if (foreign.credentials.length > 0) throw taken(paths.credentials, 'credentials', name, foreign.credentials);
  if (foreign.config.length > 0) throw taken(paths.config, 'config', name, foreign.config);
}

/** Inside the locked update: refuse someone else's keys (they may have appeared since the first look),
 * or with force remove them, except those about to be overwritten in place. */
function claim(doc: IniDocument, where: string, kind: AwsFileKind, name: string, owned: OwnedEntries | undefined, force: boolean | undefined, overwriting: readonly string[]): void {
  const foreign = foreignCredentials(doc, kind, name, owned);
  if (foreign.length === 0) return;
  if (!force) throw taken(where, kind, name, foreign);
  const doomed = foreign.filter((key) => !overwriting.includes(key));
  if (doomed.length > 0) doc.remove(profileSection(kind, name), doomed);
}

async function finish(sofar: AwsDelivery, step: () => Promise<AwsDelivery>): Promise<AwsDelivery> {
  try {
    return await step();
  } catch (error) {
    throw new DeliveryInterrupted(error, sofar);
  }
}

function taken(where: string, kind: AwsFileKind, name: string, keys: readonly string[]): RolecallError {
  return new RolecallError('AWS_PROFILE_TAKEN', `[${profileSection(kind, name).header}] in ${where} has ${keys.join(', ')}`);
}

function compact(credentials: OwnedEntries | undefined, config: OwnedEntries | undefined): AwsDelivery {
  return { ...(credentials && { credentials }), ...(config && { config }) };
}
