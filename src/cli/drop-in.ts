// The reference client's signing flags (aws_signing_helper credential-process) and the one-shot
// mint they describe. Replacing `aws_signing_helper` with `rolecall` in ~/.aws/config must change
// nothing but the messages.
import { isRolecallError, RolecallError } from '../shared/errors';
import { SESSION_DURATION_SECONDS } from '../shared/limits';
import { Certificate, loadCredentialFiles, parseCertificates, readInputFile, type Credentials } from '../core/pki';
import { isPkcs11Uri, parsePkcs11Uri, type Pkcs11Uri } from '../core/pkcs11/uri';
import { keyObjectSigner } from '../core/signing';
import { createSession, sessionRequestFor, signingIdentity, type SessionCredentials, type SigningIdentity } from '../core/rolesanywhere';
import { refineRefusal } from '../core/rolesanywhere/refusal-cause';
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
  /** Set when the certificate or the key is a pkcs11: URI: the key stays on the token. */
  readonly token?: DropInToken;
}

export interface DropInToken {
  readonly certificateUri?: Pkcs11Uri;
  readonly privateKeyUri?: Pkcs11Uri;
  readonly modulePath?: string;
  readonly reusePin: boolean;
}

export function dropInRequest(values: DropInValues): DropInRequest {
  for (const flag of UNSUPPORTED_DROP_IN_FLAGS) {
    if (values[flag] !== undefined) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} (certificate stores and TPM keys)`);
  }
  for (const flag of ['certificate', 'private-key'] as const) {
    if (values[flag]?.startsWith('handle:')) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} handle: (TPM keys)`);
  }
  const required = (flag: 'certificate' | 'trust-anchor-arn' | 'profile-arn' | 'role-arn'): string => {
    const value = values[flag];
    if (!value) throw new RolecallError('USAGE', `--${flag} is required`);
    return value;
  };
  const duration = values['session-duration'] ?? String(SESSION_DURATION_SECONDS.default);
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
    ...tokenRequest(values),
  };
}

function tokenRequest(values: DropInValues): { token?: DropInToken } {
  const certificate = values.certificate !== undefined && isPkcs11Uri(values.certificate) ? parsePkcs11Uri(values.certificate) : undefined;
  const privateKey = values['private-key'] !== undefined && isPkcs11Uri(values['private-key']) ? parsePkcs11Uri(values['private-key']) : undefined;
  if (!certificate && !privateKey) {
    if (values['pkcs11-lib'] !== undefined || values['reuse-pin']) throw new RolecallError('USAGE', '--pkcs11-lib and --reuse-pin need a pkcs11: URI in --certificate or --private-key');
    return {};
  }
  if (certificate && values['private-key'] !== undefined && !privateKey) throw new RolecallError('USAGE', 'a certificate on a token needs its key on a token too: give --private-key as a pkcs11: URI, or leave it out');
  const modulePath = values['pkcs11-lib'] ?? privateKey?.modulePath ?? certificate?.modulePath;
  return {
    token: {
      ...(certificate && { certificateUri: certificate }),
      ...(privateKey && { privateKeyUri: privateKey }),
      ...(modulePath !== undefined && { modulePath }),
      reusePin: Boolean(values['reuse-pin']),
    },
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

/** The session the flags describe, signed with a key file or on a token. */
export async function dropInSession(request: DropInRequest): Promise<SessionCredentials> {
  if (request.token) return tokenSession(request, request.token);
  const credentials = await loadDropInCredentials(request);
  return mintDropInSession(request, signingIdentity(credentials.leaf, credentials.chain, keyObjectSigner(credentials.privateKey)));
}

async function tokenSession(request: DropInRequest, token: DropInToken): Promise<SessionCredentials> {
  const { withTokenKey } = await import('../core/pkcs11');
  const intermediates = request.intermediates === undefined ? undefined : parseCertificates(await readInputFile(request.intermediates, 'intermediates file'));
  const certificate = token.certificateUri ? { uri: token.certificateUri } : { der: leafOf(await readInputFile(request.certificate, 'certificate file')).der };
  return withTokenKey(
    {
      certificate,
      ...(token.privateKeyUri && { privateKey: token.privateKeyUri }),
      ...(token.modulePath !== undefined && { modulePath: token.modulePath }),
      reusePin: token.reusePin,
      // A person types each answer, so a mistyped PIN may be typed again, as the reference allows.
      askAgain: true,
      askPin: async ({ kind, retry, triesLeft }) => {
        const warning = triesLeft === 'one' ? ' (last try before the PIN locks)' : triesLeft === 'few' ? ' (few tries left)' : '';
        const name = kind === 'user' ? 'user PIN' : 'context-specific PIN';
        try {
          return await promptSecret(retry ? `Incorrect ${name}${warning}. Please re-enter your ${name}: ` : `Please enter your ${name}${warning}: `);
        } catch (error) {
          // No terminal (an SDK runs us): nobody can answer, which the token search reports as PIN needed.
          if (isRolecallError(error) && error.code === 'NO_TTY') return undefined;
          throw error;
        }
      },
    },
    async (key) => {
      if (request.debug) process.stderr.write(`key: ${key.keyUri}\n`);
      const leaf = Certificate.fromDer(key.certificateDer);
      return mintDropInSession(request, {
        certificateDer: leaf.der,
        chainDer: intermediates ? intermediates.map((certificate) => certificate.der) : [...key.chainDer],
        serialDecimal: leaf.serialDecimal,
        signer: key.signer,
      });
    },
  );
}

function leafOf(file: Buffer): Certificate {
  const [leaf] = parseCertificates(file);
  if (!leaf) throw new RolecallError('CERT_NOT_FOUND');
  return leaf;
}

async function mintDropInSession(request: DropInRequest, identity: SigningIdentity): Promise<SessionCredentials> {
  const transport = createNodeTransport({ verifyTls: request.verifyTls, useProxy: request.useProxy });
  const debug = request.debug ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  try {
    return await createSession(
      sessionRequestFor(request, identity, { version: ROLECALL_VERSION }),
      { transport, clock: systemClock, ...(debug ? { onDebug: debug } : {}) },
    );
  } catch (error) {
    throw refineRefusal(error, {
      leaf: Certificate.fromDer(identity.certificateDer),
      chain: identity.chainDer.map((der) => Certificate.fromDer(der)),
      trustAnchorArn: request.trustAnchorArn,
      signingRegion: request.region ?? request.trustAnchorArn.split(':')[3] ?? '',
      at: systemClock.now(),
    });
  } finally {
    await transport.close();
  }
}
