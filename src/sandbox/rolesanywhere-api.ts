// The Roles Anywhere operations the sandbox serves: CreateSession (SigV4-X509) and the discovery
// calls ListTrustAnchors / ListProfiles (SigV4 with issued credentials), with the real JSON shapes.
import { createHash } from 'node:crypto';
import { isSessionDuration, SESSION_DURATION_SECONDS } from '../shared/limits';
import { SESSION_NAME_PATTERN } from '../shared/patterns';
import { jsonAnswer, type Answer } from './answer';
import { parseQuery, type RawRequest } from './canonical';
import { verifyCertificatePath } from './certificate-path';
import { enabledCrlsOf, type ProfileState, type RoleState, type SandboxConfig, type TrustAnchorState } from './config';
import { createSessionAuthorization, evaluateTrustPolicy, parseTrustPolicy, principalTagsOf, sourceIdentityOf, type AuthorizationRequest, type DroppedTag } from './policy';
import { profileView, trustAnchorView } from './control-plane/views';
import { jsonObjectBody } from './control-plane/input';
import type { CredentialRegistry, IssuedCredentials } from './credentials';
import { accessDenied, notFound, shownValue, validationError } from './service-error';
import { verifyHmacSigV4 } from './sigv4-hmac';
import { verifyX509Signature } from './verifier';

export interface ServiceContext {
  readonly config: SandboxConfig;
  readonly registry: CredentialRegistry;
  /** The sandbox clock, skew included. */
  now(): number;
  /** When set, issued credentials expire after this many seconds, whatever the duration. */
  shortLivedSeconds(): number | undefined;
}

