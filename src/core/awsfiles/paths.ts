// Where the AWS files are: the SDKs' own rules, so Rolecall writes the files that AWS tools read.
import { isAbsolute, join, resolve } from 'node:path';

export interface AwsFilePaths {
  readonly credentials: string;
  readonly config: string;
}

/** AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE when set (a leading `~` is the home folder, as in
 * botocore), else ~/.aws/credentials and ~/.aws/config. */
export function awsFilePaths(env: Readonly<Record<string, string | undefined>>, homedir: string): AwsFilePaths {
  return {
    credentials: fromEnv(env.AWS_SHARED_CREDENTIALS_FILE, homedir) ?? join(homedir, '.aws', 'credentials'),
    config: fromEnv(env.AWS_CONFIG_FILE, homedir) ?? join(homedir, '.aws', 'config'),
  };
}

function fromEnv(value: string | undefined, homedir: string): string | undefined {
  // An empty variable is unset for every SDK.
  if (value === undefined || value === '') return undefined;
  if (value === '~') return homedir;
  if (value.startsWith('~/') || value.startsWith('~\\')) return join(homedir, value.slice(2));
  return isAbsolute(value) ? value : resolve(value);
}
