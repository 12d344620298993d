// The profiles of one Rolecall home, opened the one way both the agent and the agent-less
// `credential-process --profile` path use: the store, the drafts, the AWS files and the manager over them.
import { awsFilePaths, type AwsFilePaths } from '../awsfiles';
import type { Logger } from '../log';
import type { Clock } from '../platform/clock';
import type { SecretStore } from '../secrets';
import { DraftRegistry } from './drafts';
import { ProfileManager } from './manager';
import { ProfileRepository } from './repository';

export interface ProfileHome {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly platform: NodeJS.Platform;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How SDKs launch the CLI, for credential_process lines. */
  readonly cliCommand: readonly string[];
}

export interface OpenedProfiles {
  readonly repository: ProfileRepository;
  readonly drafts: DraftRegistry;
  readonly awsPaths: AwsFilePaths;
  readonly profiles: ProfileManager;
}

export function openProfiles(home: ProfileHome): OpenedProfiles {
  const repository = new ProfileRepository({ dataDir: home.dataDir, logger: home.logger });
  const drafts = new DraftRegistry({ clock: home.clock });
  const awsPaths = awsFilePaths(home.env, home.homedir);
  const profiles = new ProfileManager({
    repository,
    drafts,
    secrets: home.secrets,
    awsPaths,
    clock: home.clock,
    logger: home.logger,
    cliCommand: home.cliCommand,
    platform: home.platform,
  });
  return { repository, drafts, awsPaths, profiles };
}
