// The sandbox's control plane driven by the real SDK clients (@aws-sdk/client-rolesanywhere,
// @aws-sdk/client-iam) with the sandbox's admin key: if they serialise to it and parse its answers,
// the wire shapes are the service's. Operations newer than the pinned Roles Anywhere SDK (attribute
// mappings, acceptRoleSessionName) go over raw SigV4 requests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateProfileCommand,
  CreateTrustAnchorCommand,
  DeleteCrlCommand,
  DeleteProfileCommand,
  DeleteTrustAnchorCommand,
  DisableCrlCommand,
  DisableProfileCommand,
  DisableTrustAnchorCommand,
  EnableCrlCommand,
  EnableProfileCommand,
  EnableTrustAnchorCommand,
  GetCrlCommand,
  GetProfileCommand,
  GetTrustAnchorCommand,
  ImportCrlCommand,
  ListCrlsCommand,
  ListProfilesCommand,
  ListTrustAnchorsCommand,
  RolesAnywhereClient,
  UpdateProfileCommand,
  UpdateTrustAnchorCommand,
} from '@aws-sdk/client-rolesanywhere';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { issueOpensslLeaf, makeOpensslCa, revokeAndMakeCrl, TUTORIAL_TRUST_POLICY, type OpensslCa, type OpensslLeaf } from './openssl-ca';
import { send, signHmac, type SentResponse } from './test-signer';

let dir: string;
let ca: OpensslCa;
let leaf: OpensslLeaf;
let sandbox: Sandbox;
let rolesAnywhere: RolesAnywhereClient;
let iam: IAMClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-control-plane-'));
  ca = await makeOpensslCa(dir);
  leaf = await issueOpensslLeaf(ca, 'alice', '/O=Example Corp/OU=devops/CN=alice');
  sandbox = await startSandbox({});
  const client = { region: 'us-east-1', endpoint: sandbox.url, credentials: { ...sandbox.adminKey } };
  rolesAnywhere = new RolesAnywhereClient(client);
  iam = new IAMClient(client);
});
afterAll(async () => {
  rolesAnywhere.destroy();
  iam.destroy();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A raw call signed with the admin key, for operations or inputs the SDK will not send. */
function raw(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: string, query = '', service = 'rolesanywhere'): Promise<SentResponse> {
  const request = signHmac({
    method,
    host: new URL(sandbox.url).host,
    path,
    query,
    ...(body === undefined ? {} : { body, headers: { 'Content-Type': service === 'iam' ? 'application/x-www-form-urlencoded' : 'application/json' } }),
    ...sandbox.adminKey,
    region: 'us-east-1',
    service,
    date: new Date(),
  });
  return send(sandbox.url, request);
}

/** The refusal as the client saw it; `name` is the error code on the wire (the IAM SDK's classes add "Exception"). */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; Code?: string; Error?: { Code?: string }; $metadata?: { httpStatusCode?: number } };
    return { name: e.Error?.Code ?? e.Code ?? e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to be refused');
}

describe('trust anchors', () => {
  it('creates a trust anchor from an openssl CA and shows it in Get and List', async () => {
    const created = await rolesAnywhere.send(
      new CreateTrustAnchorCommand({ name: 'tutorial-ca', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } }, tags: [{ key: 'team', value: 'devops' }] }),
    );
    const anchor = created.trustAnchor;
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(anchor?.trustAnchorArn).toBe(`arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/${anchor?.trustAnchorId}`);
    expect(anchor?.enabled).toBe(true);
    expect(anchor?.createdAt).toBeInstanceOf(Date);
    const fetched = await rolesAnywhere.send(new GetTrustAnchorCommand({ trustAnchorId: anchor?.trustAnchorId }));
    expect(fetched.trustAnchor?.source).toEqual({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } });
    const listed = await rolesAnywhere.send(new ListTrustAnchorsCommand({}));
    expect(listed.trustAnchors?.map((a) => a.trustAnchorId)).toContain(anchor?.trustAnchorId);
    expect(sandbox.config.trustAnchors.find((a) => a.id === anchor?.trustAnchorId)?.certificates).toHaveLength(1);
  });

  it('renames, disables, enables and deletes a trust anchor; a deleted one is ResourceNotFoundException', async () => {
    const { trustAnchor } = await rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'lifecycle', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    const trustAnchorId = trustAnchor?.trustAnchorId;
    expect(trustAnchor?.enabled).toBe(false);
    expect((await rolesAnywhere.send(new UpdateTrustAnchorCommand({ trustAnchorId, name: 'renamed' }))).trustAnchor?.name).toBe('renamed');
    expect((await rolesAnywhere.send(new EnableTrustAnchorCommand({ trustAnchorId }))).trustAnchor?.enabled).toBe(true);
    expect((await rolesAnywhere.send(new DisableTrustAnchorCommand({ trustAnchorId }))).trustAnchor?.enabled).toBe(false);
    expect((await rolesAnywhere.send(new DeleteTrustAnchorCommand({ trustAnchorId }))).trustAnchor?.name).toBe('renamed');
    const gone = await rejection(rolesAnywhere.send(new GetTrustAnchorCommand({ trustAnchorId })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('keeps an AWS_ACM_PCA source by its ARN', async () => {
    const acmPcaArn = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
    const { trustAnchor } = await rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'private-ca', source: { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn } } }));
    expect(trustAnchor?.source).toEqual({ sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn } });
  });

  it('refuses a leaf certificate as a trust anchor bundle', async () => {
    const { readFile } = await import('node:fs/promises');
    const leafPem = await readFile(leaf.certificatePath, 'utf8');
    const refused = await rejection(rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'leaf', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: leafPem } } })));
    expect(refused).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(refused.message).toMatch(/CA certificate/);
  });
});

