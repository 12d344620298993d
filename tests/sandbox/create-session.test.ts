// CreateSession over real HTTP: the response and error shapes, durations, resources, session names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { issueCertificate } from '../../src/sandbox/certificate-factory';
import { setTrustAnchorBundle } from '../../src/sandbox/config';
import { makeTestPki, type TestPki } from './test-pki';
import { arnsOf, callCreateSession, DEV_ROLE, OPS_ROLE, OTHER_ROLE, startTestSandbox, type CreateSessionBody } from './sandbox-helpers';

let pki: TestPki;
let sandbox: Sandbox;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki);
});
afterAll(() => sandbox.stop());

const expirationOf = (body: CreateSessionBody) => Date.parse(body.credentialSet[0]?.credentials.expiration ?? '');

describe('a successful CreateSession', () => {
  it('answers 201 with the service response shape', async () => {
    const before = sandbox.now();
    const response = await callCreateSession(sandbox, pki, { leaf: pki.rsaLeaf });
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    const body = response.json<CreateSessionBody>();
    expect(Object.keys(body).sort()).toEqual(['credentialSet', 'subjectArn']);
    const set = body.credentialSet[0];
    if (!set) throw new Error('empty credentialSet');
    expect(Object.keys(set).sort()).toEqual(['assumedRoleUser', 'credentials', 'packedPolicySize', 'roleArn', 'sourceIdentity']);
    expect(set.credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(set.credentials.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(set.credentials.sessionToken.length).toBeGreaterThan(300);
    expect(set.credentials.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(expirationOf(body) - before).toBeGreaterThan(3599_000);
    expect(expirationOf(body) - before).toBeLessThanOrEqual(3601_000);
    expect(set.roleArn).toBe(DEV_ROLE);
    expect(set.sourceIdentity).toBe('CN=rsa-client');
    expect(set.assumedRoleUser.arn).toBe(`arn:aws:sts::123456789012:assumed-role/Dev/${pki.rsaLeaf.serialHex}`);
    expect(set.assumedRoleUser.assumedRoleId).toMatch(new RegExp(`^AROA[A-Z2-7]{17}:${pki.rsaLeaf.serialHex}$`));
    expect(set.packedPolicySize).toBe(0);
    expect(body.subjectArn).toMatch(/^arn:aws:rolesanywhere:us-east-1:123456789012:subject\/[0-9a-f-]{36}$/);
  });

  it('remembers what it issued for later lookups', async () => {
    const response = await callCreateSession(sandbox, pki);
    const credentials = response.json<CreateSessionBody>().credentialSet[0]?.credentials;
    const issued = sandbox.issuedCredentials(credentials?.accessKeyId ?? '');
    expect(issued?.secretAccessKey).toBe(credentials?.secretAccessKey);
    expect(issued?.sessionToken).toBe(credentials?.sessionToken);
    expect(issued?.certificateSerial).toBe(pki.ecLeaf.serialHex);
    expect(issued?.trustAnchorArn).toBe(arnsOf(sandbox).trustAnchorArn);
  });

  it('trusts a leaf through an anchor that holds only the issuing CA', async () => {
    const response = await callCreateSession(sandbox, pki, { params: { trustAnchorArn: arnsOf(sandbox).otherAnchorArn }, sign: { chainDer: [] } });
    expect(response.status).toBe(201);
  });
});

describe('durations', () => {
  it('caps a longer request at the profile duration', async () => {
    const before = sandbox.now();
    const response = await callCreateSession(sandbox, pki, { params: { profileArn: arnsOf(sandbox).namedProfileArn }, body: '{"durationSeconds":7200}' });
    expect(response.status).toBe(201);
    expect(expirationOf(response.json()) - before).toBeLessThanOrEqual(1801_000);
    expect(expirationOf(response.json()) - before).toBeGreaterThan(1799_000);
  });

  it("caps at the role's maximum session duration", async () => {
    const before = sandbox.now();
    const response = await callCreateSession(sandbox, pki, { params: { roleArn: OPS_ROLE }, body: '{"durationSeconds":3600}' });
    expect(expirationOf(response.json()) - before).toBeLessThanOrEqual(1201_000);
  });

  it('uses a shorter requested duration as asked', async () => {
    const before = sandbox.now();
    const response = await callCreateSession(sandbox, pki, { body: '{"durationSeconds":900}' });
    expect(expirationOf(response.json()) - before).toBeLessThanOrEqual(901_000);
  });

  it.each(['{"durationSeconds":899}', '{"durationSeconds":43201}', '{"durationSeconds":"3600"}', '{"durationSeconds":1000.5}', 'not json'])('rejects the body %s with 400 ValidationException', async (body) => {
    const response = await callCreateSession(sandbox, pki, { body });
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toMatch(/^ValidationException:/);
  });
});

describe('role session names', () => {
  it('refuses a session name when the profile does not accept one', async () => {
    const response = await callCreateSession(sandbox, pki, { body: '{"durationSeconds":900,"roleSessionName":"alice"}' });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/');
    expect(response.json()).toEqual({ message: 'Not authorized to set roleSessionName.' });
  });

  it('uses the session name when the profile accepts one', async () => {
    const response = await callCreateSession(sandbox, pki, { params: { profileArn: arnsOf(sandbox).namedProfileArn }, body: '{"durationSeconds":900,"roleSessionName":"alice@example.com"}' });
    expect(response.json<CreateSessionBody>().credentialSet[0]?.assumedRoleUser.arn).toBe('arn:aws:sts::123456789012:assumed-role/Dev/alice@example.com');
  });

  it('rejects a session name with characters IAM does not allow', async () => {
    const response = await callCreateSession(sandbox, pki, { params: { profileArn: arnsOf(sandbox).namedProfileArn }, body: '{"roleSessionName":"has space"}' });
    expect(response.status).toBe(400);
  });
});

describe('resources', () => {
  const unknownId = '99999999-0000-4000-8000-000000000000';

  it.each([
    ['an unknown trust anchor', { trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/${unknownId}` }],
    ['an unknown profile', { profileArn: `arn:aws:rolesanywhere:us-east-1:123456789012:profile/${unknownId}` }],
    ['an unknown role', { roleArn: 'arn:aws:iam::123456789012:role/Nobody' }],
    ['a role that is not in the profile', { roleArn: OTHER_ROLE }],
  ])('answers 404 ResourceNotFoundException for %s', async (_what, params) => {
    const response = await callCreateSession(sandbox, pki, { params });
    expect(response.status).toBe(404);
    expect(String(response.headers['x-amzn-errortype']).split(':')[0]).toBe('ResourceNotFoundException');
    expect(response.json<{ message: string }>().message).not.toBe('');
  });

  it('answers 400 ValidationException for a malformed ARN or a missing parameter', async () => {
    expect((await callCreateSession(sandbox, pki, { params: { profileArn: 'not-an-arn' } })).status).toBe(400);
    const arns = arnsOf(sandbox);
    const missing = await callCreateSession(sandbox, pki, { sign: { params: { profileArn: arns.profileArn, trustAnchorArn: arns.trustAnchorArn } } });
    expect(missing.status).toBe(400);
  });

  it('follows a trust anchor whose bundle is replaced while running', async () => {
    const anchor = sandbox.config.trustAnchors[0];
    if (!anchor) throw new Error('no trust anchor');
    const otherRoot = await issueCertificate({ subject: 'CN=Replacement Root', key: pki.ecKey, ca: true });
    setTrustAnchorBundle(anchor, otherRoot.pem, sandbox.now());
    try {
      expect((await callCreateSession(sandbox, pki)).status).toBe(403);
    } finally {
      setTrustAnchorBundle(anchor, pki.root.pem, sandbox.now());
    }
    expect((await callCreateSession(sandbox, pki)).status).toBe(201);
  });

  it('refuses a disabled profile', async () => {
    const profile = sandbox.config.profiles[0];
    if (!profile) throw new Error('no profile');
    profile.enabled = false;
    try {
      const response = await callCreateSession(sandbox, pki);
      expect(response.status).toBe(403);
    } finally {
      profile.enabled = true;
    }
  });
});

describe('certificate problems over HTTP', () => {
  it('answers 403 "Untrusted Signing Certificate" for a leaf from another CA', async () => {
    const otherRoot = await issueCertificate({ subject: 'CN=Other Root', key: pki.ecKey, ca: true });
    const stranger = await issueCertificate({ subject: 'CN=stranger', key: pki.ecKey, issuer: otherRoot });
    const response = await callCreateSession(sandbox, pki, { leaf: stranger, sign: { chainDer: [otherRoot.der] } });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toMatch(/^AccessDeniedException:/);
    expect(response.json()).toEqual({ message: 'Untrusted Signing Certificate' });
  });

  it('answers 403 "Invalid signature" for an ECDSA signature in raw r||s form', async () => {
    const response = await callCreateSession(sandbox, pki, { sign: { ecdsaRaw: true } });
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'Invalid signature' });
  });

  it('answers 404 UnknownOperationException for a path the service does not have', async () => {
    const response = await fetch(`${sandbox.url}/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException/);
  });
});
