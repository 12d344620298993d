// The sandbox's ledger of issued secrets, which the secrets scan reads after the test suites.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRegistry, type CredentialGrant } from '../../src/sandbox/credentials';

const grant: CredentialGrant = {
  issuedAt: 0,
  expiresAt: 3_600_000,
  account: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/Developer',
  roleName: 'Developer',
  roleSessionName: 'session',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t',
  certificateSerial: '01',
  sourceIdentity: 'CN=leaf',
  durationSeconds: 3600,
  roleId: 'AROAEXAMPLE',
};

describe('the sandbox ledger', () => {
  const saved = process.env.ROLECALL_SANDBOX_LEDGER;
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'rolecall-ledger-'));
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.ROLECALL_SANDBOX_LEDGER;
    else process.env.ROLECALL_SANDBOX_LEDGER = saved;
    await rm(folder, { recursive: true, force: true });
  });

  it('appends the secret access key and session token of every credential it issues', async () => {
    const ledger = join(folder, 'ledger');
    process.env.ROLECALL_SANDBOX_LEDGER = ledger;
    const registry = new CredentialRegistry();
    const first = registry.issue(grant);
    const second = registry.issue(grant);
    const lines = (await readFile(ledger, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toEqual([first.secretAccessKey, first.sessionToken, second.secretAccessKey, second.sessionToken]);
    expect(lines.join('\n')).not.toContain(first.accessKeyId);
  });

  it('writes nothing when no ledger is named', async () => {
    delete process.env.ROLECALL_SANDBOX_LEDGER;
    new CredentialRegistry().issue(grant);
    await expect(readFile(join(folder, 'ledger'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
