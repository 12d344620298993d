// Discovery: the trust anchors and profiles (with their roles) of one region, listed with AWS
// credentials the user already has, so a new profile's ARNs can be picked instead of typed.
import {
  ListProfilesCommand,
  ListTrustAnchorsCommand,
  RolesAnywhereClient,
  type ProfileDetail,
  type TrustAnchorDetail,
} from '@aws-sdk/client-rolesanywhere';
import { isRolecallError, RolecallError, type ErrorCode } from '../../shared/errors';
import type { AnchorCertificate, DiscoveredProfile, DiscoveredTrustAnchor, Discovery } from '../../shared/model';
import { parseCertificates } from '../pki';
import type { HttpTransport } from '../platform/transport';
import { isValidRegion } from './arn';
import { resolveEndpoint } from './endpoint';
import { transportRequestHandler } from './sdk-request-handler';
import { DEFAULT_TIMEOUT_MS } from './session-request';

/** Access keys that may call rolesanywhere:List* (an active Rolecall session, or an AWS CLI profile's). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface DiscoveryRequest {
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** An explicit Roles Anywhere endpoint (the sandbox, private endpoints); the region's own otherwise. */
  readonly endpoint?: string;
}

export interface DiscoveryDeps {
  readonly transport: HttpTransport;
  /** Per HTTP request. */
  readonly timeoutMs?: number;
}

// A service that kept handing out next tokens would otherwise be followed forever.
const MAX_PAGES = 200;
const MAX_DETAIL_LENGTH = 300;

const CREDENTIALS_INVALID = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);
const CREDENTIALS_EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);

export async function discoverRolesAnywhere(request: DiscoveryRequest, deps: DiscoveryDeps): Promise<Discovery> {
  if (!isValidRegion(request.region)) throw new RolecallError('REGION_INVALID', `"${request.region}"`);
  const endpoint = request.endpoint?.trim()
    ? resolveEndpoint({ region: request.region, endpoint: request.endpoint }).url.replace(/\/sessions$/, '')
    : undefined;
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;
  const client = new RolesAnywhereClient({
    region: request.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    requestHandler: transportRequestHandler(deps.transport, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    // Given explicitly so the SDK never reads the user's ~/.aws/config or environment for them.
    maxAttempts: 3,
    retryMode: 'standard',
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  });
  try {
    const [trustAnchors, profiles] = await Promise.all([listTrustAnchors(client), listProfiles(client)]);
    return { region: request.region, trustAnchors, profiles };
  } finally {
    client.destroy();
  }
}

async function listTrustAnchors(client: RolesAnywhereClient): Promise<DiscoveredTrustAnchor[]> {
  const found: DiscoveredTrustAnchor[] = [];
  await followPages('ListTrustAnchors', async (nextToken) => {
    const page = await client.send(new ListTrustAnchorsCommand(nextToken === undefined ? {} : { nextToken }));
    for (const anchor of page.trustAnchors ?? []) {
      const view = trustAnchorView(anchor);
      if (view) found.push(view);
    }
    return page.nextToken;
  });
  return found;
}

async function listProfiles(client: RolesAnywhereClient): Promise<DiscoveredProfile[]> {
  const found: DiscoveredProfile[] = [];
  await followPages('ListProfiles', async (nextToken) => {
    const command = new ListProfilesCommand(nextToken === undefined ? {} : { nextToken });
    const acceptsSessionName = captureAcceptRoleSessionName(command);
    const page = await client.send(command);
    for (const profile of page.profiles ?? []) {
      const view = profileView(profile, acceptsSessionName);
      if (view) found.push(view);
    }
    return page.nextToken;
  });
  return found;
}

async function followPages(operation: string, fetchPage: (nextToken: string | undefined) => Promise<string | undefined>): Promise<void> {
  let nextToken: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    try {
      nextToken = await fetchPage(nextToken);
    } catch (error) {
      throw discoveryError(error, operation);
    }
    if (!nextToken) return;
  }
  throw new RolecallError('SERVICE_ERROR', `${operation} returned more than ${MAX_PAGES} pages`);
}

