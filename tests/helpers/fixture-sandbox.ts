// A sandbox that trusts the committed test PKI's root CA, with one profile and role.
import { ProfileRepository } from '../../src/core/profiles/repository';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import { pkiPath, readPki } from './fixtures';

export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const TRUST_ANCHOR_ID = '0b1e5a3c-0000-4000-8000-000000000001';
const PROFILE_ID = '0b1e5a3c-0000-4000-8000-000000000002';
export const TRUST_ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/${TRUST_ANCHOR_ID}`;
export const PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/${PROFILE_ID}`;

export function startFixtureSandbox(overrides: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    account: ACCOUNT,
    trustAnchors: [{ id: TRUST_ANCHOR_ID, name: 'test-root', caPem: readPki('root-ca.cert.pem') }],
    profiles: [{ id: PROFILE_ID, name: 'developers', roleArns: [ROLE_ARN], acceptRoleSessionName: true, durationSeconds: 3600 }],
    roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
    ...overrides,
  });
}

/** The ARN flags every drop-in call needs. */
export function arnFlags(): string[] {
  return ['--trust-anchor-arn', TRUST_ANCHOR_ARN, '--profile-arn', PROFILE_ARN, '--role-arn', ROLE_ARN];
}

/**
 * Writes a profile for the fixture certificate `<fixture>.cert.pem` with the fixture ARNs straight into
 * the store of `dataDir`, its key left in its own file, as a profile added while the certificate was
 * valid would be (`profiles add` refuses an expired or not-yet-valid one); returns the repository.
 */
export async function storeFixtureProfile(dataDir: string, name: string, fixture: string, endpoint: string): Promise<ProfileRepository> {
  const now = new Date().toISOString();
  const repository = new ProfileRepository({ dataDir });
  await repository.add({
    name,
    certificatePem: readPki(`${fixture}.cert.pem`),
    chainPem: [readPki('intermediate-ca.cert.pem')],
    key: { kind: 'file', path: pkiPath(`${fixture}.key.pkcs8.pem`) },
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: ROLE_ARN,
    durationSeconds: 3600,
    autoRefresh: true,
    delivery: 'file',
    endpoint,
    createdAt: now,
    updatedAt: now,
  });
  return repository;
}