describe('profiles and attribute mappings', () => {
  it('creates a profile with roles, duration, managed policies and a session policy, and updates it', async () => {
    const sessionPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
    const created = await rolesAnywhere.send(
      new CreateProfileCommand({
        name: 'developers',
        enabled: true,
        roleArns: ['arn:aws:iam::123456789012:role/Dev'],
        durationSeconds: 7200,
        managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        sessionPolicy,
      }),
    );
    const profileId = created.profile?.profileId;
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.profile).toMatchObject({ name: 'developers', enabled: true, durationSeconds: 7200, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], sessionPolicy });
    const updated = await rolesAnywhere.send(new UpdateProfileCommand({ profileId, durationSeconds: 900, roleArns: ['arn:aws:iam::123456789012:role/Dev', 'arn:aws:iam::123456789012:role/Ops'] }));
    expect(updated.profile).toMatchObject({ durationSeconds: 900, roleArns: ['arn:aws:iam::123456789012:role/Dev', 'arn:aws:iam::123456789012:role/Ops'], name: 'developers' });
    expect((await rolesAnywhere.send(new DisableProfileCommand({ profileId }))).profile?.enabled).toBe(false);
    expect((await rolesAnywhere.send(new EnableProfileCommand({ profileId }))).profile?.enabled).toBe(true);
    expect((await rolesAnywhere.send(new GetProfileCommand({ profileId }))).profile?.durationSeconds).toBe(900);
    expect((await rolesAnywhere.send(new ListProfilesCommand({}))).profiles?.map((p) => p.profileId)).toContain(profileId);
    await rolesAnywhere.send(new DeleteProfileCommand({ profileId }));
    expect(await rejection(rolesAnywhere.send(new GetProfileCommand({ profileId })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('starts a profile with the default mappings and edits them with Put/DeleteAttributeMapping', async () => {
    const created = await raw('POST', '/profiles', JSON.stringify({ name: 'mapped', roleArns: [], acceptRoleSessionName: true }));
    const profile = created.json<{ profile: { profileId: string; acceptRoleSessionName: boolean; attributeMappings: unknown[] } }>().profile;
    expect(profile.acceptRoleSessionName).toBe(true);
    expect(profile.attributeMappings).toEqual([
      { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
    ]);
    const put = await raw('PUT', `/profiles/${profile.profileId}/mappings`, JSON.stringify({ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] }));
    expect(put.status).toBe(200);
    expect(put.json<{ profile: { attributeMappings: unknown[] } }>().profile.attributeMappings).toContainEqual({ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] });
    const someSan = await raw('DELETE', `/profiles/${profile.profileId}/mappings`, undefined, 'certificateField=x509SAN&specifiers=URI');
    expect(someSan.json<{ profile: { attributeMappings: unknown[] } }>().profile.attributeMappings).toContainEqual({ certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name/*' }] });
    const wholeIssuer = await raw('DELETE', `/profiles/${profile.profileId}/mappings`, undefined, 'certificateField=x509Issuer');
    const fields = wholeIssuer.json<{ profile: { attributeMappings: Array<{ certificateField: string }> } }>().profile.attributeMappings.map((m) => m.certificateField);
    expect(fields).toEqual(['x509SAN', 'x509Subject']);
    expect(sandbox.config.profiles.find((p) => p.id === profile.profileId)?.attributeMappings.map((m) => m.certificateField)).toEqual(fields);
  });
});

describe('CRLs', () => {
  it('imports a CRL made by openssl ca -gencrl, lists, gets, disables, enables and deletes it', async () => {
    const { trustAnchor } = await rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'crl-anchor', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    const revoked = await issueOpensslLeaf(ca, 'mallory', '/O=Example Corp/OU=devops/CN=mallory');
    const crl = await revokeAndMakeCrl(ca, [revoked]);
    const imported = await rolesAnywhere.send(new ImportCrlCommand({ name: 'tutorial crl', trustAnchorArn: trustAnchor?.trustAnchorArn, crlData: Buffer.from(crl.pem), enabled: true }));
    const crlId = imported.crl?.crlId;
    expect(imported.$metadata.httpStatusCode).toBe(201);
    expect(imported.crl).toMatchObject({ name: 'tutorial crl', enabled: true, trustAnchorArn: trustAnchor?.trustAnchorArn });
    expect(Buffer.from(imported.crl?.crlData ?? new Uint8Array()).toString()).toBe(crl.pem);
    expect(sandbox.config.crls.find((c) => c.id === crlId)?.revokedSerials).toEqual(new Set([revoked.serialHex]));
    expect((await rolesAnywhere.send(new ListCrlsCommand({}))).crls?.map((c) => c.crlId)).toContain(crlId);
    expect((await rolesAnywhere.send(new DisableCrlCommand({ crlId }))).crl?.enabled).toBe(false);
    expect((await rolesAnywhere.send(new EnableCrlCommand({ crlId }))).crl?.enabled).toBe(true);
    expect((await rolesAnywhere.send(new GetCrlCommand({ crlId }))).crl?.crlArn).toBe(`arn:aws:rolesanywhere:us-east-1:123456789012:crl/${crlId}`);
    await rolesAnywhere.send(new DeleteCrlCommand({ crlId }));
    expect(await rejection(rolesAnywhere.send(new GetCrlCommand({ crlId })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('refuses CRL data that is not a PEM CRL', async () => {
    const anchorArn = sandbox.config.trustAnchors[0]?.arn;
    const refused = await rejection(rolesAnywhere.send(new ImportCrlCommand({ name: 'junk', trustAnchorArn: anchorArn, crlData: Buffer.from(ca.pem) })));
    expect(refused).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('IAM roles', () => {
  it('creates a role with the tutorial trust policy and gives the document back as it was given', async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'TutorialRole', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY, MaxSessionDuration: 7200, Description: 'for the tutorial' }));
    expect(created.Role).toMatchObject({ RoleName: 'TutorialRole', Path: '/', Arn: 'arn:aws:iam::123456789012:role/TutorialRole', MaxSessionDuration: 7200, Description: 'for the tutorial' });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const fetched = await iam.send(new GetRoleCommand({ RoleName: 'TutorialRole' }));
    expect(decodeURIComponent(fetched.Role?.AssumeRolePolicyDocument ?? '')).toBe(TUTORIAL_TRUST_POLICY);
    expect(fetched.Role?.CreateDate).toBeInstanceOf(Date);
    expect(sandbox.config.roles.find((r) => r.name === 'TutorialRole')?.assumeRolePolicyDocument).toBe(TUTORIAL_TRUST_POLICY);
    const listed = await iam.send(new ListRolesCommand({}));
    expect(listed.Roles?.map((r) => r.RoleName)).toContain('TutorialRole');
  });

  it('keeps a role path in the ARN and lists by path prefix', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'PathRole', Path: '/teams/ops/', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY }));
    const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/teams/' }));
    expect(listed.Roles?.map((r) => r.Arn)).toEqual(['arn:aws:iam::123456789012:role/teams/ops/PathRole']);
  });

  it('replaces the trust policy with UpdateAssumeRolePolicy', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'Updated', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY }));
    const wider = TUTORIAL_TRUST_POLICY.replace('"devops"', '["devops","platform"]');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Updated', PolicyDocument: wider }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'Updated' }))).Role?.AssumeRolePolicyDocument ?? '')).toBe(wider);
  });

  it('refuses to delete a role with attached policies (DeleteConflict) until they are detached', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'Attached', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Attached' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', PolicyName: 'ReadOnlyAccess' }]);
    expect(await rejection(iam.send(new DeleteRoleCommand({ RoleName: 'Attached' })))).toMatchObject({ name: 'DeleteConflict', status: 409 });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'Attached' }));
    const gone = await rejection(iam.send(new GetRoleCommand({ RoleName: 'Attached' })));
    expect(gone).toMatchObject({ name: 'NoSuchEntity', status: 404, message: 'The role with name Attached cannot be found.' });
  });

  it('answers IAM errors in its own words: EntityAlreadyExists, MalformedPolicyDocument, ValidationError', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY }));
    expect(await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY })))).toMatchObject({ name: 'EntityAlreadyExists', status: 409 });
    const malformed = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Broken', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[' })));
    expect(malformed).toMatchObject({ name: 'MalformedPolicyDocument', status: 400 });
    expect(sandbox.config.roles.some((r) => r.name === 'Broken')).toBe(false);
    const tooShort = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Short', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY, MaxSessionDuration: 100 })));
    expect(tooShort).toMatchObject({ name: 'ValidationError', status: 400 });
    const badName = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'no spaces allowed', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY })));
    expect(badName).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});

describe('who may call', () => {
  it('refuses control-plane calls signed by an unknown key or not signed at all', async () => {
    const stranger = new RolesAnywhereClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
    expect(await rejection(stranger.send(new ListCrlsCommand({})))).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
    stranger.destroy();
    const unsigned = await send(sandbox.url, { method: 'POST', path: '/trustanchors', query: '', headers: [['Host', new URL(sandbox.url).host]], body: Buffer.from('{}') });
    expect(unsigned.status).toBe(403);
    const strangerIam = new IAMClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
    expect(await rejection(strangerIam.send(new ListRolesCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    strangerIam.destroy();
  });
});

/** Every control-plane route, with the path it is called at. */
function routes(ids: { trustAnchorId: string; profileId: string; crlId: string }) {
  return [
    ['POST', '/trustanchors'],
    ['PATCH', `/trustanchor/${ids.trustAnchorId}`],
    ['POST', '/profiles'],
    ['PATCH', `/profile/${ids.profileId}`],
    ['PUT', `/profiles/${ids.profileId}/mappings`],
    ['POST', '/crls'],
    ['PATCH', `/crl/${ids.crlId}`],
  ] as const;
}

describe('bad input', () => {
  const bodies = [
    'not json',
    '[]',
    '"text"',
    '{"name": 7}',
    '{"name": "a/b"}',
    '{"name": "x", "source": "bundle"}',
    '{"name": "x", "source": {"sourceType": "SELF_SIGNED_REPOSITORY", "sourceData": {}}}',
    '{"name": "x", "source": {"sourceType": "CERTIFICATE_BUNDLE", "sourceData": {"x509CertificateData": "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"}}}',
    '{"name": "x", "roleArns": "arn:aws:iam::123456789012:role/Dev"}',
    '{"name": "x", "roleArns": ["not-an-arn"], "durationSeconds": 10}',
    '{"name": "x", "roleArns": [], "sessionPolicy": "{not json"}',
    '{"name": "x", "tags": [{"key": ""}]}',
    '{"certificateField": "x509Everything", "mappingRules": [{}]}',
    '{"name": "x", "trustAnchorArn": "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/nope", "crlData": "!!!"}',
    '{"crlData": "bm90IGEgY3Js"}',
  ];

  let ids: { trustAnchorId: string; profileId: string; crlId: string };

  beforeAll(async () => {
    const { trustAnchor } = await rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'bad-input', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    const profile = await raw('POST', '/profiles', JSON.stringify({ name: 'bad-input', roleArns: [] }));
    const crl = await revokeAndMakeCrl(ca, []);
    const imported = await rolesAnywhere.send(new ImportCrlCommand({ name: 'bad-input', trustAnchorArn: trustAnchor?.trustAnchorArn, crlData: Buffer.from(crl.pem) }));
    ids = { trustAnchorId: trustAnchor?.trustAnchorId ?? '', profileId: profile.json<{ profile: { profileId: string } }>().profile.profileId, crlId: imported.crl?.crlId ?? '' };
  });

  it('answers every control-plane route with an AWS-shaped 4xx error for each bad body, never a 500', async () => {
    const account = () => JSON.stringify(sandbox.config, (key, value: unknown) => (key === 'certificates' || key === 'revokedSerials' ? undefined : value));
    for (const [method, path] of routes(ids)) {
      for (const body of bodies) {
        const before = account();
        const answer = await raw(method, path, body);
        const type = String(answer.headers['x-amzn-errortype'] ?? '');
        if (answer.status < 400) continue; // a body whose members are all optional may be a valid update
        expect(account(), `${method} ${path} ${body} left the account as it was`).toBe(before);
        expect(answer.status, `${method} ${path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${path} ${body}`).toBeLessThan(500);
        expect(type, `${method} ${path} ${body}`).toMatch(/^(ValidationException|ResourceNotFoundException):/);
        expect(typeof answer.json<{ message: string }>().message).toBe('string');
      }
    }
    expect(sandbox.requests.entries.filter((e) => typeof e.status === 'number' && e.status >= 500)).toEqual([]);
  });

  it('never answers 5xx, whatever JSON any route receives (property)', async () => {
    const member = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string(), fc.integer(), fc.object())), fc.object());
    const shaped = fc.record(
      {
        name: member,
        enabled: member,
        roleArns: member,
        durationSeconds: member,
        managedPolicyArns: member,
        sessionPolicy: member,
        source: fc.oneof(member, fc.record({ sourceType: fc.oneof(member, fc.constantFrom('CERTIFICATE_BUNDLE', 'AWS_ACM_PCA')), sourceData: member })),
        tags: member,
        certificateField: fc.oneof(member, fc.constantFrom('x509Subject', 'x509SAN')),
        mappingRules: member,
        crlData: fc.oneof(member, fc.base64String()),
        trustAnchorArn: member,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.json(), shaped.map((value) => JSON.stringify(value)), fc.string());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes(ids)), body, async ([method, path], text) => {
        const answer = await raw(method, path, text);
        expect(answer.status, `${method} ${path} ${text}`).toBeLessThan(500);
      }),
      // Values whose toString is not a function once made the validation message itself throw.
      { numRuns: 200, examples: [[['POST', '/profiles'], '{"durationSeconds":{"toString":[]}}'], [['POST', '/trustanchors'], '{"name":"a","source":{"sourceType":"CERTIFICATE_BUNDLE"},"durationSeconds":{"valueOf":1}}'], [['PUT', `/profiles/${ids.profileId}/mappings`], '{"certificateField":{"toString":0}}']] },
    );
    await iam.send(new CreateRoleCommand({ RoleName: 'Fuzzed', AssumeRolePolicyDocument: TUTORIAL_TRUST_POLICY }));
    const iamParam = fc.constantFrom('RoleName', 'AssumeRolePolicyDocument', 'PolicyDocument', 'Path', 'PathPrefix', 'MaxSessionDuration', 'Description', 'PolicyArn', 'Marker', 'MaxItems', 'Tags.member.1.Key', 'Tags.member.1.Value');
    const action = fc.constantFrom('CreateRole', 'GetRole', 'ListRoles', 'UpdateRole', 'UpdateAssumeRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies', 'DeleteRole');
    await fc.assert(
      fc.asyncProperty(action, fc.dictionary(iamParam, fc.oneof(fc.string(), fc.json(), fc.constant('Fuzzed'), fc.integer().map(String))), async (name, params) => {
        const form = new URLSearchParams({ Action: name, Version: '2010-05-08', ...params }).toString();
        const answer = await raw('POST', '/', form, '', 'iam');
        expect(answer.status, form).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(sandbox.requests.entries.filter((e) => typeof e.status === 'number' && e.status >= 500)).toEqual([]);
  });

  it('answers ids that are not UUIDs with ValidationException and unknown ones with ResourceNotFoundException', async () => {
    for (const path of ['/trustanchor/nope', '/profile/nope', '/crl/nope']) {
      const answer = await raw('GET', path);
      expect(answer.status).toBe(400);
      expect(answer.headers['x-amzn-errortype']).toMatch(/^ValidationException:/);
    }
    for (const path of ['/trustanchor/00000000-0000-4000-8000-000000000000', '/profile/00000000-0000-4000-8000-000000000000/enable', '/crl/00000000-0000-4000-8000-000000000000/disable']) {
      const method = path.endsWith('able') ? 'POST' : 'GET';
      const answer = await raw(method, path);
      expect(answer.status).toBe(404);
      expect(answer.headers['x-amzn-errortype']).toMatch(/^ResourceNotFoundException:/);
    }
    const noField = await raw('DELETE', `/profiles/${sandbox.config.profiles[0]?.id ?? ''}/mappings`);
    expect(noField.status).toBe(400);
  });

  it('answers IAM calls with bad parameters as IAM does, in XML', async () => {
    const cases: Array<[string, number, string]> = [
      ['Action=GetRole&Version=2010-05-08', 400, 'ValidationError'],
      ['Action=GetRole&Version=2010-05-08&RoleName=Nobody', 404, 'NoSuchEntity'],
      ['Action=CreateRole&Version=2010-05-08&RoleName=NoPolicy', 400, 'ValidationError'],
      ['Action=CreateRole&Version=2010-05-08&RoleName=Bad&AssumeRolePolicyDocument=%7B%22Statement%22%3A5%7D', 400, 'MalformedPolicyDocument'],
      ['Action=CreateRole&Version=2010-05-08&RoleName=Bad&Path=nopath&AssumeRolePolicyDocument=x', 400, 'ValidationError'],
      ['Action=AttachRolePolicy&Version=2010-05-08&RoleName=TutorialRole&PolicyArn=arn%3Aaws%3As3%3A%3A%3Abucket%2Fthing', 400, 'InvalidInput'],
      ['Action=ListRoles&Version=2010-05-08&MaxItems=0', 400, 'ValidationError'],
      ['Action=ListRoles&Version=2010-05-08&Marker=%21%21', 400, 'ValidationError'],
      ['Action=CreateUser&Version=2010-05-08&UserName=x', 400, 'InvalidAction'],
      ['Action=GetRole&Version=2011-06-15&RoleName=x', 400, 'InvalidAction'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await raw('POST', '/', body, '', 'iam');
      expect(answer.status, body).toBe(status);
      expect(answer.body, body).toContain(`<Code>${code}</Code>`);
      expect(answer.body, body).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/);
    }
  });
});