function trustAnchorView(anchor: TrustAnchorDetail): DiscoveredTrustAnchor | undefined {
  if (!anchor.trustAnchorArn) return undefined;
  const certificates = anchorCertificates(anchor);
  return { arn: anchor.trustAnchorArn, name: anchor.name ?? '', enabled: anchor.enabled ?? false, ...(certificates && { certificates }) };
}

/** A bundle anchor's CA certificates, so a client can tell which anchor a certificate chains to. */
function anchorCertificates(anchor: TrustAnchorDetail): AnchorCertificate[] | undefined {
  const data = anchor.source?.sourceData;
  const pem = data && 'x509CertificateData' in data ? data.x509CertificateData : undefined;
  if (!pem) return undefined;
  try {
    return parseCertificates(pem).map((certificate) => {
      const { subject, fingerprintSha256 } = certificate.toSummary();
      return { subject, fingerprintSha256 };
    });
  } catch {
    // An anchor whose bundle this client cannot read is still listed, only not matched.
    return undefined;
  }
}

function profileView(profile: ProfileDetail, acceptsSessionName: ReadonlyMap<string, boolean>): DiscoveredProfile | undefined {
  const arn = profile.profileArn;
  if (!arn) return undefined;
  const fromSdk = (profile as { acceptRoleSessionName?: boolean }).acceptRoleSessionName;
  return {
    arn,
    name: profile.name ?? '',
    enabled: profile.enabled ?? false,
    roleArns: [...(profile.roleArns ?? [])],
    ...(profile.durationSeconds === undefined ? {} : { durationSeconds: profile.durationSeconds }),
    acceptRoleSessionName: fromSdk ?? acceptsSessionName.get(arn) ?? false,
  };
}

/**
 * The SDK client available to this project predates the profiles' `acceptRoleSessionName` field and
 * drops it while deserializing, so the field is read from the raw answer (innermost, before the SDK's
 * deserializer) and looked up by profile ARN.
 */
function captureAcceptRoleSessionName(command: ListProfilesCommand): ReadonlyMap<string, boolean> {
  const found = new Map<string, boolean>();
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const body = (result.response as { body?: unknown }).body;
      if (body instanceof Uint8Array) {
        for (const [arn, accepts] of acceptFlags(Buffer.from(body).toString('utf8'))) found.set(arn, accepts);
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'rolecallAcceptRoleSessionName' },
  );
  return found;
}

function acceptFlags(json: string): [string, boolean][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (!Array.isArray(profiles)) return [];
  return profiles.flatMap((entry: unknown) => {
    const { profileArn, acceptRoleSessionName } = (entry ?? {}) as { profileArn?: unknown; acceptRoleSessionName?: unknown };
    return typeof profileArn === 'string' && typeof acceptRoleSessionName === 'boolean' ? [[profileArn, acceptRoleSessionName] as [string, boolean]] : [];
  });
}

/** SDK errors as codes with a next step; transport failures (NETWORK, TIMEOUT, TLS) pass through. */
function discoveryError(error: unknown, operation: string): RolecallError {
  if (isRolecallError(error)) return error;
  const { name, message, status } = describeSdkError(error);
  const detail = `${operation}: ${name}${message ? `: ${message}` : ''}`.slice(0, MAX_DETAIL_LENGTH);
  return new RolecallError(codeFor(name, status), detail, { cause: error });
}

function codeFor(name: string, status: number | undefined): ErrorCode {
  if (name === 'AccessDeniedException') return 'DISCOVERY_DENIED';
  if (CREDENTIALS_EXPIRED.has(name)) return 'DISCOVERY_CREDENTIALS_EXPIRED';
  if (CREDENTIALS_INVALID.has(name)) return 'DISCOVERY_CREDENTIALS_INVALID';
  if (name === 'ThrottlingException' || status === 429) return 'THROTTLED';
  if (status !== undefined && status >= 500) return 'SERVICE_UNAVAILABLE';
  return 'SERVICE_ERROR';
}

function describeSdkError(error: unknown): { name: string; message: string; status: number | undefined } {
  if (!(error instanceof Error)) return { name: 'Error', message: '', status: undefined };
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  // Service messages name ARNs and actions, never the caller's secret.
  return { name: error.name, message: error.message.split('\n')[0] ?? '', status: typeof status === 'number' ? status : undefined };
}
