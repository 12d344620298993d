// ListTrustAnchors and ListProfiles: REST JSON shapes, pagination, and SigV4 with issued credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { makeTestPki, type TestPki } from './test-pki';
import { ANCHOR_ID, DEV_ROLE, issueCredentials, OTHER_ANCHOR_ID, PROFILE_ID, startTestSandbox } from './sandbox-helpers';
import { send, signHmac } from './test-signer';

let pki: TestPki;
let sandbox: Sandbox;
let credentials: Awaited<ReturnType<typeof issueCredentials>>;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki);
  credentials = await issueCredentials(sandbox, pki);
});
afterAll(() => sandbox.stop());

function list(path: string, query = '', overrides: { service?: string; secret?: string } = {}) {
  return send(
    sandbox.url,
    signHmac({
      method: 'GET',
      host: new URL(sandbox.url).host,
      path,
      query,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: overrides.secret ?? credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      region: 'us-east-1',
      service: overrides.service ?? 'rolesanywhere',
      date: new Date(sandbox.now()),
    }),
  );
}

interface AnchorPage {
  trustAnchors: Array<Record<string, unknown> & { trustAnchorId: string; source: { sourceType: string; sourceData: { x509CertificateData: string } } }>;
  nextToken?: string;
}

describe('ListTrustAnchors', () => {
  it('lists the trust anchors in the service shape', async () => {
    const response = await list('/trustanchors');
    expect(response.status).toBe(200);
    const body = response.json<AnchorPage>();
    expect(body.nextToken).toBeUndefined();
    expect(body.trustAnchors.map((a) => a.trustAnchorId)).toEqual([ANCHOR_ID, OTHER_ANCHOR_ID]);
    const first = body.trustAnchors[0];
    expect(first).toMatchObject({
      trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/${ANCHOR_ID}`,
      name: 'tests',
      enabled: true,
      source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: pki.root.pem } },
    });
    expect(Date.parse(String(first?.createdAt))).not.toBeNaN();
    expect(Date.parse(String(first?.updatedAt))).not.toBeNaN();
  });

  it('pages with pageSize and nextToken', async () => {
    const first = (await list('/trustanchors', 'pageSize=1')).json<AnchorPage>();
    expect(first.trustAnchors.map((a) => a.trustAnchorId)).toEqual([ANCHOR_ID]);
    expect(first.nextToken).toBeTypeOf('string');
    const query = `nextToken=${encodeURIComponent(first.nextToken ?? '')}&pageSize=1`;
    const second = (await list('/trustanchors', query)).json<AnchorPage>();
    expect(second.trustAnchors.map((a) => a.trustAnchorId)).toEqual([OTHER_ANCHOR_ID]);
    expect(second.nextToken).toBeUndefined();
  });

  it('rejects a nextToken it did not hand out', async () => {
    const response = await list('/trustanchors', 'nextToken=bogus');
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toMatch(/^ValidationException/);
  });
});

describe('ListProfiles', () => {
  it('lists the profiles in the service shape', async () => {
    const body = (await list('/profiles')).json<{ profiles: Array<Record<string, unknown>> }>();
    expect(body.profiles[0]).toMatchObject({
      profileArn: `arn:aws:rolesanywhere:us-east-1:123456789012:profile/${PROFILE_ID}`,
      profileId: PROFILE_ID,
      name: 'dev',
      enabled: true,
      durationSeconds: 3600,
      acceptRoleSessionName: false,
      roleArns: [DEV_ROLE, 'arn:aws:iam::123456789012:role/ops/Operator'],
    });
  });
});

describe('list authorisation', () => {
  it('logs the issued access key that made each list call', async () => {
    await list('/trustanchors');
    expect(sandbox.requests.entries.at(-1)).toMatchObject({ operation: 'ListTrustAnchors', status: 200, accessKeyId: credentials.accessKeyId });
    await list('/profiles');
    expect(sandbox.requests.entries.at(-1)).toMatchObject({ operation: 'ListProfiles', status: 200, accessKeyId: credentials.accessKeyId });
  });

  it('logs no access key for a call whose signature does not verify', async () => {
    await list('/profiles', '', { secret: 'y'.repeat(40) });
    const record = sandbox.requests.entries.at(-1);
    expect(record).toMatchObject({ operation: 'ListProfiles', status: 403 });
    expect(record?.accessKeyId).toBeUndefined();
  });

  it('answers MissingAuthenticationTokenException to an unsigned call', async () => {
    const response = await fetch(`${sandbox.url}/profiles`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException/);
  });

  it('answers InvalidSignatureException to a wrong secret or a scope for another service', async () => {
    for (const response of [await list('/profiles', '', { secret: 'y'.repeat(40) }), await list('/profiles', '', { service: 'sts' })]) {
      expect(response.status).toBe(403);
      expect(response.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException/);
    }
  });
});
