// Puts a profile's session where its delivery mode says, through the AWS files, and takes it back.
// What Rolecall wrote (keys, created sections, the files' paths) is recorded in the profile store after
// every write, so withdrawing later removes exactly that and the files come back byte for byte. The
// files' own mode, owner and existence, and the user's lines a takeover (--force) replaced, are in the
// AWS file ledger and the keychain, and come back with the withdrawal too.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { RolecallError, isRolecallError } from '../../shared/errors';
import {
  DeliveryInterrupted,
  credentialProcessCommand,
  decodeTakenLines,
  deliverAsCredentialProcess,
  deliverToCredentialsFile,
  encodeTakenLines,
  findForeignCredentials,
  giveBackLines,
  profileSection,
  readAwsFile,
  updateAwsFile,
  withdrawAndGiveBack,
  type IniDocument,
  type AwsDelivery,
  type AwsFileKind,
  type AwsFilePaths,
  type TakenLines,
  type UpdateOptions,
} from '../awsfiles';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import type { SessionCredentials } from '../rolesanywhere';
import type { SecretStore } from '../secrets';
import type { SessionDelivery } from '../sessions/ports';
import { AwsFileLedger, type KeptLines } from './aws-file-ledger';
import type { ProfileDefinition } from './definition';
import { readSigningHelperCommand } from './import/signing-helper-command';
import { splitCommandLine } from './import/split-command-line';
import type { DeliveryRecord, ProfileRepository } from './repository';

export interface ProfileDeliveryOptions {
  readonly repository: ProfileRepository;
  /** Keeps the user's lines a takeover replaces until they go back into the file. */
  readonly secrets: SecretStore;
  /** The user's AWS files (awsFilePaths), for profiles that do not name their own. */
  readonly awsPaths: AwsFilePaths;
  /** What runs the CLI, absolute: e.g. [process.execPath, '/abs/bin/rolecall.mjs'], or a packaged binary. */
  readonly cliCommand: readonly string[];
  readonly platform?: NodeJS.Platform;
  readonly update?: UpdateOptions;
  readonly logger?: Logger;
}

/** The AWS files a profile uses: its own when it names them (sandbox profiles), else the user's. */
export function profileFilePaths(definition: Pick<ProfileDefinition, 'credentialsFile' | 'configFile'>, awsPaths: AwsFilePaths): AwsFilePaths {
  return { credentials: definition.credentialsFile ?? awsPaths.credentials, config: definition.configFile ?? awsPaths.config };
}

/** The file a profile's delivery mode writes to. */
export function deliveredTo(definition: Pick<ProfileDefinition, 'credentialsFile' | 'configFile' | 'delivery'>, awsPaths: AwsFilePaths): string {
  const paths = profileFilePaths(definition, awsPaths);
  return definition.delivery === 'file' ? paths.credentials : paths.config;
}

