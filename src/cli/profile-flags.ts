// The flags `rolecall profiles add` and `profiles edit` share: certificate files, passphrase sources and
// the profile's connection settings, parsed into the shapes of the profiles.add / profiles.edit inputs.
import { resolve } from 'node:path';
import { RolecallError } from '../shared/errors';
import { SESSION_DURATION_SECONDS } from '../shared/limits';
import type { CommandHelp, OptionSpec } from './args';

export const CERTIFICATE_OPTIONS = {
  certificate: { type: 'string' },
  'private-key': { type: 'string' },
  intermediates: { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  'pkcs8-password': { type: 'string' },
} as const satisfies OptionSpec;

export const SETTING_OPTIONS = {
  'trust-anchor-arn': { type: 'string' },
  'profile-arn': { type: 'string' },
  'role-arn': { type: 'string' },
  region: { type: 'string' },
  'tool-region': { type: 'string' },
  'session-duration': { type: 'string' },
  'role-session-name': { type: 'string' },
  delivery: { type: 'string' },
  endpoint: { type: 'string' },
  'no-auto-refresh': { type: 'boolean' },
  'key-in-file': { type: 'boolean' },
  force: { type: 'boolean' },
} as const satisfies OptionSpec;

/** `profiles edit` only: clear an optional setting, turn auto-refresh back on, move a key into the keychain. */
export const CLEAR_OPTIONS = {
  'no-region': { type: 'boolean' },
  'no-tool-region': { type: 'boolean' },
  'no-role-session-name': { type: 'boolean' },
  'no-endpoint': { type: 'boolean' },
  'auto-refresh': { type: 'boolean' },
  'key-in-keychain': { type: 'boolean' },
} as const satisfies OptionSpec;

export const CERTIFICATE_HELP: CommandHelp['options'] = [
  ['--certificate FILE', 'Leaf certificate (PEM or DER), or a PKCS#12 (.p12/.pfx) file holding certificate and key'],
  ['--private-key FILE', 'Private key (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8; PEM or DER); not needed with PKCS#12'],
  ['--intermediates FILE', 'PEM bundle of the intermediate CA certificates to send'],
  ['--passphrase-stdin', 'Read the passphrase of an encrypted key or PKCS#12 file from the first line of standard input'],
  ['--pkcs8-password PASSWORD', 'The passphrase on the command line (visible to other processes; prefer the prompt or --passphrase-stdin)'],
];

export const SETTING_HELP: CommandHelp['options'] = [
  ['--trust-anchor-arn ARN', 'Roles Anywhere trust anchor'],
  ['--profile-arn ARN', 'Roles Anywhere profile'],
  ['--role-arn ARN', 'IAM role to assume (listed in the profile)'],
  ['--region REGION', 'Signing region for Roles Anywhere (default: the trust anchor ARN\'s)'],
  ['--tool-region REGION', 'Default region for AWS tools (written as `region` in ~/.aws/config)'],
  ['--session-duration SECONDS', `Session length, ${SESSION_DURATION_SECONDS.min}-${SESSION_DURATION_SECONDS.max} (default ${SESSION_DURATION_SECONDS.default})`],
  ['--role-session-name NAME', 'Role session name (the Roles Anywhere profile must accept one)'],
  ['--delivery file|process', 'file: keys in ~/.aws/credentials while active (default); process: a credential_process line in ~/.aws/config'],
  ['--endpoint URL', 'CreateSession endpoint (default https://rolesanywhere.REGION.amazonaws.com)'],
  ['--no-auto-refresh', 'Do not renew the session before it expires'],
  ['--key-in-file', 'Keep the private key in its own (unencrypted) file instead of the OS keychain'],
  ['--force', 'Take over an AWS profile of this name that holds credentials Rolecall did not write'],
];

export const CLEAR_HELP: CommandHelp['options'] = [
  ['--no-region', 'Sign for the trust anchor ARN\'s region again'],
  ['--no-tool-region', 'Remove the tool region (and the `region` line Rolecall wrote)'],
  ['--no-role-session-name', 'Stop sending a role session name'],
  ['--no-endpoint', 'Use the default Roles Anywhere endpoint again'],
  ['--auto-refresh', 'Renew the session before it expires again'],
  ['--key-in-keychain', 'Move a key kept in its file into the OS keychain'],
];

type Values = Partial<Record<string, string | boolean | undefined>>;

export interface CertificateFiles {
  readonly certificatePath: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
}

/** The certificate files as absolute paths (the agent's working folder is not ours); undefined when none were given. */
export function certificateFiles(values: Values, cwd = process.cwd()): CertificateFiles | undefined {
  const certificate = text(values, 'certificate');
  const privateKey = text(values, 'private-key');
  const intermediates = text(values, 'intermediates');
  if (certificate === undefined) {
    if (privateKey !== undefined || intermediates !== undefined) throw new RolecallError('USAGE', '--private-key and --intermediates come with --certificate');
    return undefined;
  }
  return {
    certificatePath: resolve(cwd, certificate),
    ...(privateKey !== undefined && { privateKeyPath: resolve(cwd, privateKey) }),
    ...(intermediates !== undefined && { intermediatesPath: resolve(cwd, intermediates) }),
  };
}

export interface SettingFields {
  trustAnchorArn?: string;
  profileArn?: string;
  roleArn?: string;
  signingRegion?: string | null;
  toolRegion?: string | null;
  durationSeconds?: number;
  roleSessionName?: string | null;
  endpoint?: string | null;
  delivery?: 'file' | 'process';
  autoRefresh?: boolean;
  keyStorage?: 'keychain' | 'file';
  force?: boolean;
}

/** The settings the flags change (absent ones stay as they are); null clears a setting. */
export function settingFields(values: Values): SettingFields {
  const fields: SettingFields = {};
  const set = <K extends keyof SettingFields>(key: K, value: SettingFields[K] | undefined) => {
    if (value !== undefined) fields[key] = value;
  };
  set('trustAnchorArn', text(values, 'trust-anchor-arn'));
  set('profileArn', text(values, 'profile-arn'));
  set('roleArn', text(values, 'role-arn'));
  set('signingRegion', clearable(values, 'region'));
  set('toolRegion', clearable(values, 'tool-region'));
  set('roleSessionName', clearable(values, 'role-session-name'));
  set('endpoint', clearable(values, 'endpoint'));
  set('durationSeconds', duration(text(values, 'session-duration')));
  set('delivery', delivery(text(values, 'delivery')));
  set('autoRefresh', pair(values, 'auto-refresh', 'no-auto-refresh'));
  const keyInFile = pair(values, 'key-in-file', 'key-in-keychain');
  set('keyStorage', keyInFile === undefined ? undefined : keyInFile ? 'file' : 'keychain');
  if (values.force === true) fields.force = true;
  return fields;
}

function text(values: Values, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

function clearable(values: Values, flag: string): string | null | undefined {
  const value = text(values, flag);
  if (values[`no-${flag}`] !== true) return value;
  if (value !== undefined) throw new RolecallError('USAGE', `give --${flag} or --no-${flag}, not both`);
  return null;
}

function pair(values: Values, on: string, off: string): boolean | undefined {
  if (values[on] === true && values[off] === true) throw new RolecallError('USAGE', `give --${on} or --${off}, not both`);
  if (values[on] === true) return true;
  if (values[off] === true) return false;
  return undefined;
}

function duration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RolecallError('DURATION_INVALID', `--session-duration ${value}`);
  return Number(value);
}

function delivery(value: string | undefined): 'file' | 'process' | undefined {
  if (value === undefined || value === 'file' || value === 'process') return value;
  throw new RolecallError('USAGE', `--delivery ${value}: use file or process`);
}
