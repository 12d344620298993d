// The environment that hands a session to a terminal or a child process, and the script that sets it
// in each shell. One set of credentials must be the only source an SDK can pick, so every variable
// that names another source is removed: environment keys lose to nothing except AWS_PROFILE in the JS
// SDK v3 (it skips the environment when a profile is named), and a relative container URI or a token
// file beats the full URI and the token in every SDK.
import type { CredentialsOutput } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { Shell } from '../../shared/model';
import { assignment, removals } from './shell-quote';

export type EnvVars = Readonly<Record<string, string>>;

/** Every variable that selects or carries credentials; a new source replaces all of them. */
export const CREDENTIAL_SOURCE_VARIABLES: readonly string[] = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  // boto 2 and some old tools read the token under this name; a stale one must not outlive its session.
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/** Where a running credentials endpoint serves each profile (see startCredentialsEndpoint). */
export interface EndpointAddress {
  readonly urls: Readonly<Record<string, string>>;
  readonly token: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function regionVars(toolRegion: string | undefined): EnvVars {
  return toolRegion === undefined ? {} : { AWS_REGION: toolRegion, AWS_DEFAULT_REGION: toolRegion };
}

/** The variables that carry a session as static keys (what `exec` adds and `env` exports). */
export function envVars(credentials: CredentialsOutput): EnvVars {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: credentials.expiration,
    ...regionVars(credentials.toolRegion),
  };
}

/** The variables that point SDKs at one profile of a credentials endpoint; they refresh by themselves. */
export function endpointEnvVars(endpoint: EndpointAddress, name: string, toolRegion?: string): EnvVars {
  const url = endpoint.urls[name];
  if (url === undefined) throw new RolecallError('USAGE', `the credentials endpoint does not serve profile ${name}`);
  return {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token,
    ...regionVars(toolRegion),
  };
}

/**
 * A script for `shell` that first removes every credential source not being set, then sets `vars`.
 * One statement per line; values are quoted so no character can break out of its line.
 */
export function renderEnvScript(vars: EnvVars, shell: Shell): string {
  const names = Object.keys(vars);
  const invalid = names.find((name) => !VARIABLE_NAME.test(name));
  if (invalid !== undefined) throw new RolecallError('INTERNAL', `not a variable name: ${invalid}`);
  const stale = CREDENTIAL_SOURCE_VARIABLES.filter((name) => !Object.hasOwn(vars, name));
  const lines = [...removals(shell, stale), ...names.map((name) => assignment(shell, name, vars[name] ?? ''))];
  return `${lines.join('\n')}\n`;
}

/** Shell commands that put a session's keys into the current terminal. */
export function renderEnv(credentials: CredentialsOutput, shell: Shell): string {
  return renderEnvScript(envVars(credentials), shell);
}

/** Shell commands that point the current terminal at one profile of a credentials endpoint. */
export function exportsFor(endpoint: EndpointAddress, name: string, shell: Shell, toolRegion?: string): string {
  return renderEnvScript(endpointEnvVars(endpoint, name, toolRegion), shell);
}
