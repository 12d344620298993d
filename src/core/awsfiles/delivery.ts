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
import { giveBackLines, takeOver, type GiveBack, type TakenLines } from './taken-lines';
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
   * either file, are overwritten or removed, and their lines handed to `beforeWrite` first. Without it
   * such keys stop the delivery (AWS_PROFILE_TAKEN). */
  readonly force?: boolean;
  /**
   * Runs under a file's lock just before Rolecall changes it, with the user's lines a takeover is about
   * to replace or remove in it: the caller keeps them (and whatever else must be safe before the file
   * changes). If it throws, that file is left as it was. A takeover of lines without it is refused.
   */
  readonly beforeWrite?: (kind: AwsFileKind, taken: TakenLines | undefined) => Promise<void>;
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
  const written = await edit(paths, 'credentials', options, (doc) => {
    const taken = claim(doc, paths.credentials, 'credentials', name, owned.credentials, options, FILE_DELIVERY_KEYS);
    return { value: writeCredentialKeys(doc, name, credentials, owned.credentials), taken };
  });
  const delivery = compact(written, owned.config);
  const switching = owned.config?.keys.includes('credential_process') ?? false;
  if (!options.force && !switching && options.region === undefined) return delivery;
  return finish(delivery, async () => {
    const config = await edit(paths, 'config', options, (doc) => {
      const taken = claim(doc, paths.config, 'config', name, owned.config, options, []);
      // Switching from `process`: the command goes, a region Rolecall wrote stays Rolecall's.
      const kept = switching && owned.config ? removeOwned(doc, 'config', name, owned.config, ['credential_process']) : owned.config;
      return { value: options.region === undefined ? kept : writeToolRegion(doc, name, options.region ?? undefined, kept), taken };
    });
    return compact(written, config);
  });
}

/** `process` delivery: `credential_process = COMMAND` in `[profile NAME]` of the config file. Build
 * COMMAND with `credentialProcessCommand`. */
export async function deliverAsCredentialProcess(paths: AwsFilePaths, name: string, command: string, options: DeliverOptions = {}): Promise<AwsDelivery> {
  const owned = options.owned ?? {};
  if (!options.force) await refuseForeign(paths, name, owned);
  const written = await edit(paths, 'config', options, (doc) => {
    const taken = claim(doc, paths.config, 'config', name, owned.config, options, ['credential_process']);
    const entries = writeCredentialProcess(doc, name, command, owned.config);
    return { value: options.region === undefined ? entries : writeToolRegion(doc, name, options.region ?? undefined, entries), taken };
  });
  const delivery = compact(owned.credentials, written);
  if (!options.force && owned.credentials === undefined) return delivery;
  return finish(delivery, async () => {
    const credentials = await edit(paths, 'credentials', options, (doc) => {
      const taken = claim(doc, paths.credentials, 'credentials', name, owned.credentials, options, []);
      return { value: owned.credentials === undefined ? undefined : removeOwned(doc, 'credentials', name, owned.credentials), taken };
    });
    return compact(credentials, written);
  });
}

/** Remove what Rolecall wrote for the name (pass only the parts to remove); returns what it still owns. */
export async function withdrawDelivery(paths: AwsFilePaths, name: string, owned: AwsDelivery, update?: UpdateOptions): Promise<AwsDelivery> {
  return (await withdrawAndGiveBack(paths, name, owned, update ? { update } : {})).owned;
}

export interface WithdrawOptions {
  /** Per file, the user's lines a takeover replaced (what `beforeWrite` was given when delivering). */
  readonly taken?: Partial<Record<AwsFileKind, TakenLines>>;
  /** Runs under a file's lock just before the withdrawal changes it. */
  readonly beforeWrite?: (kind: AwsFileKind) => Promise<void>;
  readonly update?: UpdateOptions;
}

export interface Withdrawal {
  /** What Rolecall still owns. */
  readonly owned: AwsDelivery;
  /** Per file that had taken lines, whether they are back (see GiveBack). */
  readonly givenBack: Partial<Record<AwsFileKind, GiveBack>>;
}

/**
 * Withdraw, and put back the user's lines a takeover replaced where they were. Lines that cannot go
 * back because the user edited the section meanwhile are reported as 'edited', and Rolecall's own keys
 * are removed all the same.
 */
export async function withdrawAndGiveBack(paths: AwsFilePaths, name: string, owned: AwsDelivery, options: WithdrawOptions = {}): Promise<Withdrawal> {
  const taken = options.taken ?? {};
  const givenBack: Partial<Record<AwsFileKind, GiveBack>> = {};
  const withdraw = (kind: AwsFileKind) => (doc: IniDocument): OwnedEntries | undefined => {
    const entries = owned[kind];
    const lines = taken[kind];
    const outcome = lines && giveBackLines(doc, lines, entries?.keys ?? []);
    if (outcome !== undefined) givenBack[kind] = outcome;
    if (outcome === 'given-back' || entries === undefined) return undefined;
    return removeOwned(doc, kind, name, entries);
  };
  const update = (kind: AwsFileKind) => updateAwsFile(paths[kind], withdraw(kind), options.update, async () => options.beforeWrite?.(kind));
  const touches = (kind: AwsFileKind) => owned[kind] !== undefined || taken[kind] !== undefined;
  const credentials = touches('credentials') ? await update('credentials') : owned.credentials;
  const afterFirst = compact(credentials, owned.config);
  if (!touches('config')) return { owned: afterFirst, givenBack };
  const config = await finish(afterFirst, () => update('config'));
  return { owned: compact(credentials, config), givenBack };
}

/** One locked update of one file, running `beforeWrite` with what the edit took over before it is replaced. */
function edit<T>(paths: AwsFilePaths, kind: AwsFileKind, options: DeliverOptions, change: (doc: IniDocument) => { value: T; taken: TakenLines | undefined }): Promise<T> {
  let taken: TakenLines | undefined;
  const hook = options.beforeWrite;
  return updateAwsFile(paths[kind], (doc) => {
    const result = change(doc);
    taken = result.taken;
    return result.value;
  }, options.update, async () => {
    if (hook) await hook(kind, taken);
    else if (taken) throw new RolecallError('INTERNAL', 'a takeover needs somewhere to keep the lines it replaces');
  });
}

async function refuseForeign(paths: AwsFilePaths, name: string, owned: AwsDelivery): Promise<void> {
  const foreign = await findForeignCredentials(paths, name, owned);
  if (foreign.credentials.length > 0) throw taken(paths.credentials, 'credentials', name, foreign.credentials);
  if (foreign.config.length > 0) throw taken(paths.config, 'config', name, foreign.config);
}

/** Inside the locked update: refuse someone else's keys (they may have appeared since the first look),
 * or with force remove them, except those about to be overwritten in place, and return their lines as
 * they were. */
function claim(doc: IniDocument, where: string, kind: AwsFileKind, name: string, owned: OwnedEntries | undefined, options: DeliverOptions, overwriting: readonly string[]): TakenLines | undefined {
  const foreign = foreignCredentials(doc, kind, name, owned);
  if (foreign.length === 0) return undefined;
  if (!options.force) throw taken(where, kind, name, foreign);
  return takeOver(doc, kind, name, foreign, owned?.keys ?? [], overwriting);
}

async function finish<T>(sofar: AwsDelivery, step: () => Promise<T>): Promise<T> {
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
