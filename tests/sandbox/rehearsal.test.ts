// Rehearsing an AWS setup locally, as the Roles Anywhere tutorials build it: an openssl CA made a trust
// anchor with the AWS CLI, a role whose trust policy pins the certificate's OU and CN, a profile; then
// Rolecall's own CLI adds and activates profiles, and the sandbox says yes and no for AWS's reasons.
// Needs `npm run build:cli`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { issueOpensslLeaf, makeOpensslCa, revokeAndMakeCrl, type OpensslCa, type OpensslLeaf } from './openssl-ca';
import { explainLastCreateSession } from './sandbox-helpers';

const run = promisify(execFile);

/** The tutorials' trust policy, with both conditions they show: the OU exactly, the CN from a list. */
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: {
        StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'devops' },
        StringLike: { 'aws:PrincipalTag/x509Subject/CN': ['alice', 'bob*'] },
      },
    },
  ],
});

let dir: string;
let sandbox: Sandbox;
let env: IsolatedEnv;
let ca: OpensslCa;
const leaves: Record<string, OpensslLeaf> = {};
let arns: { trustAnchor: string; profile: string; profileId: string; role: string };

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('/usr/bin/aws', [...args, '--endpoint-url', sandbox.url, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: sandbox.adminKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.adminKey.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

async function addAndActivate(name: string, leaf: OpensslLeaf): Promise<{ code: number | null; stderr: string }> {
  const added = await env.cli([
    'profiles', 'add', name,
    '--certificate', leaf.certificatePath,
    '--private-key', leaf.keyPath,
    '--trust-anchor-arn', arns.trustAnchor,
    '--profile-arn', arns.profile,
    '--role-arn', arns.role,
    '--endpoint', sandbox.url,
  ]);
  expect(added.code, added.stderr).toBe(0);
  return env.cli(['activate', name]);
}

beforeAll(async () => {
  assertCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-rehearsal-'));
  await Promise.all([writeFile(join(dir, 'aws-config'), ''), writeFile(join(dir, 'aws-credentials'), '')]);
  sandbox = await startSandbox({ stateFile: join(dir, 'sandbox', 'state.json') });
  env = await createIsolatedEnv();
  ca = await makeOpensslCa(dir, 'Rehearsal CA');
  for (const [name, subject] of [
    ['alice', '/O=Example Corp/OU=devops/CN=alice'],
    ['bob', '/O=Example Corp/OU=devops/CN=bob-laptop'],
    ['carol', '/O=Example Corp/OU=devops/CN=carol'],
    ['bobfin', '/O=Example Corp/OU=finance/CN=bob-finance'],
  ] as const) {
    leaves[name] = await issueOpensslLeaf(ca, name, subject);
  }

  await writeFile(join(dir, 'source.json'), JSON.stringify({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } }));
  await writeFile(join(dir, 'trust-policy.json'), TRUST_POLICY);
  const anchor = (await aws('rolesanywhere', 'create-trust-anchor', '--name', 'my-ca', '--source', `file://${join(dir, 'source.json')}`, '--enabled')) as { trustAnchor: { trustAnchorArn: string } };
  const role = (await aws('iam', 'create-role', '--role-name', 'Developer', '--assume-role-policy-document', `file://${join(dir, 'trust-policy.json')}`)) as { Role: { Arn: string } };
  const profile = (await aws('rolesanywhere', 'create-profile', '--name', 'developers', '--role-arns', role.Role.Arn, '--enabled')) as { profile: { profileArn: string; profileId: string } };
  arns = { trustAnchor: anchor.trustAnchor.trustAnchorArn, profile: profile.profile.profileArn, profileId: profile.profile.profileId, role: role.Role.Arn };
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rehearsing the tutorials against the sandbox', () => {
  it('activates a certificate whose OU and CN the trust policy allows, and the session carries its principal tags', async () => {
    const activated = await addAndActivate('alice', leaves.alice!);
    expect(activated.code, activated.stderr).toBe(0);
    const issued = sandbox.allIssuedCredentials().at(-1);
    expect(issued?.principalTags).toMatchObject({ 'x509Subject/OU': 'devops', 'x509Subject/CN': 'alice', 'x509Subject/O': 'Example Corp', 'x509Issuer/CN': 'Rehearsal CA' });
    expect(issued?.sourceIdentity).toBe('CN=alice');
  });

  it('refuses a certificate of another OU with the bare AccessDenied, and explains which condition failed', async () => {
    const refused = await addAndActivate('bob-finance', leaves.bobfin!);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ACCESS_DENIED');
    const explained = await explainLastCreateSession(sandbox);
    expect(explained).toMatchObject({ status: 403, reason: 'TRUST_POLICY_DENIED' });
    expect(explained.explanation).toContain('aws:PrincipalTag/x509Subject/OU');
    expect(explained.explanation).toContain('finance');
  });

  it('refuses a CN the policy does not list, and allows one its wildcard matches', async () => {
    const carol = await addAndActivate('carol', leaves.carol!);
    expect(carol.code).toBe(1);
    expect((await explainLastCreateSession(sandbox)).explanation).toContain('x509Subject/CN');
    const bob = await addAndActivate('bob', leaves.bob!);
    expect(bob.code, bob.stderr).toBe(0);
  });

  it('refuses a certificate revoked by a CRL imported with the AWS CLI', async () => {
    const crl = await revokeAndMakeCrl(ca, [leaves.bob!]);
    await aws('rolesanywhere', 'import-crl', '--name', 'revocations', '--trust-anchor-arn', arns.trustAnchor, '--crl-data', `fileb://${crl.path}`, '--enabled');
    const refreshed = await env.cli(['refresh', 'bob']);
    expect(refreshed.code).toBe(1);
    expect(refreshed.stderr).toContain('CERT_REVOKED');
    expect(await explainLastCreateSession(sandbox)).toMatchObject({ status: 403, reason: 'CERTIFICATE_REVOKED', explanation: expect.stringContaining(leaves.bob!.serialHex) });
  });

  it('refuses every certificate once the profile is disabled with the AWS CLI', async () => {
    await aws('rolesanywhere', 'disable-profile', '--profile-id', arns.profileId);
    const refreshed = await env.cli(['refresh', 'alice']);
    expect(refreshed.code).toBe(1);
    expect(refreshed.stderr).toContain('RA_PROFILE_DISABLED');
    expect(await explainLastCreateSession(sandbox)).toMatchObject({ status: 403, reason: 'PROFILE_DISABLED' });
  });

  it('answers an unknown request id at /__explain with a 404', async () => {
    const response = await fetch(`${sandbox.url}/__explain/no-such-request`);
    expect(response.status).toBe(404);
  });
});