export function createSession(request: RawRequest, context: ServiceContext): { answer: Answer; issued: IssuedCredentials } {
  const { config } = context;
  const now = context.now();
  const signature = verifyX509Signature(request, { now, region: config.region });

  const params = new Map(signature.query);
  const trustAnchorArn = requiredParam(params, 'trustAnchorArn');
  const profileArn = requiredParam(params, 'profileArn');
  const roleArn = requiredParam(params, 'roleArn');
  const body = parseSessionBody(request.body);

  // The service's order: the trust anchor, the certificate path and its validity, revocation, the
  // profile and its role, the duration, the session name, then the role's trust policy.
  const anchor = findTrustAnchor(config, trustAnchorArn);
  const leaf = signature.leaf;
  const path = verifyCertificatePath(leaf, signature.chain, anchor.certificates, now);
  const revokedBy = enabledCrlsOf(config, anchor.arn).find((crl) => crl.revokedSerials.has(leaf.serialHex));
  if (revokedBy) throw accessDenied('CERTIFICATE_REVOKED', 'Certificate revoked', `serial ${leaf.serialHex} is listed in CRL ${revokedBy.arn} of the trust anchor`);
  const profile = findProfile(config, profileArn);
  const role = config.roles.find((r) => r.arn === roleArn);
  if (!role) throw notFound('ROLE_NOT_FOUND', `Role not found: ${roleArn}`);
  if (!profile.roleArns.includes(roleArn)) throw notFound('ROLE_NOT_IN_PROFILE', `Role ${roleArn} is not in profile ${profileArn}`);

  // Asked for more than the profile allows, a session gets the profile's cap, and never more than the role's.
  const durationSeconds = Math.min(body.durationSeconds ?? profile.durationSeconds, profile.durationSeconds, role.maxSessionDurationSeconds);
  if (body.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
    throw accessDenied('SESSION_NAME_NOT_ACCEPTED', 'Not authorized to set roleSessionName.');
  }

  const { tags, dropped } = principalTagsOf(leaf, profile.attributeMappings);
  const sourceIdentity = sourceIdentityOf(leaf);
  authorizeByTrustPolicy(role, createSessionAuthorization({ principalTags: tags, trustAnchorArn: anchor.arn, sourceIdentity, now }), dropped);

  const lifetimeSeconds = context.shortLivedSeconds() ?? durationSeconds;
  const issuer = path[1] ?? leaf;
  const roleSessionName = body.roleSessionName ?? leaf.serialHex;
  const issued = context.registry.issue({
    issuedAt: now,
    expiresAt: now + lifetimeSeconds * 1000,
    account: config.account,
    roleArn,
    roleName: role.name,
    roleId: role.roleId,
    roleSessionName,
    profileArn,
    trustAnchorArn,
    certificateSerial: leaf.serialHex,
    sourceIdentity,
    principalTags: tags,
    durationSeconds,
  });

  const answer = jsonAnswer(201, {
    credentialSet: [
      {
        assumedRoleUser: { arn: issued.assumedRoleArn, assumedRoleId: issued.assumedRoleId },
        credentials: {
          accessKeyId: issued.accessKeyId,
          secretAccessKey: issued.secretAccessKey,
          sessionToken: issued.sessionToken,
          expiration: isoSeconds(issued.expiresAt),
        },
        packedPolicySize: 0,
        roleArn,
        sourceIdentity: issued.sourceIdentity,
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:${config.region}:${config.account}:subject/${uuidFrom(`${leaf.node.subject}|${issuer.node.subject}`)}`,
  });
  return { answer, issued };
}

/** A discovery call's answer, and the issued access key that signed it (for the request log). */
export interface ListResult {
  readonly answer: Answer;
  readonly accessKeyId: string;
}

export function listTrustAnchors(request: RawRequest, context: ServiceContext): ListResult {
  const page = listPage(request, context, context.config.trustAnchors);
  return { answer: jsonAnswer(200, { trustAnchors: page.items.map(trustAnchorView), ...page.next }), accessKeyId: page.accessKeyId };
}

export function listProfiles(request: RawRequest, context: ServiceContext): ListResult {
  const page = listPage(request, context, context.config.profiles);
  return { answer: jsonAnswer(200, { profiles: page.items.map((profile) => profileView(profile, context.config)), ...page.next }), accessKeyId: page.accessKeyId };
}

const DEFAULT_PAGE_SIZE = 50;

/** The issued (or admin) credentials that signed a Roles Anywhere API call, checked as the service checks them. */
export function verifyRolesAnywhereCaller(request: RawRequest, context: Pick<ServiceContext, 'config' | 'registry' | 'now'>): IssuedCredentials {
  return verifyHmacSigV4(request, {
    now: context.now(),
    service: 'rolesanywhere',
    region: context.config.region,
    lookup: (id) => context.registry.find(id),
    dialect: 'rest-json',
  });
}

function listPage<T>(request: RawRequest, context: ServiceContext, all: readonly T[]): { items: T[]; next: { nextToken?: string }; accessKeyId: string } {
  const caller = verifyRolesAnywhereCaller(request, context);
  const params = new Map(parseQuery(request.query) ?? []);
  const sizeText = params.get('pageSize');
  const pageSize = sizeText === undefined ? DEFAULT_PAGE_SIZE : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw validationError(`pageSize must be a positive integer, not '${sizeText}'`);
  const tokenText = params.get('nextToken');
  const offset = tokenText === undefined ? 0 : decodePageToken(tokenText);
  if (offset === undefined || offset > all.length) throw validationError('nextToken is not valid');
  const end = offset + pageSize;
  return { items: all.slice(offset, end), next: end < all.length ? { nextToken: encodePageToken(end) } : {}, accessKeyId: caller.accessKeyId };
}

function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodePageToken(token: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    return typeof value.offset === 'number' && Number.isInteger(value.offset) && value.offset >= 0 ? value.offset : undefined;
  } catch {
    return undefined;
  }
}

function requiredParam(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw validationError(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function parseSessionBody(body: Uint8Array): { durationSeconds?: number; roleSessionName?: string } {
  const { durationSeconds, roleSessionName } = jsonObjectBody(body);
  if (durationSeconds !== undefined && (typeof durationSeconds !== 'number' || !isSessionDuration(durationSeconds))) {
    throw validationError(`1 validation error detected: Value '${shownValue(durationSeconds)}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${SESSION_DURATION_SECONDS.min} and ${SESSION_DURATION_SECONDS.max}`);
  }
  if (roleSessionName !== undefined && (typeof roleSessionName !== 'string' || !SESSION_NAME_PATTERN.test(roleSessionName))) {
    throw validationError(`1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]{2,64}`);
  }
  return { durationSeconds: durationSeconds as number | undefined, roleSessionName: roleSessionName as string | undefined };
}

const TRUST_ANCHOR_ARN = /^arn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:trust-anchor\/[0-9a-f-]{36}$/;
const PROFILE_ARN = /^arn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:profile\/[0-9a-f-]{36}$/;

function findTrustAnchor(config: SandboxConfig, arn: string): TrustAnchorState {
  if (!TRUST_ANCHOR_ARN.test(arn)) throw validationError(`Invalid trust anchor ARN: ${arn}`);
  const anchor = config.trustAnchors.find((a) => a.arn === arn);
  if (!anchor) throw notFound('TRUST_ANCHOR_NOT_FOUND', `Trust anchor not found: ${arn}`);
  if (!anchor.enabled) throw accessDenied('TRUST_ANCHOR_DISABLED', 'Trust anchor is disabled');
  return anchor;
}

function findProfile(config: SandboxConfig, arn: string): ProfileState {
  if (!PROFILE_ARN.test(arn)) throw validationError(`Invalid profile ARN: ${arn}`);
  const profile = config.profiles.find((p) => p.arn === arn);
  if (!profile) throw notFound('PROFILE_NOT_FOUND', `Profile not found: ${arn}`);
  if (!profile.enabled) throw accessDenied('PROFILE_DISABLED', 'Profile is disabled');
  return profile;
}

/**
 * The role's trust policy decides last. A refusal reads as the service's bare AccessDeniedException; the
 * statement and condition that decided it go to the request log and /__explain.
 */
function authorizeByTrustPolicy(role: RoleState, request: AuthorizationRequest, dropped: readonly DroppedTag[]): void {
  const parsed = parseTrustPolicy(role.assumeRolePolicyDocument);
  const droppedNote = dropped.length === 0 ? '' : `; tags not carried: ${dropped.map((tag) => `${tag.key} (${tag.reason})`).join(', ')}`;
  if (!parsed.ok) throw accessDenied('TRUST_POLICY_DENIED', `Unable to assume role for ${role.arn}`, `the trust policy of ${role.arn} does not parse: ${parsed.refusal.message}`);
  const decision = evaluateTrustPolicy(parsed.policy, request);
  if (decision.decision !== 'Allow') throw accessDenied('TRUST_POLICY_DENIED', `Unable to assume role for ${role.arn}`, `${decision.decision}: ${decision.reason}${droppedNote}`);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
