// Discovery against the sandbox, with credentials the sandbox issued through a real CreateSession.
// Expected lists come from the sandbox's own configuration, never from the code under test.
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/platform/clock';
import { createNodeTransport, type NodeTransport } from '../../../src/core/platform/node-transport';
import type { HttpTransport } from '../../../src/core/platform/transport';
import { loadCredentialFiles } from '../../../src/core/pki';
import { createSession } from '../../../src/core/rolesanywhere';
import { resolveAwsProfileCredentials } from '../../../src/core/rolesanywhere/aws-profile-credentials';
import { discoverRolesAnywhere, type AwsCredentials } from '../../../src/core/rolesanywhere/discovery';
import { keyObjectSigner } from '../../../src/core/signing';
import type { Sandbox } from '../../../src/sandbox/server';
import { ACCOUNT, PROFILE_ARN, ROLE_ARN, startFixtureSandbox, TRUST_ANCHOR_ARN } from '../../helpers/fixture-sandbox';
import { pkiPath, readPki } from '../../helpers/fixtures';

const REGION = 'us-east-1';
const EXTRA_ANCHORS = 120;
const EXTRA_PROFILES = 75;
const OPS_ROLE = `arn:aws:iam::${ACCOUNT}:role/ops/Operator`;

let sandbox: Sandbox;
let transport: NodeTransport;
let credentials: AwsCredentials;
let home: string;

