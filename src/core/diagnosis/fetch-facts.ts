// What `explain` reads from AWS with the user's own credentials (an active profile's session or an AWS
// CLI profile): the trust anchor (GetTrustAnchor), its CRLs (ListCrls), the Roles Anywhere profile
// (GetProfile) and the role (iam:GetRole), and the service's clock from its Date header. Each read
// that fails says why and which permission it needed; none stops the others.
import { GetProfileCommand, GetTrustAnchorCommand, ListCrlsCommand } from '@aws-sdk/client-rolesanywhere';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { createSetupClients } from '../aws-setup/aws-clients';
import { loadX509 } from '../certificates/x509-library';
import { parseCertificates, type AttributeMapping, type Certificate } from '../pki';
import type { HttpTransport } from '../platform/transport';
import type { AwsCredentials } from '../rolesanywhere/discovery';
import { resolveEndpoint } from '../rolesanywhere/endpoint';
import type { Lookup, ProfileFacts, RevocationFacts, RoleFacts, TrustAnchorFacts } from './explain';

export interface FetchFactsOptions {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** The trust anchor's region: where its control plane answers. */
  readonly region: string;
  /** The profile's explicit endpoint (the sandbox, a private endpoint). */
  readonly endpoint?: string;
  /** Undefined when there are none to read with; `noCredentials` says why. */
  readonly credentials?: AwsCredentials;
  readonly noCredentials: string;
  /** The trust anchor's CA file (`--ca`), used when GetTrustAnchor cannot be read. */
  readonly caFile?: { readonly path: string; readonly certificates: readonly Certificate[] };
  readonly transport: HttpTransport;
  readonly timeoutMs: number;
}

export interface FetchedFacts {
  readonly serviceNow?: number;
  readonly anchor: Lookup<TrustAnchorFacts>;
  readonly revocation: Lookup<RevocationFacts>;
  readonly profile: Lookup<ProfileFacts>;
  readonly role: Lookup<RoleFacts>;
}

export async function fetchFacts(options: FetchFactsOptions): Promise<FetchedFacts> {
  const base = resolveEndpoint({ region: options.region, ...(options.endpoint !== undefined && { endpoint: options.endpoint }) }).url.replace(/\/sessions$/, '');
  const serviceNow = await serviceClock(base, options);
  const withClock = <T>(facts: T) => ({ ...(serviceNow !== undefined && { serviceNow }), ...facts });
  if (!options.credentials) {
    const none = { kind: 'unknown', why: options.noCredentials } as const;
    return withClock({ anchor: fromCaFile(options, none), revocation: none, profile: none, role: none });
  }
  // The sandbox serves IAM on its own port too; a private Roles Anywhere endpoint does not, so IAM is
  // then AWS's own.
  const loopback = options.endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(base);
  const clients = createSetupClients({
    region: options.region,
    credentials: options.credentials,
    transport: options.transport,
    timeoutMs: options.timeoutMs,
    ...(loopback && { endpoint: base }),
  });
  try {
    const [anchor, revocation, profile, role] = await Promise.all([
      trustAnchor(clients, options),
      crls(clients, options),
      rolesAnywhereProfile(clients, options),
      iamRole(clients, options),
    ]);
    return withClock({ anchor: anchor.kind === 'found' ? anchor : fromCaFile(options, anchor), revocation, profile, role });
  } finally {
    clients.destroy();
  }
}

type Clients = ReturnType<typeof createSetupClients>;

/** Any answer of the endpoint carries the service's Date; an unsigned GET costs nothing and needs no permission. */
async function serviceClock(base: string, options: FetchFactsOptions): Promise<number | undefined> {
  try {
    const response = await options.transport({ method: 'GET', url: `${base}/`, headers: {}, timeoutMs: options.timeoutMs, maxResponseBytes: 64 * 1024 });
    const date = Date.parse(response.headers.date ?? '');
    return Number.isNaN(date) ? undefined : date;
  } catch {
    return undefined;
  }
}

function fromCaFile(options: FetchFactsOptions, failed: Lookup<TrustAnchorFacts>): Lookup<TrustAnchorFacts> {
  if (!options.caFile) return failed;
  return { kind: 'found', value: { certificates: options.caFile.certificates }, source: `the CA file ${options.caFile.path}` };
}

async function trustAnchor(clients: Clients, options: FetchFactsOptions): Promise<Lookup<TrustAnchorFacts>> {
  const trustAnchorId = options.trustAnchorArn.split('/').pop() ?? '';
  try {
    const { trustAnchor: found } = await clients.rolesAnywhere.send(new GetTrustAnchorCommand({ trustAnchorId }));
    const pem = found?.source?.sourceData && 'x509CertificateData' in found.source.sourceData ? found.source.sourceData.x509CertificateData : undefined;
    if (pem === undefined) {
      return { kind: 'unknown', why: 'the trust anchor is an AWS Private CA, whose certificate Rolecall does not fetch; give it with --ca', permission: 'acm-pca:GetCertificateAuthorityCertificate' };
    }
    return { kind: 'found', value: { enabled: found?.enabled ?? false, certificates: parseCertificates(pem) }, source: 'GetTrustAnchor' };
  } catch (error) {
    return lookupFailure(error, 'GetTrustAnchor', 'rolesanywhere:GetTrustAnchor');
  }
}

