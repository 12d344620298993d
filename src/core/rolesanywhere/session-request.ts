// Everything about a CreateSession request that can be checked without the network is checked
// here, before a key is touched or a byte is sent.

import { RolecallError } from '../../shared/errors';
import { isSessionDuration, SESSION_DURATION_SECONDS } from '../../shared/limits';
import { REQUEST_TIMEOUT_SECONDS } from '../../shared/model';
import { SESSION_NAME_PATTERN } from '../../shared/patterns';
import { canonicalQuery, type Signer } from '../signing';
import { isValidRegion, parseRoleArn, parseRolesAnywhereArn } from './arn';
import { resolveEndpoint } from './endpoint';

/** The one default deadline of an exchange with Roles Anywhere; the agent's comes from its settings. */
export const DEFAULT_TIMEOUT_MS = REQUEST_TIMEOUT_SECONDS.default * 1000;
/** Intermediates the service accepts above the leaf. */
export const MAX_CHAIN_CERTIFICATES = 5;

export interface CreateSessionRequest {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** Signing region and endpoint region; the trust anchor ARN's region when absent. */
  readonly region?: string;
  readonly endpoint?: string;
  readonly fips?: boolean;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
  /** DER of the leaf certificate. */
  readonly certificateDer: Buffer;
  /** DER of the intermediates, in file order. */
  readonly chainDer?: readonly Buffer[];
  /** The leaf's serial number in decimal. */
  readonly serialDecimal: string;
  readonly signer: Signer;
  /** Per attempt: connecting, the headers and the whole answer (DEFAULT_TIMEOUT_MS when absent). */
  readonly timeoutMs?: number;
  /** Sent, never signed. */
  readonly userAgent?: string;
}

export interface PreparedSessionRequest {
  readonly region: string;
  /** Full URL, with the canonical query. */
  readonly url: string;
  readonly host: string;
  readonly path: string;
  readonly query: { readonly profileArn: string; readonly roleArn: string; readonly trustAnchorArn: string };
  readonly body: string;
  readonly timeoutMs: number;
}

export function prepareCreateSession(request: CreateSessionRequest): PreparedSessionRequest {
  const trustAnchor = parseRolesAnywhereArn(request.trustAnchorArn, 'trust-anchor');
  const profile = parseRolesAnywhereArn(request.profileArn, 'profile');
  const role = parseRoleArn(request.roleArn);
  if (trustAnchor.region !== profile.region) {
    throw new RolecallError('REGION_MISMATCH', `trust anchor in ${trustAnchor.region}, profile in ${profile.region}`);
  }
  const region = request.region?.trim() || trustAnchor.region;
  if (!isValidRegion(region)) throw new RolecallError('REGION_INVALID', `"${region}"`);

  const durationSeconds = request.durationSeconds ?? SESSION_DURATION_SECONDS.default;
  if (!isSessionDuration(durationSeconds)) {
    throw new RolecallError('DURATION_INVALID', `${durationSeconds} seconds`);
  }
  // An empty name means "not set", as in the reference client's --role-session-name "".
  const roleSessionName = request.roleSessionName || undefined;
  if (roleSessionName !== undefined && !SESSION_NAME_PATTERN.test(roleSessionName)) {
    throw new RolecallError('SESSION_NAME_INVALID', `"${roleSessionName}"`);
  }
  const intermediates = (request.chainDer ?? []).filter((der) => !der.equals(request.certificateDer));
  if (intermediates.length > MAX_CHAIN_CERTIFICATES) {
    throw new RolecallError('CHAIN_TOO_LONG', `${intermediates.length} intermediate certificates`);
  }

  const endpoint = resolveEndpoint({ region, fips: request.fips, endpoint: request.endpoint });
  const query = { profileArn: profile.arn, roleArn: role.arn, trustAnchorArn: trustAnchor.arn };
  // Key order as the reference client writes it; these are exactly the bytes that are hashed.
  const body = JSON.stringify(roleSessionName === undefined ? { durationSeconds } : { durationSeconds, roleSessionName });
  return {
    region,
    url: `${endpoint.url}?${canonicalQuery(query)}`,
    host: endpoint.host,
    path: endpoint.path,
    query,
    body,
    timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}
