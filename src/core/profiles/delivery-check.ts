// Whether the AWS files still hold what Rolecall delivered for a profile: a starting agent resuming an
// activation re-delivers only what is missing (the file was restored from a backup, the user removed
// the section, the AWS_* variables now name other files) instead of rewriting every file it owns.
import { profileSection, readAwsFile, type AwsFilePaths } from '../awsfiles';
import type { SessionCredentials } from '../rolesanywhere';
import type { ProfileDefinition } from './definition';
import { profileFilePaths } from './delivery';
import type { ProfileRepository } from './repository';

export interface DeliveryCheckOptions {
  readonly repository: ProfileRepository;
  readonly awsPaths: AwsFilePaths;
  /** The `credential_process` line Rolecall writes for a profile. */
  readonly commandFor: (name: string) => string;
}

export async function holdsDelivery(definition: ProfileDefinition, credentials: SessionCredentials, options: DeliveryCheckOptions): Promise<boolean> {
  const { name } = definition;
  const record = await options.repository.getDelivery(name);
  if (record === undefined) return false;
  const paths = profileFilePaths(definition, options.awsPaths);
  if (record.paths.credentials !== paths.credentials || record.paths.config !== paths.config) return false;
  if (definition.delivery === 'file') {
    const file = await readAwsFile(paths.credentials);
    const section = profileSection('credentials', name);
    return file.get(section, 'aws_access_key_id') === credentials.accessKeyId && file.get(section, 'aws_session_token') === credentials.sessionToken;
  }
  const config = await readAwsFile(paths.config);
  return config.get(profileSection('config', name), 'credential_process') === options.commandFor(name);
}