async function crls(clients: Clients, options: FetchFactsOptions): Promise<Lookup<RevocationFacts>> {
  try {
    const revoked = new Map<string, string>();
    const x509 = await loadX509();
    let nextToken: string | undefined;
    do {
      const page = await clients.rolesAnywhere.send(new ListCrlsCommand(nextToken === undefined ? {} : { nextToken }));
      for (const crl of page.crls ?? []) {
        if (crl.trustAnchorArn !== options.trustAnchorArn || crl.enabled !== true || !crl.crlData) continue;
        const list = new x509.X509Crl(crlDer(Buffer.from(crl.crlData)));
        for (const entry of list.entries) revoked.set(BigInt(`0x${entry.serialNumber}`).toString(10), crl.name ?? crl.crlArn ?? 'a CRL');
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return { kind: 'found', value: { revoked }, source: 'ListCrls' };
  } catch (error) {
    return lookupFailure(error, 'ListCrls', 'rolesanywhere:ListCrls');
  }
}

async function rolesAnywhereProfile(clients: Clients, options: FetchFactsOptions): Promise<Lookup<ProfileFacts>> {
  const profileId = options.profileArn.split('/').pop() ?? '';
  try {
    // The SDK release in use predates attributeMappings and acceptRoleSessionName: they are read from the raw answer.
    const command = new GetProfileCommand({ profileId });
    const raw = captureRawJson(command);
    const { profile } = await clients.rolesAnywhere.send(command);
    const rawProfile = (raw.value as { profile?: { acceptRoleSessionName?: unknown; attributeMappings?: unknown } } | undefined)?.profile;
    return {
      kind: 'found',
      value: {
        enabled: profile?.enabled ?? false,
        roleArns: [...(profile?.roleArns ?? [])],
        ...(profile?.durationSeconds !== undefined && { durationSeconds: profile.durationSeconds }),
        ...(typeof rawProfile?.acceptRoleSessionName === 'boolean' && { acceptRoleSessionName: rawProfile.acceptRoleSessionName }),
        ...(Array.isArray(rawProfile?.attributeMappings) && { attributeMappings: rawProfile.attributeMappings as AttributeMapping[] }),
      },
      source: 'GetProfile',
    };
  } catch (error) {
    return lookupFailure(error, 'GetProfile', 'rolesanywhere:GetProfile');
  }
}

async function iamRole(clients: Clients, options: FetchFactsOptions): Promise<Lookup<RoleFacts>> {
  const roleName = options.roleArn.split('/').pop() ?? '';
  try {
    const { Role: role } = await clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    const document = role?.AssumeRolePolicyDocument;
    return {
      kind: 'found',
      value: {
        ...(role?.MaxSessionDuration !== undefined && { maxSessionDurationSeconds: role.MaxSessionDuration }),
        // IAM returns the policy URL-encoded.
        ...(document !== undefined && { trustPolicy: decodeURIComponent(document) }),
      },
      source: 'GetRole',
    };
  } catch (error) {
    return lookupFailure(error, 'GetRole', 'iam:GetRole');
  }
}

/** ImportCrl keeps the PEM as given ("X509 CRL" or "CRL" label); DER passes through. */
function crlDer(data: Buffer): Buffer {
  const pem = /-----BEGIN (?:X509 )?CRL-----([\s\S]+?)-----END/.exec(data.toString('latin1'));
  return pem?.[1] ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : data;
}

function captureRawJson(command: GetProfileCommand): { value?: unknown } {
  const holder: { value?: unknown } = {};
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const body = (result.response as { body?: unknown }).body;
      if (body instanceof Uint8Array) {
        try {
          holder.value = JSON.parse(Buffer.from(body).toString('utf8'));
        } catch {
          // Not JSON: the SDK's own deserializer reports it.
        }
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'rolecallRawProfile' },
  );
  return holder;
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'NoSuchEntity', 'NoSuchEntityException']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

function lookupFailure<T>(error: unknown, operation: string, permission: string): Lookup<T> {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 200) : '';
  if (NOT_FOUND.has(name)) return { kind: 'missing', source: operation };
  if (DENIED.has(name)) return { kind: 'unknown', why: `${operation} was denied to these credentials`, permission };
  return { kind: 'unknown', why: `${operation} failed: ${name}${message ? `: ${message}` : ''}`, permission };
}
