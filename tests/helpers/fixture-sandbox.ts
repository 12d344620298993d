// A sandbox that trusts the committed test PKI's root CA, with one profile and role.
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import { readPki } from './fixtures';

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
