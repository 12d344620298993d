// Credentials of a named AWS CLI profile, resolved the way the AWS SDK resolves them (static keys,
// source_profile and role_arn, credential_process, SSO), for listing trust anchors and profiles.
import { homedir as osHomedir } from 'node:os';
import { fromIni } from '@aws-sdk/credential-providers';
import { RolecallError } from '../../shared/errors';
import { awsFilePaths } from '../awsfiles';
import type { AwsCredentials } from './discovery';

export interface AwsProfileOptions {
  /** Where AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE come from (the agent's or a test's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir?: string;
}

const MAX_DETAIL_LENGTH = 300;

export async function resolveAwsProfileCredentials(profile: string, options: AwsProfileOptions): Promise<AwsCredentials> {
  const paths = awsFilePaths(options.env, options.homedir ?? osHomedir());
  const provider = fromIni({
    profile,
    filepath: paths.credentials,
    configFilepath: paths.config,
    // The agent lives for days while the user edits these files.
    ignoreCache: true,
  });
  try {
    const { accessKeyId, secretAccessKey, sessionToken } = await provider();
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } catch (error) {
    // Provider messages name profiles, files and settings; only the first line, in case a
    // credential_process echoed more.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    throw new RolecallError('AWS_PROFILE_UNUSABLE', `${profile}: ${message}`.slice(0, MAX_DETAIL_LENGTH), { cause: error });
  }
}
