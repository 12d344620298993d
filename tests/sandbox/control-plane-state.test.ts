// The sandbox's account on disk: what the control plane made and the credentials it issued survive a
// restart, --reset starts over with the same admin key, and no secret is ever written to the file.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateProfileCommand, CreateTrustAnchorCommand, ImportCrlCommand, ListCrlsCommand, ListProfilesCommand, ListTrustAnchorsCommand, RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { resetState, STATE_FILE_NAME } from '../../src/sandbox/state-store';
import { makeOpensslCa, revokeAndMakeCrl, TUTORIAL_TRUST_POLICY, type OpensslCa } from './openssl-ca';
import { issueCredentials, PROFILE_ID, startTestSandbox } from './sandbox-helpers';
import { makeTestPki, type TestPki } from './test-pki';

let dir: string;
let stateFile: string;
let pki: TestPki;
let ca: OpensslCa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sandbox-state-'));
  stateFile = join(dir, STATE_FILE_NAME);
  pki = await makeTestPki();
  ca = await makeOpensslCa(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function clients(sandbox: Sandbox) {
  const options = { region: 'us-east-1', endpoint: sandbox.url, credentials: { ...sandbox.adminKey } };
  return { rolesAnywhere: new RolesAnywhereClient(options), iam: new IAMClient(options) };
}

async function withSandbox<T>(use: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startTestSandbox(pki, { stateFile });
  try {
    return await use(sandbox);
  } finally {
    await sandbox.stop();
  }
}

describe('state that survives a restart', () => {
  let made: { anchorId: string; profileId: string; crlId: string };
  let issued: Awaited<ReturnType<typeof issueCredentials>>;
  let adminKey: Sandbox['adminKey'];

  beforeAll(async () => {
    await rm(stateFile, { force: true });
    await withSandbox(async (sandbox) => {
      adminKey = { ...sandbox.adminKey };
      const { rolesAnywhere, iam } = clients(sandbox);
      const { trustAnchor } = await rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'kept', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
      const { profile } = await rolesAnywhere.send(new CreateProfileCommand({ name: 'kept', roleArns: ['arn:aws:iam::123456789012:role/Kept'], durationSeconds: 1800, sessionPolicy: '{"Version":"2012-10-17"}' }));
      const crl = await revokeAndMakeCrl(ca, []);
      const imported = await rolesAnywhere.send(new ImportCrlCommand({ name: 'kept', trustAnchorArn: trustAnchor?.trustAnchorArn, crlData: Buffer.from(crl.pem), enabled: true }));
      await iam.send(new CreateRoleCommand({ RoleName: 'Kept', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY, MaxSessionDuration: 7200 }));
      sandbox.config.profiles.find((p) => p.id === PROFILE_ID)!.enabled = false;
      sandbox.persist();
      sandbox.config.profiles.find((p) => p.id === PROFILE_ID)!.enabled = true;
      issued = await issueCredentials(sandbox, pki);
      made = { anchorId: trustAnchor?.trustAnchorId ?? '', profileId: profile?.profileId ?? '', crlId: imported.crl?.crlId ?? '' };
      rolesAnywhere.destroy();
      iam.destroy();
    });
  });

  it('lists the trust anchors, profiles, CRLs and roles made before the restart', async () => {
    await withSandbox(async (sandbox) => {
      const { rolesAnywhere, iam } = clients(sandbox);
      expect((await rolesAnywhere.send(new ListTrustAnchorsCommand({}))).trustAnchors?.map((a) => a.trustAnchorId)).toContain(made.anchorId);
      const profiles = (await rolesAnywhere.send(new ListProfilesCommand({}))).profiles ?? [];
      expect(profiles.find((p) => p.profileId === made.profileId)).toMatchObject({ name: 'kept', durationSeconds: 1800, sessionPolicy: '{"Version":"2012-10-17"}', roleArns: ['arn:aws:iam::123456789012:role/Kept'] });
      expect((await rolesAnywhere.send(new ListCrlsCommand({}))).crls?.map((c) => c.crlId)).toEqual([made.crlId]);
      const role = await iam.send(new GetRoleCommand({ RoleName: 'Kept' }));
      expect(role.Role?.MaxSessionDuration).toBe(7200);
      expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toBe(TUTORIAL_TRUST_POLICY);
      expect(sandbox.config.trustAnchors.find((a) => a.id === made.anchorId)?.certificates).toHaveLength(1);
      rolesAnywhere.destroy();
      iam.destroy();
    });
  });

  it('keeps a change a host made and saved with persist(); the options do not overwrite it', async () => {
    await withSandbox(async (sandbox) => {
      // The last save came with the issued credentials, after the profile was enabled again.
      expect(sandbox.config.profiles.find((p) => p.id === PROFILE_ID)?.enabled).toBe(true);
      expect(sandbox.config.profiles.filter((p) => p.id === PROFILE_ID)).toHaveLength(1);
    });
  });

  it('still accepts the credentials it issued before the restart at STS, with the same admin key', async () => {
    await withSandbox(async (sandbox) => {
      expect({ accessKeyId: sandbox.adminKey.accessKeyId, secretAccessKey: sandbox.adminKey.secretAccessKey }).toEqual(adminKey);
      const sts = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken } });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/Dev/${pki.ecLeaf.serialHex}`);
      sts.destroy();
      const admin = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { ...sandbox.adminKey } });
      expect((await admin.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::123456789012:user/rolecall-sandbox-admin');
      admin.destroy();
    });
  });

  it('never writes a secret: not the issued secret key or token, not the admin secret; files are 0600 and no temp file is left', async () => {
    const text = await readFile(stateFile, 'utf8');
    expect(text).toContain(issued.accessKeyId);
    expect(text).not.toContain(issued.secretAccessKey);
    expect(text).not.toContain(issued.sessionToken.slice(20, 80));
    expect(text).not.toContain(adminKey.secretAccessKey);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('--reset starts over with only the options\' resources, and keeps the admin key', async () => {
    resetState(stateFile);
    await withSandbox(async (sandbox) => {
      expect({ accessKeyId: sandbox.adminKey.accessKeyId, secretAccessKey: sandbox.adminKey.secretAccessKey }).toEqual(adminKey);
      expect(sandbox.config.trustAnchors.map((a) => a.name)).toEqual(['tests', 'intermediate-only']);
      expect(sandbox.config.crls).toEqual([]);
      expect(sandbox.config.roles.some((r) => r.name === 'Kept')).toBe(false);
      expect(sandbox.issuedCredentials(issued.accessKeyId)).toBeUndefined();
    });
  });
});

describe('a state file it cannot use', () => {
  it('refuses to start on a damaged file, naming it and the way out, without overwriting it', async () => {
    await writeFile(stateFile, '{"version": 1, "region": ');
    await expect(startTestSandbox(pki, { stateFile })).rejects.toThrow(/sandbox-state\.json could not be read \(not JSON\)\. Start over with `rolecall sandbox --reset`/);
    await writeFile(stateFile, JSON.stringify({ version: 1, region: 'us-east-1', account: '123456789012', trustAnchors: 'none' }));
    await expect(startTestSandbox(pki, { stateFile })).rejects.toThrow(/trustAnchors/);
    expect(await readFile(stateFile, 'utf8')).toContain('"trustAnchors":"none"');
  });

  it('refuses a state made for another account or region', async () => {
    resetState(stateFile);
    await withSandbox(async () => undefined);
    await expect(startTestSandbox(pki, { stateFile, region: 'eu-west-1' })).rejects.toThrow(/holds account 123456789012 in us-east-1, not 123456789012 in eu-west-1/);
  });
});
