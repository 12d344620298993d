// Puts a profile's session where its delivery mode says, through the AWS files, and takes it back.
// What Rolecall wrote (keys, created sections, the files' paths) is recorded in the profile store after
// every write, so withdrawing later removes exactly that and the files come back byte for byte.
import { RolecallError } from '../../shared/errors';
import {
  DeliveryInterrupted,
  credentialProcessCommand,
  deliverAsCredentialProcess,
  deliverToCredentialsFile,
  findForeignCredentials,
  profileSection,
  withdrawDelivery,
  type AwsDelivery,
  type AwsFilePaths,
  type UpdateOptions,
} from '../awsfiles';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import type { SessionCredentials } from '../rolesanywhere';
import type { SessionDelivery } from '../sessions/ports';
import type { ProfileDefinition } from './definition';
import type { DeliveryRecord, ProfileRepository } from './repository';

export interface ProfileDeliveryOptions {
  readonly repository: ProfileRepository;
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
  private readonly cliCommand: readonly string[];
  private readonly platform: NodeJS.Platform;
  private readonly update: UpdateOptions | undefined;
  private readonly logger: Logger;
  // One delivery change per name at a time: each is read record → write files → record.
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: ProfileDeliveryOptions) {
    this.repository = options.repository;
    this.awsPaths = options.awsPaths;
    this.cliCommand = options.cliCommand;
    this.platform = options.platform ?? process.platform;
    this.update = options.update;
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
        // The profile's files changed (or AWS_* variables did): clean the old ones first.
        await this.withdrawRecord(record);
        record = undefined;
      }
      // A region Rolecall wrote earlier and the user has since cleared must go (null); otherwise leave it.
      const region = definition.toolRegion ?? (record?.owned.config?.keys.includes('region') ? null : undefined);
      const options = {
        owned: record?.owned ?? {},
        force: definition.takeOver === true,
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
      this.logger.debug('delivered', { profile: name, mode: definition.delivery, file: definition.delivery === 'file' ? paths.credentials : paths.config });
    });
  }

  withdraw(name: string): Promise<void> {
    return this.serial(name, async () => {
      const record = await this.repository.getDelivery(name);
      if (record) await this.withdrawRecord(record);
    });
  }

  private async withdrawRecord(record: DeliveryRecord): Promise<void> {
    let remaining: AwsDelivery;
    try {
      remaining = await withdrawDelivery(record.paths, record.name, record.owned, this.update);
    } catch (error) {
      if (error instanceof DeliveryInterrupted) await this.repository.recordDelivery({ ...record, owned: error.delivery });
      throw error;
    }
    await this.repository.recordDelivery({ ...record, owned: remaining });
    this.logger.debug('withdrawn', { profile: record.name });
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
