// Reads the argv of a credential_process that runs the reference client (aws_signing_helper) or
// Rolecall's drop-in mode with the reference's flags. Flags follow the reference's parser (Go pflag):
// `--flag value` or `--flag=value`, the last occurrence wins.
import { RolecallError } from '../../../shared/errors';

export type ImportTool = 'aws_signing_helper' | 'rolecall';

export type SigningHelperCommand =
  /** Not a signing helper, or a subcommand other than credential-process: not for import. */
  | { readonly kind: 'other' }
  /** `rolecall credential-process --profile NAME`: imported already. */
  | { readonly kind: 'rolecall-profile'; readonly profile: string }
  | { readonly kind: 'drop-in'; readonly tool: ImportTool; readonly flags: DropInFlags; readonly problems: readonly RolecallError[] };

export interface DropInFlags {
  readonly certificate?: string;
  readonly privateKey?: string;
  readonly intermediates?: string;
  readonly passphrase?: string;
  readonly trustAnchorArn?: string;
  readonly profileArn?: string;
  readonly roleArn?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly sessionDuration?: string;
  readonly roleSessionName?: string;
  /** The PKCS#11 module of a key on a token (--pkcs11-lib). */
  readonly pkcs11Lib?: string;
}

const VALUE_FLAGS: Readonly<Record<string, keyof DropInFlags>> = {
  certificate: 'certificate',
  'private-key': 'privateKey',
  intermediates: 'intermediates',
  'pkcs8-password': 'passphrase',
  'trust-anchor-arn': 'trustAnchorArn',
  'profile-arn': 'profileArn',
  'role-arn': 'roleArn',
  region: 'region',
  endpoint: 'endpoint',
  'session-duration': 'sessionDuration',
  'role-session-name': 'roleSessionName',
  'pkcs11-lib': 'pkcs11Lib',
};
// The agent uses the system's network settings and its own debug log, so these change nothing. The
// agent always uses the user PIN for a key that wants it again at each signature (--reuse-pin).
const IGNORED_SWITCHES = new Set(['with-proxy', 'debug', 'reuse-pin']);
// Certificate stores and TPM keys: Rolecall holds keys from files and PKCS#11 tokens only.
const KEY_SOURCE_FLAGS = new Set(['cert-selector', 'system-store-name', 'tpm-key-password']);
const KEY_SOURCE_SWITCHES = new Set(['use-latest-expiring-certificate', 'no-tpm-key-password']);
const REQUIRED: readonly (keyof DropInFlags)[] = ['certificate', 'trustAnchorArn', 'profileArn', 'roleArn'];
const FLAG_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(VALUE_FLAGS).map(([flag, key]) => [key, flag]));

export function readSigningHelperCommand(argv: readonly string[]): SigningHelperCommand {
  const start = toolArguments(argv);
  if (start === undefined) return { kind: 'other' };
  const [subcommand, ...args] = argv.slice(start.index);
  if (subcommand !== 'credential-process') return { kind: 'other' };
  if (start.tool === 'rolecall' && args[0] === '--profile' && args.length === 2 && args[1]) return { kind: 'rolecall-profile', profile: args[1] };
  if (start.tool === 'rolecall' && args.length === 1 && args[0]?.startsWith('--profile=')) return { kind: 'rolecall-profile', profile: args[0].slice('--profile='.length) };
  const { flags, problems } = readFlags(args);
  for (const key of REQUIRED) {
    if (flags[key] === undefined) problems.push(new RolecallError('IMPORT_LINE_INVALID', `--${FLAG_OF[key]} is missing`));
  }
  for (const key of ['certificate', 'privateKey'] as const) {
    if (/^handle:/.test(flags[key] ?? '')) problems.push(new RolecallError('NOT_SUPPORTED_YET', `--${FLAG_OF[key]} handle: (TPM keys)`));
  }
  return { kind: 'drop-in', tool: start.tool, flags, problems };
}

/** Where the helper's own arguments begin: after the executable, or after `node rolecall.mjs`. */
function toolArguments(argv: readonly string[]): { tool: ImportTool; index: number } | undefined {
  const first = programName(argv[0] ?? '');
  if (first === 'aws_signing_helper' || first === 'rolecall') return { tool: first, index: 1 };
  if (first === 'node' && programName(argv[1] ?? '') === 'rolecall') return { tool: 'rolecall', index: 2 };
  return undefined;
}

/** `C:\Tools\AWS_Signing_Helper.exe` → `aws_signing_helper`; `/opt/rolecall/bin/rolecall.mjs` → `rolecall`. */
function programName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().replace(/\.(exe|cmd|bat|mjs|cjs|js)$/, '');
}

function readFlags(args: readonly string[]): { flags: DropInFlags; problems: RolecallError[] } {
  const flags: Partial<Record<keyof DropInFlags, string>> = {};
  const problems: RolecallError[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      problems.push(new RolecallError('IMPORT_LINE_INVALID', `unexpected argument ${JSON.stringify(arg)}`));
      continue;
    }
    const name = match[1] as string;
    const inline = match[2];
    const key = VALUE_FLAGS[name];
    if (key !== undefined || KEY_SOURCE_FLAGS.has(name)) {
      let value = inline;
      if (value === undefined) {
        value = args[index + 1];
        index += 1;
      }
      if (value === undefined) problems.push(new RolecallError('IMPORT_LINE_INVALID', `--${name} has no value`));
      else if (key !== undefined) flags[key] = value;
      else problems.push(new RolecallError('NOT_SUPPORTED_YET', `--${name} (certificate stores and TPM keys)`));
    } else if (KEY_SOURCE_SWITCHES.has(name)) {
      problems.push(new RolecallError('NOT_SUPPORTED_YET', `--${name} (certificate stores and TPM keys)`));
    } else if (name === 'no-verify-ssl') {
      problems.push(new RolecallError('IMPORT_OPTION_UNSUPPORTED', '--no-verify-ssl: Rolecall always verifies the endpoint\'s TLS certificate'));
    } else if (!IGNORED_SWITCHES.has(name)) {
      problems.push(new RolecallError('IMPORT_OPTION_UNSUPPORTED', `--${name}`));
    }
  }
  return { flags, problems };
}