function uuid(prefix: string, index: number): string {
  return `${prefix}-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

async function mintCredentials(): Promise<AwsCredentials> {
  const material = await loadCredentialFiles({
    certificate: pkiPath('leaf-ec-p256.cert.pem'),
    privateKey: pkiPath('leaf-ec-p256.key.pkcs8.pem'),
    intermediates: pkiPath('intermediate-ca.cert.pem'),
  });
  const session = await createSession(
    {
      trustAnchorArn: TRUST_ANCHOR_ARN,
      profileArn: PROFILE_ARN,
      roleArn: ROLE_ARN,
      endpoint: sandbox.url,
      certificateDer: material.leaf.der,
      chainDer: material.chain.map((certificate) => certificate.der),
      serialDecimal: material.leaf.serialDecimal,
      signer: keyObjectSigner(material.privateKey),
    },
    { transport, clock: systemClock },
  );
  return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
}

beforeAll(async () => {
  const rootPem = readPki('root-ca.cert.pem');
  sandbox = await startFixtureSandbox({
    trustAnchors: [
      { id: TRUST_ANCHOR_ARN.split('/')[1] ?? '', name: 'test-root', caPem: rootPem },
      ...Array.from({ length: EXTRA_ANCHORS }, (_, index) => ({ id: uuid('aaaaaaaa', index), name: `anchor-${index}`, caPem: rootPem, enabled: index % 7 !== 0 })),
    ],
    profiles: [
      { id: PROFILE_ARN.split('/')[1] ?? '', name: 'developers', roleArns: [ROLE_ARN], acceptRoleSessionName: true, durationSeconds: 3600 },
      ...Array.from({ length: EXTRA_PROFILES }, (_, index) => ({
        id: uuid('bbbbbbbb', index),
        name: `profile-${index}`,
        roleArns: index % 2 === 0 ? [ROLE_ARN, OPS_ROLE] : [OPS_ROLE],
        durationSeconds: 900 + index * 60,
        acceptRoleSessionName: index % 3 === 0,
        enabled: index % 5 !== 0,
      })),
    ],
  });
  transport = createNodeTransport();
  credentials = await mintCredentials();
  home = await mkdtemp(join(tmpdir(), 'rolecall-discovery-'));
});

afterAll(async () => {
  await transport.close();
  await sandbox.stop();
  await rm(home, { recursive: true, force: true });
});

function discover(using: AwsCredentials = credentials, transportToUse: HttpTransport = transport) {
  return discoverRolesAnywhere({ region: REGION, credentials: using, endpoint: sandbox.url }, { transport: transportToUse });
}

describe('discoverRolesAnywhere', () => {
  it('lists every trust anchor and profile, following nextToken across pages', async () => {
    sandbox.requests.clear();
    const discovery = await discover();
    expect(discovery.region).toBe(REGION);
    // Each bundle anchor with its CA certificate, so a client can tell which one a certificate chains to.
    expect(discovery.trustAnchors).toEqual(
      sandbox.config.trustAnchors.map((anchor) => ({
        arn: anchor.arn,
        name: anchor.name,
        enabled: anchor.enabled,
        certificates: [{ subject: new X509Certificate(anchor.pem).subject.split('\n').join(', '), fingerprintSha256: new X509Certificate(anchor.pem).fingerprint256 }],
      })),
    );
    expect(discovery.profiles.map((profile) => profile.arn)).toEqual(sandbox.config.profiles.map((profile) => profile.arn));
    // 121 anchors and 76 profiles at the service's 50 per page.
    expect(sandbox.requests.count('ListTrustAnchors', 200)).toBe(3);
    expect(sandbox.requests.count('ListProfiles', 200)).toBe(2);
  });

  it('reports each profile\'s roles, duration, enabled state and whether it accepts a role session name', async () => {
    const discovery = await discover();
    expect(discovery.profiles).toEqual(
      sandbox.config.profiles.map((profile) => ({
        arn: profile.arn,
        name: profile.name,
        enabled: profile.enabled,
        roleArns: profile.roleArns,
        durationSeconds: profile.durationSeconds,
        acceptRoleSessionName: profile.acceptRoleSessionName,
      })),
    );
    expect(discovery.profiles.some((profile) => profile.acceptRoleSessionName)).toBe(true);
    expect(discovery.profiles.some((profile) => !profile.acceptRoleSessionName)).toBe(true);
    expect(discovery.profiles.some((profile) => !profile.enabled)).toBe(true);
  });

  it('sees a change made in the account on the next call', async () => {
    const anchor = sandbox.config.trustAnchors[1];
    if (!anchor) throw new Error('fixture anchor missing');
    anchor.name = 'renamed-at-the-service';
    const discovery = await discover();
    expect(discovery.trustAnchors[1]?.name).toBe('renamed-at-the-service');
  });

  it('rides out a throttled page with the SDK\'s retry', async () => {
    sandbox.requests.clear();
    sandbox.switches.throttleNext = 1;
    const discovery = await discover();
    expect(discovery.trustAnchors).toHaveLength(EXTRA_ANCHORS + 1);
    expect(sandbox.requests.count(undefined, 429)).toBe(1);
  });

  it('refuses a wrong secret key as invalid credentials', async () => {
    await expect(discover({ ...credentials, secretAccessKey: `${credentials.secretAccessKey.slice(0, -4)}AAAA` })).rejects.toMatchObject({
      code: 'DISCOVERY_CREDENTIALS_INVALID',
      detail: expect.stringMatching(/InvalidSignatureException/),
    });
  });

  it('refuses an access key the service never issued as invalid credentials', async () => {
    await expect(discover({ ...credentials, accessKeyId: 'ASIAUNKNOWNKEY000000' })).rejects.toMatchObject({
      code: 'DISCOVERY_CREDENTIALS_INVALID',
      detail: expect.stringMatching(/UnrecognizedClientException/),
    });
  });

  it('reports expired session credentials as expired', async () => {
    sandbox.switches.shortLivedSeconds = 1;
    try {
      const shortLived = await mintCredentials();
      // The service's clock moves past the one-second lifetime; well inside the signature's skew window.
      sandbox.switches.clockSkewMs = 2000;
      await expect(discover(shortLived)).rejects.toMatchObject({ code: 'DISCOVERY_CREDENTIALS_EXPIRED' });
    } finally {
      sandbox.switches.shortLivedSeconds = undefined;
      sandbox.switches.clockSkewMs = 0;
    }
  });

  it('never puts the secret key or session token into the error', async () => {
    const wrong = { ...credentials, secretAccessKey: 'x'.repeat(40) };
    const error = await discover(wrong).catch((caught: unknown) => caught);
    const text = JSON.stringify(error) + String(error) + String((error as { detail?: string }).detail);
    expect(text).not.toContain(credentials.sessionToken);
    expect(text).not.toContain(wrong.secretAccessKey);
  });

  it('explains AccessDeniedException as missing rolesanywhere:List* permissions', async () => {
    // The sandbox has no IAM policies; this is the service's answer when a policy lacks the action.
    const denying: HttpTransport = async () => ({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/' },
      body: JSON.stringify({ message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/Developer/x is not authorized to perform: rolesanywhere:ListTrustAnchors` }),
    });
    const error = await discover(credentials, denying).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DISCOVERY_DENIED', next: expect.stringContaining('rolesanywhere:ListTrustAnchors') });
    expect((error as { detail: string }).detail).toMatch(/not authorized to perform: rolesanywhere:List/);
  });

  it('reports a service that keeps failing as unavailable after the retries', async () => {
    sandbox.requests.clear();
    sandbox.switches.failNext = 100;
    try {
      await expect(discover()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      sandbox.switches.failNext = 0;
    }
  });

  it('reports an endpoint nobody listens on as a network problem', async () => {
    const stopped = await startFixtureSandbox();
    const url = stopped.url;
    await stopped.stop();
    await expect(discoverRolesAnywhere({ region: REGION, credentials, endpoint: url }, { transport })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('checks the region and endpoint before sending anything', async () => {
    await expect(discoverRolesAnywhere({ region: 'moon-1', credentials }, { transport })).rejects.toMatchObject({ code: 'REGION_INVALID' });
    await expect(discoverRolesAnywhere({ region: REGION, credentials, endpoint: 'http://example.com' }, { transport })).rejects.toMatchObject({
      code: 'ENDPOINT_INVALID',
    });
  });
});

describe('resolveAwsProfileCredentials', () => {
  async function writeAwsFiles(credentialsText: string, configText: string) {
    const credentialsFile = join(home, 'credentials');
    const configFile = join(home, 'config');
    await writeFile(credentialsFile, credentialsText, { mode: 0o600 });
    await writeFile(configFile, configText, { mode: 0o600 });
    return { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };
  }

  const keysSection = (name: string, keys: AwsCredentials) =>
    `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\naws_session_token = ${keys.sessionToken ?? ''}\n`;

  it('reads a named profile from the files the environment points at, and lists with it', async () => {
    const env = await writeAwsFiles(`[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n${keysSection('lister', credentials)}`, '[profile lister]\nregion = us-east-1\n');
    const resolved = await resolveAwsProfileCredentials('lister', { env, homedir: home });
    expect(resolved).toEqual(credentials);
    const discovery = await discover(resolved);
    expect(discovery.trustAnchors).toHaveLength(EXTRA_ANCHORS + 1);
  });

  it('reads ~/.aws under the given home folder when the environment names no files', async () => {
    const awsDir = join(home, 'home-aws');
    await mkdir(join(awsDir, '.aws'), { recursive: true });
    await writeFile(join(awsDir, '.aws', 'credentials'), keysSection('team', credentials));
    await expect(resolveAwsProfileCredentials('team', { env: {}, homedir: awsDir })).resolves.toEqual(credentials);
  });

  it('reads keys written to the config file of a profile', async () => {
    const env = await writeAwsFiles('', `[profile in-config]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\naws_session_token = ${credentials.sessionToken}\n`);
    await expect(resolveAwsProfileCredentials('in-config', { env, homedir: home })).resolves.toEqual(credentials);
  });

  it('sees new keys after the file changes (no stale cache in a long-lived agent)', async () => {
    const env = await writeAwsFiles('[rotating]\naws_access_key_id = AKIAFIRST\naws_secret_access_key = first-secret\n', '');
    await expect(resolveAwsProfileCredentials('rotating', { env, homedir: home })).resolves.toEqual({ accessKeyId: 'AKIAFIRST', secretAccessKey: 'first-secret' });
    await writeAwsFiles('[rotating]\naws_access_key_id = AKIASECOND\naws_secret_access_key = second-secret\n', '');
    await expect(resolveAwsProfileCredentials('rotating', { env, homedir: home })).resolves.toEqual({ accessKeyId: 'AKIASECOND', secretAccessKey: 'second-secret' });
  });

  it('names a profile that does not exist as unusable, without quoting any key', async () => {
    const env = await writeAwsFiles(keysSection('lister', credentials), '');
    const error = await resolveAwsProfileCredentials('missing', { env, homedir: home }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AWS_PROFILE_UNUSABLE', detail: expect.stringContaining('missing') });
    expect(String((error as { detail?: string }).detail)).not.toContain(credentials.secretAccessKey);
  });
});
