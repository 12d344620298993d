// The sandbox's account on disk: one JSON document in its folder, rewritten after each change (temp
// file, fsync, rename, so a crash leaves the old or the new document, never half of one) and read at
// start. Issued credentials are kept without their secrets: those are derived again from the seed,
// which lives in its own file beside it so that `--reset` can drop the account and keep the admin key.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { parseCertificatesPem } from './certificate';
import type { CrlState, ProfileState, RoleState, SandboxConfig, TrustAnchorState } from './config';
import { newRole } from './config';
import type { CredentialRecord } from './credentials';
import { parseCrlPem } from './crl';
import { CERTIFICATE_FIELDS } from './policy';

export const STATE_FILE_NAME = 'sandbox-state.json';
const SEED_FILE_NAME = 'sandbox-seed';
/** Expired credentials are kept this long, so STS still answers ExpiredToken rather than "unknown key". */
const EXPIRED_KEPT_MS = 24 * 60 * 60 * 1000;

const tag = z.object({ key: z.string(), value: z.string() });
const stamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a timestamp');

const documentSchema = z.object({
  version: z.literal(1),
  region: z.string(),
  account: z.string(),
  trustAnchors: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      sourceType: z.enum(['CERTIFICATE_BUNDLE', 'AWS_ACM_PCA']),
      acmPcaArn: z.string().optional(),
      pem: z.string(),
      tags: z.array(tag),
      createdAt: stamp,
      updatedAt: stamp,
    }),
  ),
  profiles: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      roleArns: z.array(z.string()),
      durationSeconds: z.number().int(),
      acceptRoleSessionName: z.boolean(),
      requireInstanceProperties: z.boolean(),
      managedPolicyArns: z.array(z.string()),
      sessionPolicy: z.string().optional(),
      attributeMappings: z.array(z.object({ certificateField: z.enum(CERTIFICATE_FIELDS), mappingRules: z.array(z.object({ specifier: z.string() })) })),
      tags: z.array(tag),
      createdAt: stamp,
      updatedAt: stamp,
    }),
  ),
  crls: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      trustAnchorArn: z.string(),
      data: z.base64(),
      tags: z.array(tag),
      createdAt: stamp,
      updatedAt: stamp,
    }),
  ),
  roles: z.array(
    z.object({
      arn: z.string(),
      maxSessionDurationSeconds: z.number().int(),
      assumeRolePolicyDocument: z.string(),
      description: z.string().optional(),
      attachedPolicyArns: z.array(z.string()),
      tags: z.array(tag),
      createDate: stamp,
    }),
  ),
  credentials: z.array(
    z.object({
      issuedAt: z.number(),
      expiresAt: z.number(),
      account: z.string(),
      roleArn: z.string(),
      roleName: z.string(),
      roleSessionName: z.string(),
      profileArn: z.string(),
      trustAnchorArn: z.string(),
      certificateSerial: z.string(),
      sourceIdentity: z.string(),
      principalTags: z.record(z.string(), z.string()).optional(),
      durationSeconds: z.number(),
      accessKeyId: z.string(),
      assumedRoleArn: z.string(),
      assumedRoleId: z.string(),
    }),
  ),
});

type StateDocument = z.infer<typeof documentSchema>;

export interface SandboxState {
  readonly config: SandboxConfig;
  readonly credentials: CredentialRecord[];
}

/** The state file exists but cannot be used; the message names the file, the fault and the way out. */
export class SandboxStateError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`The sandbox state in ${file} could not be read (${detail}). Start over with \`rolecall sandbox --reset\`, or move the file aside.`);
    this.name = 'SandboxStateError';
  }
}

/**
 * What issued secrets and the admin key are derived from: made once per sandbox folder (mode 0600)
 * and read at each start. A damaged seed file is replaced, which changes the admin key.
 */
