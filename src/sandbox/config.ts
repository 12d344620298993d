// What the emulated account holds: trust anchors, profiles and roles. The resolved objects are
// plain and mutable on purpose: a test may disable a profile or swap a trust anchor's bundle while
// the sandbox runs, and the next request sees it.
import { createHash, randomUUID } from 'node:crypto';
import { parseCertificatesPem, type ServiceCertificate } from './certificate';

export interface TrustAnchorOptions {
  /** A UUID; random when omitted. */
  readonly id?: string;
  readonly name?: string;
  /** One or more CA certificates in PEM (the bundle uploaded as the trust anchor). */
  readonly caPem: string;
  readonly enabled?: boolean;
}

export interface ProfileOptions {
  /** A UUID; random when omitted. */
  readonly id?: string;
  readonly name?: string;
  readonly roleArns: readonly string[];
  /** The cap on a session's duration; AWS's default is 3600. */
  readonly durationSeconds?: number;
  readonly acceptRoleSessionName?: boolean;
  readonly enabled?: boolean;
}

export interface RoleOptions {
  /** arn:aws:iam::ACCOUNT:role/[PATH/]NAME */
  readonly arn: string;
  /** The role's MaxSessionDuration; AWS's default is 3600. */
  readonly maxSessionDurationSeconds?: number;
}

export interface AccountOptions {
  readonly region?: string;
  readonly account?: string;
  readonly trustAnchors?: readonly TrustAnchorOptions[];
  readonly profiles?: readonly ProfileOptions[];
  /** Roles the profiles may list; roles named only in a profile exist with the defaults. */
  readonly roles?: readonly RoleOptions[];
}

export interface TrustAnchorState {
  readonly id: string;
  readonly arn: string;
  name: string;
  enabled: boolean;
  /** The bundle as uploaded (PEM). Set it through `setTrustAnchorBundle` so `certificates` follows. */
  pem: string;
  certificates: ServiceCertificate[];
  readonly createdAt: string;
  updatedAt: string;
}

export interface ProfileState {
  readonly id: string;
  readonly arn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  durationSeconds: number;
  acceptRoleSessionName: boolean;
  readonly createdAt: string;
  updatedAt: string;
}

export interface RoleState {
  readonly arn: string;
  readonly name: string;
  /** AROA…, stable for one ARN. */
  readonly roleId: string;
  maxSessionDurationSeconds: number;
}

export interface SandboxConfig {
  readonly region: string;
  readonly account: string;
  readonly trustAnchors: TrustAnchorState[];
  readonly profiles: ProfileState[];
  readonly roles: RoleState[];
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_PROFILE_DURATION = 3600;
export const DEFAULT_ROLE_MAX_SESSION = 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;

export function roleNameOf(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[2];
}

export function resolveConfig(options: AccountOptions, nowMs: number): SandboxConfig {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`Sandbox region is not valid: ${region}`);
  if (!/^\d{12}$/.test(account)) throw new Error(`Sandbox account must be 12 digits: ${account}`);
  const stamp = new Date(nowMs).toISOString();
  const prefix = `arn:aws:rolesanywhere:${region}:${account}`;

  const trustAnchors = (options.trustAnchors ?? []).map((anchor, index): TrustAnchorState => {
    const id = resourceId(anchor.id);
    const certificates = parseCertificatesPem(anchor.caPem);
    if (certificates.length === 0) throw new Error(`Trust anchor ${id} has no certificate in its caPem`);
    return {
      id,
      arn: `${prefix}:trust-anchor/${id}`,
      name: anchor.name ?? `trust-anchor-${index + 1}`,
      enabled: anchor.enabled ?? true,
      pem: anchor.caPem,
      certificates,
      createdAt: stamp,
      updatedAt: stamp,
    };
  });

  const profiles = (options.profiles ?? []).map((profile, index): ProfileState => {
    const id = resourceId(profile.id);
    return {
      id,
      arn: `${prefix}:profile/${id}`,
      name: profile.name ?? `profile-${index + 1}`,
      enabled: profile.enabled ?? true,
      roleArns: [...profile.roleArns],
      durationSeconds: profile.durationSeconds ?? DEFAULT_PROFILE_DURATION,
      acceptRoleSessionName: profile.acceptRoleSessionName ?? false,
      createdAt: stamp,
      updatedAt: stamp,
    };
  });

  const roles = new Map<string, RoleState>();
  const addRole = (arn: string, maxSessionDurationSeconds: number | undefined) => {
    const name = roleNameOf(arn);
    if (!name) throw new Error(`Not an IAM role ARN: ${arn}`);
    const existing = roles.get(arn);
    if (existing) {
      if (maxSessionDurationSeconds !== undefined) existing.maxSessionDurationSeconds = maxSessionDurationSeconds;
      return;
    }
    roles.set(arn, { arn, name, roleId: roleIdOf(arn), maxSessionDurationSeconds: maxSessionDurationSeconds ?? DEFAULT_ROLE_MAX_SESSION });
  };
  for (const role of options.roles ?? []) addRole(role.arn, role.maxSessionDurationSeconds);
  for (const profile of profiles) for (const arn of profile.roleArns) addRole(arn, undefined);

  return { region, account, trustAnchors, profiles, roles: [...roles.values()] };
}

/** Roles Anywhere ids are lowercase UUIDs; the ARN patterns clients check depend on it. */
function resourceId(id: string | undefined): string {
  if (id === undefined) return randomUUID();
  if (!UUID.test(id)) throw new Error(`Trust anchor and profile ids must be lowercase UUIDs: ${id}`);
  return id;
}

/** Replaces a trust anchor's bundle (certificate rotation at the CA). */
export function setTrustAnchorBundle(anchor: TrustAnchorState, caPem: string, nowMs: number): void {
  const certificates = parseCertificatesPem(caPem);
  if (certificates.length === 0) throw new Error('The new bundle has no certificate');
  anchor.pem = caPem;
  anchor.certificates = certificates;
  anchor.updatedAt = new Date(nowMs).toISOString();
}

/** AWS role ids are AROA + 17 characters; derive them from the ARN so they stay stable. */
function roleIdOf(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += alphabet[(digest[i] ?? 0) % 32];
  return id;
}