export class ProfileDelivery implements SessionDelivery {
  readonly awsPaths: AwsFilePaths;
  private readonly repository: ProfileRepository;
  private readonly secrets: SecretStore;
  private readonly ledger: AwsFileLedger;
  private readonly cliCommand: readonly string[];
  private readonly platform: NodeJS.Platform;
  private readonly update: UpdateOptions | undefined;
  private readonly logger: Logger;
  // One delivery change per name at a time: each is read record → write files → record.
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: ProfileDeliveryOptions) {
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.ledger = new AwsFileLedger({ dataDir: dirname(options.repository.path), ...(options.logger && { logger: options.logger }) });
    this.awsPaths = options.awsPaths;
    this.cliCommand = options.cliCommand;
    this.platform = options.platform ?? process.platform;
    // The AWS file writes report a lock taken over or not released where the rest is logged.
    this.update = options.logger ? { ...options.update, logger: options.logger } : options.update;
    this.logger = options.logger ?? nullLogger;
  }

  /** `credential_process` line of a profile. */
  commandFor(name: string): string {
    return credentialProcessCommand(this.cliCommand, name, this.platform);
  }

  /**
   * Throws AWS_PROFILE_TAKEN when the AWS profile `name` holds credentials Rolecall did not write in
   * either file (SDKs merge both), unless `force`. Returns whether there are any to take over.
   */
  async checkAwsName(name: string, paths: AwsFilePaths, force: boolean): Promise<boolean> {
    const record = await this.repository.getDelivery(name);
    const owned = record && samePaths(record.paths, paths) ? record.owned : {};
    const foreign = await findForeignCredentials(paths, name, owned);
    const where = (['credentials', 'config'] as const).find((kind) => foreign[kind].length > 0);
    if (where === undefined) return false;
    if (force) return true;
    const keys = foreign[where].join(', ');
    throw new RolecallError('AWS_PROFILE_TAKEN', `[${profileSection(where, name).header}] in ${paths[where]} already has ${keys}, which Rolecall did not write`);
  }

  deliver(name: string, credentials: SessionCredentials): Promise<void> {
    return this.serial(name, async () => {
      const definition = await this.repository.require(name);
      const paths = profileFilePaths(definition, this.awsPaths);
      let record = await this.repository.getDelivery(name);
      if (record && !samePaths(record.paths, paths)) {
        // The profile's files changed (or AWS_* variables did): clean the old ones first. Lines of the
        // user's that cannot go back there yet stay kept, and the next withdrawal tries again.
        await this.withdrawAll(name, record).catch((error: unknown) => {
          if (!isRolecallError(error) || error.code !== 'AWS_LINES_KEPT') throw error;
          this.logger.warn('lines taken over are still kept', { profile: name, detail: error.detail });
        });
        record = undefined;
      }
      // A region Rolecall wrote earlier and the user has since cleared must go (null); otherwise leave it.
      const region = definition.toolRegion ?? (record?.owned.config?.keys.includes('region') ? null : undefined);
      const options = {
        owned: record?.owned ?? {},
        force: definition.takeOver === true,
        beforeWrite: async (kind: AwsFileKind, taken: TakenLines | undefined) => {
          await this.ledger.enter(name, paths[kind]);
          if (taken) await this.keepTaken(name, paths[kind], taken);
        },
        ...(region !== undefined && { region }),
        ...(this.update && { update: this.update }),
      };
      let owned: AwsDelivery;
      try {
        owned = definition.delivery === 'file'
          ? await deliverToCredentialsFile(paths, name, credentials, options)
          : await deliverAsCredentialProcess(paths, name, this.commandFor(name), options);
      } catch (error) {
        if (error instanceof DeliveryInterrupted) await this.repository.recordDelivery({ name, paths, owned: error.delivery });
        throw error;
      }
      const clearTakeOver = definition.takeOver ? (current: ProfileDefinition) => ({ ...current, takeOver: undefined }) : undefined;
      await this.repository.recordDelivery({ name, paths, owned }, clearTakeOver);
      await this.leaveUnowned(name, paths, owned);
      this.logger.debug('delivered', { profile: name, mode: definition.delivery, file: definition.delivery === 'file' ? paths.credentials : paths.config });
    });
  }

  /** Take back what was delivered for the name, and give back what a takeover replaced. */
  withdraw(name: string): Promise<void> {
    return this.serial(name, async () => this.withdrawAll(name, await this.repository.getDelivery(name)));
  }

  /**
   * Withdraw the record (if any), put back every line a takeover of the name replaced, and let each
   * file the name no longer holds anything in get its mode and owner back. AWS_LINES_KEPT when some
   * lines could not go back (they stay in the keychain and the next withdrawal tries again).
   */
  private async withdrawAll(name: string, record: DeliveryRecord | undefined): Promise<void> {
    const kept = await this.ledger.kept(name);
    const loaded = await this.loadTaken(kept);
    const stuck: KeptLines[] = [];
    const giveBack = async (paths: AwsFilePaths, owned: AwsDelivery, entries: readonly KeptLines[]): Promise<AwsDelivery> => {
      const taken: Partial<Record<AwsFileKind, TakenLines>> = {};
      for (const entry of entries) {
        const lines = loaded.lines.get(entry);
        if (lines) taken[entry.kind] = lines;
      }
      const { owned: remaining, givenBack } = await withdrawAndGiveBack(paths, name, owned, {
        taken,
        // A file the name had already left (its mode given back) must be remembered again before it changes.
        beforeWrite: (kind) => this.ledger.enter(name, paths[kind]),
        ...(this.update && { update: this.update }),
      });
      for (const entry of entries) {
        const outcome = givenBack[entry.kind];
        if (outcome === 'edited') stuck.push(entry);
        else if (outcome !== undefined) await this.dropTaken(entry);
      }
      return remaining;
    };
    const withRecord = record ? kept.filter((entry) => record.paths[entry.kind] === entry.path) : [];
    let remaining: AwsDelivery = {};
    if (record) {
      try {
        remaining = await giveBack(record.paths, record.owned, withRecord);
      } catch (error) {
        if (error instanceof DeliveryInterrupted) await this.repository.recordDelivery({ ...record, owned: error.delivery });
        throw error;
      }
      await this.repository.recordDelivery({ ...record, owned: remaining });
      this.logger.debug('withdrawn', { profile: name });
    }
    // Lines kept from files the record no longer names (an earlier withdrawal could not put them back).
    for (const entry of kept.filter((candidate) => !withRecord.includes(candidate))) {
      await giveBack({ credentials: entry.path, config: entry.path }, {}, [entry]);
    }
    await this.leaveUnowned(name, record?.paths, remaining);
    if (loaded.failure) throw loaded.failure;
    if (stuck.length > 0) {
      const where = stuck.map((entry) => `[${profileSection(entry.kind, name).header}] in ${entry.path} (keychain item "${entry.account}" of service Rolecall)`);
      throw new RolecallError('AWS_LINES_KEPT', where.join('; '));
    }
  }

  /**
   * Keeps the config section an import is about to switch to Rolecall (in the keychain: the line may
   * carry --pkcs8-password) and records it with the profile; the file's mode is remembered first, since
   * the import's write leaves it readable by its owner only.
   */
  async keepImported(name: string, configFile: string, original: TakenLines): Promise<void> {
    const definition = await this.repository.require(name);
    const account = definition.imported?.configFile === configFile ? definition.imported.account : `imported:${randomUUID()}`;
    await this.ledger.enter(name, configFile);
    await this.secrets.set(account, encodeTakenLines(original));
    if (definition.imported?.account !== account) await this.repository.put(name, (current) => ({ ...current, imported: { configFile, account } }));
  }

  /**
   * The profile is going: after `withdraw`, the config section an import switched gets its line back
   * byte for byte, and a `credential_process` still running `rolecall credential-process --profile NAME`
   * (which could only fail from now on) goes. A line of the user's own is left alone. The file gets its
   * mode back once no profile holds anything in it.
   */
  forgetName(definition: ProfileDefinition): Promise<void> {
    const { name } = definition;
    return this.serial(name, async () => {
      const path = definition.imported?.configFile ?? profileFilePaths(definition, this.awsPaths).config;
      const stored = definition.imported === undefined ? null : await this.secrets.get(definition.imported.account);
      const original = stored === null ? undefined : decodeTakenLines(stored);
      const edit = (doc: IniDocument): 'given-back' | 'removed' | 'none' => {
        const section = profileSection('config', name);
        const value = doc.get(section, 'credential_process');
        if (value !== undefined && !this.runsRolecallFor(value, name)) return 'none';
        if (original && giveBackLines(doc, original, ['credential_process']) === 'given-back') return 'given-back';
        if (value === undefined) return 'none';
        doc.remove(section, ['credential_process']);
        doc.removeSectionIfEmpty(section);
        return 'removed';
      };
      // Looked at first without the lock, so a missing file or folder is not created for nothing.
      if (edit(await readAwsFile(path)) !== 'none') {
        const outcome = await updateAwsFile(path, edit, this.update ?? {}, async () => this.ledger.enter(name, path));
        if (original && outcome !== 'given-back') this.logger.warn('the imported line could not be put back: its section changed since the import', { profile: name, file: path });
      }
      await this.ledger.leave(name, [path]);
      if (definition.imported !== undefined) await this.secrets.delete(definition.imported.account);
    });
  }

  /** Whether a credential_process value runs `rolecall credential-process --profile NAME`, however launched. */
  private runsRolecallFor(value: string, name: string): boolean {
    try {
      const command = readSigningHelperCommand(splitCommandLine(value, this.platform));
      return command.kind === 'rolecall-profile' && command.profile === name;
    } catch {
      return false;
    }
  }

  /** Keep the user's lines a takeover is about to replace, before the file changes. */
  private async keepTaken(name: string, path: string, taken: TakenLines): Promise<void> {
    const account = this.ledger.keptAccount(name, path);
    const encoded = encodeTakenLines(taken);
    const earlier = (await this.ledger.kept(name)).find((entry) => entry.path === path);
    // An earlier attempt that never reached the file took the same lines; different ones would overwrite
    // lines Rolecall still owes the user.
    if (earlier && (await this.secrets.get(earlier.account)) !== encoded) {
      throw new RolecallError('AWS_PROFILE_TAKEN', `[${profileSection(taken.kind, name).header}] in ${path} has new lines of yours while Rolecall still keeps the ones it took over before: deactivate ${name} first to get those back`);
    }
    await this.secrets.set(account, encoded);
    await this.ledger.keep({ name, path, kind: taken.kind, account });
  }

  /** The kept lines, read from the keychain. A keychain that cannot be read now leaves them where they
   * are (Rolecall's own keys are still withdrawn) and its error is thrown at the end. */
  private async loadTaken(kept: readonly KeptLines[]): Promise<{ lines: Map<KeptLines, TakenLines>; failure?: unknown }> {
    const lines = new Map<KeptLines, TakenLines>();
    for (const entry of kept) {
      let stored: string | null;
      try {
        stored = await this.secrets.get(entry.account);
      } catch (error) {
        return { lines, failure: error };
      }
      // The user removed the item themselves: nothing is left to put back.
      if (stored === null) await this.ledger.forget(entry.name, entry.path);
      else lines.set(entry, decodeTakenLines(stored));
    }
    return { lines };
  }

  private async dropTaken(entry: KeptLines): Promise<void> {
    await this.secrets.delete(entry.account);
    await this.ledger.forget(entry.name, entry.path);
  }

  /** Files the name holds nothing in any more get their mode and owner back (see AwsFileLedger.leave). */
  private async leaveUnowned(name: string, paths: AwsFilePaths | undefined, owned: AwsDelivery): Promise<void> {
    const holding = new Set((['credentials', 'config'] as const).filter((kind) => owned[kind] !== undefined).map((kind) => paths?.[kind]));
    const left = (await this.ledger.held(name)).filter((path) => !holding.has(path));
    await this.ledger.leave(name, left);
  }

  private serial<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return run;
  }
}

function samePaths(a: AwsFilePaths, b: AwsFilePaths): boolean {
  return a.credentials === b.credentials && a.config === b.config;
}
