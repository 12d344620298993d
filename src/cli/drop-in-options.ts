// The reference client's signing flags (aws_signing_helper credential-process), as a table with no
// dependencies, so commands can parse them without loading the signing code.
import { SESSION_DURATION_SECONDS } from '../shared/limits';
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
  'pkcs11-lib': { type: 'string' },
  'reuse-pin': { type: 'boolean' },
  // The reference's certificate-store and TPM flags: recognised so they can be refused by name.
  'cert-selector': { type: 'string' },
  'system-store-name': { type: 'string' },
  'use-latest-expiring-certificate': { type: 'boolean' },
  'tpm-key-password': { type: 'string' },
  'no-tpm-key-password': { type: 'boolean' },
} as const satisfies OptionSpec;

export const UNSUPPORTED_DROP_IN_FLAGS = ['cert-selector', 'system-store-name', 'use-latest-expiring-certificate', 'tpm-key-password', 'no-tpm-key-password'] as const;

export const DROP_IN_HELP_OPTIONS: CommandHelp['options'] = [
  ['--certificate FILE|URI', 'Leaf certificate (PEM or DER), a PKCS#12 file holding certificate and key, or a pkcs11: URI (RFC 7512) of a certificate on a token'],
  ['--private-key FILE|URI', 'Private key: PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8 (PEM or DER), or a pkcs11: URI of a key on a token'],
  ['--intermediates FILE', 'PEM bundle of intermediate CA certificates to send (X-Amz-X509-Chain)'],
  ['--trust-anchor-arn ARN', 'Roles Anywhere trust anchor'],
  ['--profile-arn ARN', 'Roles Anywhere profile'],
  ['--role-arn ARN', 'IAM role to assume (must be listed in the profile)'],
  ['--region REGION', 'Signing region (default: the trust anchor ARN\'s)'],
  ['--endpoint URL', 'CreateSession endpoint (default https://rolesanywhere.REGION.amazonaws.com)'],
  ['--session-duration SECONDS', `Session length, ${SESSION_DURATION_SECONDS.min}-${SESSION_DURATION_SECONDS.max} (default ${SESSION_DURATION_SECONDS.default}; capped by the profile and role)`],
  ['--role-session-name NAME', 'Session name (the profile must accept role session names)'],
  ['--pkcs8-password PASSWORD', 'Passphrase of an encrypted key or PKCS#12 file (visible to other processes; omit it to be asked on the terminal)'],
  ['--no-verify-ssl', 'Do not verify the endpoint\'s TLS certificate'],
  ['--with-proxy', 'Use HTTPS_PROXY / NO_PROXY from the environment'],
  ['--pkcs11-lib PATH', 'PKCS#11 module of the token (default: p11-kit-proxy, which finds the modules your system registered)'],
  ['--reuse-pin', 'A key that asks for its PIN at every signature (CKA_ALWAYS_AUTHENTICATE) gets the user PIN instead of a second question'],
  ['--debug', 'Print the canonical request, string to sign and response status on stderr (never secrets)'],
];

