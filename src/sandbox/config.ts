// What the emulated account holds: trust anchors, profiles, CRLs and IAM roles. The resolved objects
// are plain and mutable on purpose: a test may disable a profile or swap a trust anchor's bundle while
// the sandbox runs, and the next request sees it; the control plane edits the same objects.
import { createHash, randomUUID } from 'node:crypto';
import { parseCertificatesPem, type ServiceCertificate } from './certificate';
import { DEFAULT_ATTRIBUTE_MAPPINGS, type AttributeMapping } from './policy';

/** A resource tag, in Roles Anywhere's lowercase shape (IAM's Key/Value is mapped at its edge). */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

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
  /** Default: the service's default mappings (every subject and issuer RDN, the first DNS, URI and directoryName SAN). */
  readonly attributeMappings?: readonly AttributeMapping[];
}

export interface RoleOptions {
  /** arn:aws:iam::ACCOUNT:role/[PATH/]NAME */
  readonly arn: string;
  /** The role's MaxSessionDuration; AWS's default is 3600. */
  readonly maxSessionDurationSeconds?: number;
  /** The trust policy as IAM stores it; default `DEFAULT_ROLESANYWHERE_TRUST_POLICY` (Roles Anywhere, no conditions). */
  readonly assumeRolePolicyDocument?: string;
}

export interface AccountOptions {
  readonly region?: string;
  readonly account?: string;
  readonly trustAnchors?: readonly TrustAnchorOptions[];
  readonly profiles?: readonly ProfileOptions[];
  /** Roles the profiles may list; roles named only in a profile exist with the defaults. */
  readonly roles?: readonly RoleOptions[];
}

export type TrustAnchorSourceType = 'CERTIFICATE_BUNDLE' | 'AWS_ACM_PCA';

export interface TrustAnchorState {
  readonly id: string;
  readonly arn: string;
  name: string;
  enabled: boolean;
  sourceType: TrustAnchorSourceType;
  /** For AWS_ACM_PCA: the private CA's ARN. The sandbox cannot fetch that CA, so such an anchor trusts no chain. */
  acmPcaArn: string | undefined;
  /** The bundle as uploaded (PEM; '' for AWS_ACM_PCA). Set it through `setTrustAnchorBundle` so `certificates` follows. */
  pem: string;
  certificates: ServiceCertificate[];
  tags: Tag[];
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
  requireInstanceProperties: boolean;
  managedPolicyArns: string[];
  /** An inline session policy (JSON text) applied to every session of the profile. */
  sessionPolicy: string | undefined;
  /** Which certificate fields become principal tags; edited by Put/DeleteAttributeMapping. */
  attributeMappings: AttributeMapping[];
  tags: Tag[];
  readonly createdAt: string;
  updatedAt: string;
}

export interface CrlState {
  readonly id: string;
  readonly arn: string;
  name: string;
  enabled: boolean;
  /** The trust anchor whose certificates the CRL revokes. */
  readonly trustAnchorArn: string;
  /** The CRL as imported (PEM text). */
  data: Buffer;
  /** Serial numbers of the revoked certificates, lowercase hex without leading zeros (as `ServiceCertificate.serialHex`). */
  revokedSerials: Set<string>;
  tags: Tag[];
  readonly createdAt: string;
  updatedAt: string;
}

export interface RoleState {
  readonly arn: string;
  readonly name: string;
  /** IAM's Path: '/' or '/a/b/'. */
  readonly path: string;
  /** AROA…, stable for one ARN. */
  readonly roleId: string;
  maxSessionDurationSeconds: number;
  /** The trust policy exactly as given (URL-decoded), as IAM keeps it. */
  assumeRolePolicyDocument: string;
  description: string | undefined;
  attachedPolicyArns: string[];
  tags: Tag[];
  readonly createDate: string;
}

