// Real AWS clients against the sandbox: if they parse its answers and their signatures pass its
// checks, the sandbox speaks the real protocols rather than our own idea of them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ListProfilesCommand, ListTrustAnchorsCommand, RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { makeTestPki, type TestPki } from './test-pki';
import { ANCHOR_ID, issueCredentials, OTHER_ANCHOR_ID, PROFILE_ID, startTestSandbox } from './sandbox-helpers';

const run = promisify(execFile);

let pki: TestPki;
let sandbox: Sandbox;
let credentials: Awaited<ReturnType<typeof issueCredentials>>;
let expectedArn: string;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki);
  credentials = await issueCredentials(sandbox, pki);
  expectedArn = `arn:aws:sts::123456789012:assumed-role/Dev/${pki.ecLeaf.serialHex}`;
});
afterAll(() => sandbox.stop());

/** An environment that holds only these credentials: no config files, no instance metadata. */
function isolatedEnv(keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_SESSION_TOKEN: keys.sessionToken,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
}

describe('AWS CLI v2', () => {
  it('prints the assumed-role identity from sts get-caller-identity', async () => {
    const { stdout } = await run('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sandbox.url, '--output', 'json'], { env: isolatedEnv(credentials) });
    const identity = JSON.parse(stdout) as Record<string, string>;
    expect(identity.Arn).toBe(expectedArn);
    expect(identity.Account).toBe('123456789012');
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:/);
    expect(sandbox.requests.entries.at(-1)).toMatchObject({ operation: 'GetCallerIdentity', status: 200, accessKeyId: credentials.accessKeyId });
  });

  it('reports InvalidClientTokenId for a token the sandbox did not issue', async () => {
    const failure = run('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sandbox.url], { env: isolatedEnv({ ...credentials, sessionToken: 'forged' }) });
    await expect(failure).rejects.toMatchObject({ stderr: expect.stringContaining('InvalidClientTokenId') });
  });
});

describe('boto3 (Debian python3-boto3)', () => {
  it('reads the identity from the XML answer', async () => {
    const script = `import boto3, json\nprint(json.dumps(boto3.client("sts", endpoint_url="${sandbox.url}").get_caller_identity()))`;
    const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: isolatedEnv(credentials) });
    const identity = JSON.parse(stdout) as Record<string, string>;
    expect(identity.Arn).toBe(expectedArn);
  });
});

describe('AWS SDK for JavaScript v3', () => {
  const sdkCredentials = () => ({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });

  it('STSClient reads GetCallerIdentity', async () => {
    const client = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: sdkCredentials() });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(expectedArn);
    client.destroy();
  });

  it('STSClient surfaces SignatureDoesNotMatch with its code', async () => {
    const client = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { ...sdkCredentials(), secretAccessKey: 'z'.repeat(40) } });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    client.destroy();
  });

  it('RolesAnywhereClient lists trust anchors page by page and profiles', async () => {
    const client = new RolesAnywhereClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: sdkCredentials() });
    const first = await client.send(new ListTrustAnchorsCommand({ pageSize: 1 }));
    expect(first.trustAnchors?.map((a) => a.trustAnchorId)).toEqual([ANCHOR_ID]);
    expect(first.trustAnchors?.[0]?.source?.sourceData).toEqual({ x509CertificateData: pki.root.pem });
    expect(first.trustAnchors?.[0]?.createdAt).toBeInstanceOf(Date);
    const second = await client.send(new ListTrustAnchorsCommand({ pageSize: 1, nextToken: first.nextToken }));
    expect(second.trustAnchors?.map((a) => a.trustAnchorId)).toEqual([OTHER_ANCHOR_ID]);
    expect(second.nextToken).toBeUndefined();
    const profiles = await client.send(new ListProfilesCommand({}));
    expect(profiles.profiles?.map((p) => [p.profileId, p.name, p.durationSeconds])).toEqual([
      [PROFILE_ID, 'dev', 3600],
      ['0b0b0b0b-0000-4000-8000-000000000002', 'named', 1800],
    ]);
    client.destroy();
  });

  it('RolesAnywhereClient surfaces the service error code and message', async () => {
    const client = new RolesAnywhereClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { ...sdkCredentials(), sessionToken: 'forged' }, maxAttempts: 1 });
    await expect(client.send(new ListProfilesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  it('RolesAnywhereClient retries a throttled call and succeeds', async () => {
    sandbox.switches.throttleNext = 1;
    const client = new RolesAnywhereClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: sdkCredentials() });
    const before = sandbox.requests.count('ListProfiles');
    const answer = await client.send(new ListProfilesCommand({}));
    expect(answer.profiles).toHaveLength(2);
    expect(sandbox.requests.count('ListProfiles') - before).toBe(2);
    client.destroy();
  });
});
