// The reference client's signing flags (aws_signing_helper credential-process), as a table with no
// dependencies, so commands can parse them without loading the signing code.
import type { CommandHelp, OptionSpec } from './args';

export const DROP_IN_OPTIONS = {
  certificate: { type: 'string' },
  'private-key': { type: 'string' },
  intermediates: { type: 'string' },
  'trust-anchor-arn': { type: 'string' },
  'profile-arn': { type: 'string' },
  'role-arn': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'session-duration': { type: 'string' },
  'role-session-name': { type: 'string' },
  'pkcs8-password': { type: 'string' },
  'no-verify-ssl': { type: 'boolean' },
  'with-proxy': { type: 'boolean' },
  debug: { type: 'boolean' },
  // The reference's certificate-store, PKCS#11 and TPM flags: recognised so they can be refused by name.
  'cert-selector': { type: 'string' },
  'system-store-name': { type: 'string' },
  'use-latest-expiring-certificate': { type: 'boolean' },
  'pkcs11-lib': { type: 'string' },
  'reuse-pin': { type: 'boolean' },
  'tpm-key-password': { type: 'string' },
  'no-tpm-key-password': { type: 'boolean' },
} as const satisfies OptionSpec;

export const UNSUPPORTED_DROP_IN_FLAGS = ['cert-selector', 'system-store-name', 'use-latest-expiring-certificate', 'pkcs11-lib', 'reuse-pin', 'tpm-key-password', 'no-tpm-key-password'] as const;

export const DROP_IN_HELP_OPTIONS: CommandHelp['options'] = [
  ['--certificate FILE', 'Leaf certificate (PEM or DER), or a PKCS#12 file holding certificate and key'],
  ['--private-key FILE', 'Private key: PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8 (PEM or DER)'],
  ['--intermediates FILE', 'PEM bundle of intermediate CA certificates to send (X-Amz-X509-Chain)'],
  ['--trust-anchor-arn ARN', 'Roles Anywhere trust anchor'],
  ['--profile-arn ARN', 'Roles Anywhere profile'],
  ['--role-arn ARN', 'IAM role to assume (must be listed in the profile)'],
  ['--region REGION', 'Signing region (default: the trust anchor ARN\'s)'],
  ['--endpoint URL', 'CreateSession endpoint (default https://rolesanywhere.REGION.amazonaws.com)'],
  ['--session-duration SECONDS', 'Session length, 900-43200 (default 3600; capped by the profile and role)'],
  ['--role-session-name NAME', 'Session name (the profile must accept role session names)'],
  ['--pkcs8-password PASSWORD', 'Passphrase of an encrypted key or PKCS#12 file (visible to other processes; omit it to be asked on the terminal)'],
  ['--no-verify-ssl', 'Do not verify the endpoint\'s TLS certificate'],
  ['--with-proxy', 'Use HTTPS_PROXY / NO_PROXY from the environment'],
  ['--debug', 'Print the canonical request, string to sign and response status on stderr (never secrets)'],
];