export interface SandboxConfig {
  readonly region: string;
  readonly account: string;
  readonly trustAnchors: TrustAnchorState[];
  readonly profiles: ProfileState[];
  readonly crls: CrlState[];
  readonly roles: RoleState[];
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_PROFILE_DURATION = 3600;
export const DEFAULT_ROLE_MAX_SESSION = 3600;

/** What the Roles Anywhere user guide tells you to put on a role: the service may assume it, tag the session and set its source identity. */
export const DEFAULT_ROLESANYWHERE_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    },
  ],
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/;

export function roleNameOf(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[3];
}

function rolePathOf(roleArn: string): string {
  return ROLE_ARN.exec(roleArn)?.[2] ?? '/';
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
      sourceType: 'CERTIFICATE_BUNDLE',
      acmPcaArn: undefined,
      pem: anchor.caPem,
      certificates,
      tags: [],
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
      requireInstanceProperties: false,
      managedPolicyArns: [],
      sessionPolicy: undefined,
      attributeMappings: [...(profile.attributeMappings ?? DEFAULT_ATTRIBUTE_MAPPINGS)],
      tags: [],
      createdAt: stamp,
      updatedAt: stamp,
    };
  });

  const roles = new Map<string, RoleState>();
  const addRole = (role: RoleOptions) => {
    const existing = roles.get(role.arn);
    if (existing) {
      if (role.maxSessionDurationSeconds !== undefined) existing.maxSessionDurationSeconds = role.maxSessionDurationSeconds;
      if (role.assumeRolePolicyDocument !== undefined) existing.assumeRolePolicyDocument = role.assumeRolePolicyDocument;
      return;
    }
    roles.set(role.arn, newRole(role, stamp));
  };
  for (const role of options.roles ?? []) addRole(role);
  for (const profile of profiles) for (const arn of profile.roleArns) addRole({ arn });

  return { region, account, trustAnchors, profiles, crls: [], roles: [...roles.values()] };
}

/** A role as IAM's CreateRole makes it; `createDate` is an ISO timestamp. */
export function newRole(role: RoleOptions & { readonly description?: string; readonly tags?: readonly Tag[] }, createDate: string): RoleState {
  const name = roleNameOf(role.arn);
  if (!name) throw new Error(`Not an IAM role ARN: ${role.arn}`);
  return {
    arn: role.arn,
    name,
    path: rolePathOf(role.arn),
    roleId: roleIdOf(role.arn),
    maxSessionDurationSeconds: role.maxSessionDurationSeconds ?? DEFAULT_ROLE_MAX_SESSION,
    assumeRolePolicyDocument: role.assumeRolePolicyDocument ?? DEFAULT_ROLESANYWHERE_TRUST_POLICY,
    description: role.description,
    attachedPolicyArns: [],
    tags: [...(role.tags ?? [])],
    createDate,
  };
}

/**
 * Adds what `seed` holds and `config` lacks (trust anchors and profiles by id, roles by ARN), keeping
 * what `config` already has as it is: the options given at start are there at every start, while a
 * change made through the control plane survives a restart.
 */
export function addMissing(config: SandboxConfig, seed: SandboxConfig): void {
  for (const anchor of seed.trustAnchors) if (!config.trustAnchors.some((a) => a.id === anchor.id)) config.trustAnchors.push(anchor);
  for (const profile of seed.profiles) if (!config.profiles.some((p) => p.id === profile.id)) config.profiles.push(profile);
  for (const role of seed.roles) if (!config.roles.some((r) => r.arn === role.arn)) config.roles.push(role);
}

/** The enabled CRLs of a trust anchor: what CreateSession checks the leaf's serial against. */
export function enabledCrlsOf(config: SandboxConfig, trustAnchorArn: string): CrlState[] {
  return config.crls.filter((crl) => crl.enabled && crl.trustAnchorArn === trustAnchorArn);
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
  anchor.sourceType = 'CERTIFICATE_BUNDLE';
  anchor.acmPcaArn = undefined;
  anchor.pem = caPem;
  anchor.certificates = certificates;
  anchor.updatedAt = new Date(nowMs).toISOString();
}

/** AWS role ids are AROA + 17 characters; derive them from the ARN so they stay stable. */
export function roleIdOf(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += alphabet[(digest[i] ?? 0) % 32];
  return id;
}
