// The reference client's signing flags (aws_signing_helper credential-process) and the one-shot
// mint they describe. Replacing `aws_signing_helper` with `rolecall` in ~/.aws/config must change
// nothing but the messages.
import { isRolecallError, RolecallError } from '../shared/errors';
import { loadCredentialFiles, type Credentials } from '../core/pki';
import { keyObjectSigner } from '../core/signing';
import { createSession, type SessionCredentials } from '../core/rolesanywhere';
import { createNodeTransport } from '../core/platform/node-transport';
import { systemClock } from '../core/platform/clock';
import { DROP_IN_OPTIONS, UNSUPPORTED_DROP_IN_FLAGS } from './drop-in-options';
import { promptSecret } from './prompt';

declare const ROLECALL_VERSION: string;

type DropInValues = { [K in keyof typeof DROP_IN_OPTIONS]?: (typeof DROP_IN_OPTIONS)[K] extends { type: 'boolean' } ? boolean : string };

export interface DropInRequest {
  readonly certificate: string;
  readonly privateKey?: string;
  readonly intermediates?: string;
  readonly passphrase?: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly durationSeconds: number;
  readonly roleSessionName?: string;
  readonly verifyTls: boolean;
  readonly useProxy: boolean;
  readonly debug: boolean;
}

export function dropInRequest(values: DropInValues): DropInRequest {
  for (const flag of UNSUPPORTED_DROP_IN_FLAGS) {
    if (values[flag] !== undefined) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} (certificate stores, PKCS#11 and TPM keys)`);
  }
  for (const flag of ['certificate', 'private-key'] as const) {
    const value = values[flag];
    if (value?.startsWith('pkcs11:') || value?.startsWith('handle:')) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} ${value.split(':')[0]}: keys`);
  }
  const required = (flag: 'certificate' | 'trust-anchor-arn' | 'profile-arn' | 'role-arn'): string => {
    const value = values[flag];
    if (!value) throw new RolecallError('USAGE', `--${flag} is required`);
    return value;
  };
  const duration = values['session-duration'] ?? '3600';
  if (!/^\d+$/.test(duration)) throw new RolecallError('DURATION_INVALID', `--session-duration ${duration}`);
  const optional = <K extends string>(key: K, value: string | undefined) => (value ? { [key]: value } : {}) as Partial<Record<K, string>>;
  return {
    certificate: required('certificate'),
    trustAnchorArn: required('trust-anchor-arn'),
    profileArn: required('profile-arn'),
    roleArn: required('role-arn'),
    durationSeconds: Number(duration),
    ...optional('privateKey', values['private-key']),
    ...optional('intermediates', values.intermediates),
    ...optional('passphrase', values['pkcs8-password']),
    ...optional('region', values.region),
    ...optional('endpoint', values.endpoint),
    ...optional('roleSessionName', values['role-session-name']),
    verifyTls: !values['no-verify-ssl'],
    useProxy: Boolean(values['with-proxy']),
    debug: Boolean(values.debug),
  };
}

const PASSPHRASE_CODES = new Set(['KEY_PASSPHRASE_REQUIRED', 'PKCS12_PASSWORD_WRONG']);

/** Loads certificate and key; asks for a passphrase on the terminal when one is needed and none was given. */
export async function loadDropInCredentials(request: Pick<DropInRequest, 'certificate' | 'privateKey' | 'intermediates' | 'passphrase'>): Promise<Credentials> {
  const paths = {
    certificate: request.certificate,
    ...(request.privateKey === undefined ? {} : { privateKey: request.privateKey }),
    ...(request.intermediates === undefined ? {} : { intermediates: request.intermediates }),
  };
  try {
    return await loadCredentialFiles({ ...paths, ...(request.passphrase === undefined ? {} : { passphrase: request.passphrase }) });
  } catch (error) {
    if (request.passphrase !== undefined || !isRolecallError(error) || !PASSPHRASE_CODES.has(error.code)) throw error;
    const passphrase = await promptSecret(`Passphrase for ${request.privateKey ?? request.certificate}: `);
    return loadCredentialFiles({ ...paths, passphrase });
  }
}

export async function mintDropInSession(request: DropInRequest, credentials: Credentials): Promise<SessionCredentials> {
  const transport = createNodeTransport({ verifyTls: request.verifyTls, useProxy: request.useProxy });
  const debug = request.debug ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  try {
    return await createSession(
      {
        trustAnchorArn: request.trustAnchorArn,
        profileArn: request.profileArn,
        roleArn: request.roleArn,
        durationSeconds: request.durationSeconds,
        certificateDer: credentials.leaf.der,
        chainDer: credentials.chain.map((certificate) => certificate.der),
        serialDecimal: credentials.leaf.serialDecimal,
        signer: keyObjectSigner(credentials.privateKey),
        userAgent: `rolecall/${ROLECALL_VERSION} node/${process.version}`,
        ...(request.region === undefined ? {} : { region: request.region }),
        ...(request.endpoint === undefined ? {} : { endpoint: request.endpoint }),
        ...(request.roleSessionName === undefined ? {} : { roleSessionName: request.roleSessionName }),
      },
      { transport, clock: systemClock, ...(debug ? { onDebug: debug } : {}) },
    );
  } finally {
    await transport.close();
  }
}