export function openSeed(stateFile: string): Buffer {
  const file = join(dirname(stateFile), SEED_FILE_NAME);
  try {
    const seed = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (seed.length === 32) return seed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new SandboxStateError(file, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  const seed = randomBytes(32);
  writeAtomically(file, `${seed.toString('base64')}\n`);
  return seed;
}

/** The state in `file`, or undefined when there is none yet. */
export function readState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SandboxStateError(file, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SandboxStateError(file, 'not JSON');
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SandboxStateError(file, `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    return fromDocument(parsed.data);
  } catch (error) {
    throw new SandboxStateError(file, error instanceof Error ? error.message : String(error));
  }
}

/** Replaces `file` with the state atomically. */
export function writeState(file: string, state: SandboxState, nowMs: number): void {
  writeAtomically(file, `${JSON.stringify(toDocument(state, nowMs), null, 1)}\n`);
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** `--reset`: the account starts over; the seed file stays, so the admin key the user configured still works. */
export function resetState(file: string): void {
  rmSync(file, { force: true });
}

function fromDocument(document: StateDocument): SandboxState {
  const { region, account } = document;
  const prefix = `arn:aws:rolesanywhere:${region}:${account}`;
  const trustAnchors = document.trustAnchors.map(
    (anchor): TrustAnchorState => ({
      id: anchor.id,
      arn: `${prefix}:trust-anchor/${anchor.id}`,
      name: anchor.name,
      enabled: anchor.enabled,
      sourceType: anchor.sourceType,
      acmPcaArn: anchor.acmPcaArn,
      pem: anchor.pem,
      certificates: anchor.sourceType === 'CERTIFICATE_BUNDLE' ? parseCertificatesPem(anchor.pem) : [],
      tags: anchor.tags,
      createdAt: anchor.createdAt,
      updatedAt: anchor.updatedAt,
    }),
  );
  const profiles = document.profiles.map(
    (profile): ProfileState => ({
      ...profile,
      arn: `${prefix}:profile/${profile.id}`,
      sessionPolicy: profile.sessionPolicy,
    }),
  );
  const crls = document.crls.map((crl): CrlState => {
    const data = Buffer.from(crl.data, 'base64');
    const parsed = parseCrlPem(data);
    if (!parsed) throw new Error(`CRL ${crl.id} does not parse`);
    return { ...crl, arn: `${prefix}:crl/${crl.id}`, data, revokedSerials: parsed.revokedSerials };
  });
  const roles = document.roles.map((role): RoleState => {
    const state = newRole(role, role.createDate);
    state.description = role.description;
    state.attachedPolicyArns = role.attachedPolicyArns;
    return state;
  });
  return { config: { region, account, trustAnchors, profiles, crls, roles }, credentials: document.credentials };
}

function toDocument(state: SandboxState, nowMs: number): StateDocument {
  const { config } = state;
  return {
    version: 1,
    region: config.region,
    account: config.account,
    trustAnchors: config.trustAnchors.map((anchor) => ({
      id: anchor.id,
      name: anchor.name,
      enabled: anchor.enabled,
      sourceType: anchor.sourceType,
      ...(anchor.acmPcaArn === undefined ? {} : { acmPcaArn: anchor.acmPcaArn }),
      pem: anchor.pem,
      tags: anchor.tags,
      createdAt: anchor.createdAt,
      updatedAt: anchor.updatedAt,
    })),
    profiles: config.profiles.map((profile) => ({
      id: profile.id,
      name: profile.name,
      enabled: profile.enabled,
      roleArns: profile.roleArns,
      durationSeconds: profile.durationSeconds,
      acceptRoleSessionName: profile.acceptRoleSessionName,
      requireInstanceProperties: profile.requireInstanceProperties,
      managedPolicyArns: profile.managedPolicyArns,
      ...(profile.sessionPolicy === undefined ? {} : { sessionPolicy: profile.sessionPolicy }),
      attributeMappings: profile.attributeMappings.map((mapping) => ({ certificateField: mapping.certificateField, mappingRules: mapping.mappingRules.map((rule) => ({ ...rule })) })),
      tags: profile.tags,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
    })),
    crls: config.crls.map((crl) => ({
      id: crl.id,
      name: crl.name,
      enabled: crl.enabled,
      trustAnchorArn: crl.trustAnchorArn,
      data: crl.data.toString('base64'),
      tags: crl.tags,
      createdAt: crl.createdAt,
      updatedAt: crl.updatedAt,
    })),
    roles: config.roles.map((role) => ({
      arn: role.arn,
      maxSessionDurationSeconds: role.maxSessionDurationSeconds,
      assumeRolePolicyDocument: role.assumeRolePolicyDocument,
      ...(role.description === undefined ? {} : { description: role.description }),
      attachedPolicyArns: role.attachedPolicyArns,
      tags: role.tags,
      createDate: role.createDate,
    })),
    credentials: state.credentials.filter((record) => record.expiresAt + EXPIRED_KEPT_MS > nowMs && !record.longTerm),
  };
}
