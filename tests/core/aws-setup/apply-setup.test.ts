// Creating the AWS side through the real SDK clients against the sandbox's Roles Anywhere and IAM
// control planes: what is created and how, that a second run creates nothing, that a failure midway
// says what it created and undo removes exactly that, and AWS's refusals as typed errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateTrustAnchorCommand } from '@aws-sdk/client-rolesanywhere';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  applySetup,
  createSetupClients,
  pinnedTags,
  planSetup,
  roleTrustPolicy,
  SetupLedger,
  trustAnchorSource,
  undoSetup,
  type SetupClients,
  type SetupPlan,
  type SetupScope,
} from '../../../src/core/aws-setup';
import { createNodeTransport, type NodeTransport } from '../../../src/core/platform/node-transport';
import { isRolecallError, type RolecallError } from '../../../src/shared/errors';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { makeOpensslCa, type OpensslCa } from '../../sandbox/openssl-ca';
import { startRefusingProxy, type RefusingProxy } from './refusing-proxy';

const REGION = 'eu-west-1';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

let dir: string;
let sandbox: Sandbox;
let proxy: RefusingProxy;
let ca: OpensslCa;
let transport: NodeTransport;
let ledger: SetupLedger;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-apply-'));
  sandbox = await startSandbox({ region: REGION });
  proxy = await startRefusingProxy(sandbox.url);
  ca = await makeOpensslCa(dir, 'Setup CA');
  transport = createNodeTransport();
  ledger = new SetupLedger(join(dir, 'data'));
}, 30_000);

afterEach(() => proxy.clear());

afterAll(async () => {
  await transport?.close();
  await proxy?.stop();
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function planFor(name: string, extra: { roleName?: string; managedPolicyArns?: string[] } = {}): Promise<SetupPlan> {
  return planSetup({
    name,
    source: await trustAnchorSource({ kind: 'pem-file', path: ca.certificatePath, contents: ca.pem }),
    pinned: pinnedTags({ 'x509Subject/OU': 'devops', 'x509Subject/CN': `${name}-user` }, []),
    ...extra,
  });
}

function clients(through: 'sandbox' | 'proxy' = 'sandbox'): SetupClients {
  return createSetupClients({ region: REGION, credentials: sandbox.adminKey, transport, endpoint: through === 'sandbox' ? sandbox.url : proxy.url });
}

function scope(name: string): SetupScope {
  return { name, region: REGION, endpoint: sandbox.url };
}

async function failure(promise: Promise<unknown>): Promise<RolecallError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!isRolecallError(error)) throw new Error(`expected a RolecallError, got ${String(error)}`);
  return error;
}

const creations = () => sandbox.requests.entries.filter((entry) => entry.operation !== 'CreateSession' && /^(Create|Attach|Delete|Detach|Update)/.test(entry.operation)).length;

describe('applying a setup to the sandbox with the real SDK clients', () => {
  test('creates the trust anchor from the CA, the role with its trust policy and policies, and the profile, all tagged', async () => {
    const plan = await planFor('dev', { managedPolicyArns: [READ_ONLY] });
    const sdk = clients();
    const applied = await applySetup(plan, { clients: sdk, ledger, scope: scope('dev') }).finally(() => sdk.destroy());

    expect(applied.steps.map((step) => `${step.outcome} ${step.resource}`)).toEqual(['created trust anchor', 'created role', 'created managed policy', 'created profile']);
    const anchor = sandbox.config.trustAnchors.find((candidate) => candidate.arn === applied.trustAnchorArn);
    expect(anchor).toMatchObject({ name: 'rolecall-dev', enabled: true, sourceType: 'CERTIFICATE_BUNDLE', tags: [{ key: 'rolecall:setup', value: 'dev' }] });
    // Only the CA's certificate, re-encoded: the same base64 as the openssl file.
    expect(anchor?.certificates).toHaveLength(1);
    expect(anchor?.pem.replace(/\s+/g, '')).toBe(ca.pem.replace(/\s+/g, ''));
    const role = sandbox.config.roles.find((candidate) => candidate.arn === applied.roleArn);
    expect(role).toMatchObject({ name: 'rolecall-dev', maxSessionDurationSeconds: 3600, attachedPolicyArns: [READ_ONLY], tags: [{ key: 'rolecall:setup', value: 'dev' }] });
    expect(JSON.parse(role!.assumeRolePolicyDocument)).toEqual(roleTrustPolicy(plan, applied.trustAnchorArn));
    const profile = sandbox.config.profiles.find((candidate) => candidate.arn === applied.profileArn);
    expect(profile).toMatchObject({ name: 'rolecall-dev', enabled: true, roleArns: [applied.roleArn], durationSeconds: 3600, tags: [{ key: 'rolecall:setup', value: 'dev' }] });
    expect((await ledger.created(scope('dev'))).map((resource) => resource.kind)).toEqual(['trust-anchor', 'role', 'role-policy', 'profile']);
  });

  test('a second run finds everything by name and creates nothing', async () => {
    const plan = await planFor('dev', { managedPolicyArns: [READ_ONLY] });
    const before = creations();
    const sdk = clients();
    const again = await applySetup(plan, { clients: sdk, ledger, scope: scope('dev') }).finally(() => sdk.destroy());
    expect(again.steps.map((step) => step.outcome)).toEqual(['found', 'found', 'found', 'found']);
    expect(creations()).toBe(before);
    expect(sandbox.config.trustAnchors.filter((anchor) => anchor.name === 'rolecall-dev')).toHaveLength(1);
    expect((await ledger.created(scope('dev'))).length).toBe(4);
  });

  test('a failure midway names the denied action and what was created, and undo removes exactly that', async () => {
    // A trust anchor for this CA and name exists already (made by hand): the setup reuses it, so undo must keep it.
    const sdk = clients('proxy');
    const handMade = await sdk.rolesAnywhere.send(new CreateTrustAnchorCommand({ name: 'rolecall-half', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    proxy.refuse({ call: 'POST /profiles', status: 403, code: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: rolesanywhere:CreateProfile' });
    const plan = await planFor('half', { managedPolicyArns: [READ_ONLY] });
    const error = await failure(applySetup(plan, { clients: sdk, ledger, scope: scope('half') }));
    expect(error.code).toBe('SETUP_ACCESS_DENIED');
    expect(error.detail).toContain('rolesanywhere:CreateProfile was denied');
    expect(error.detail).toContain('created before it stopped: role rolecall-half');
    expect(error.detail).toContain(`managed policy ${READ_ONLY}`);
    expect(error.detail).not.toContain('trust anchor');
    expect(error.detail).toContain('rolecall setup aws --undo --name half');
    expect((await ledger.created(scope('half'))).map((resource) => resource.kind)).toEqual(['role', 'role-policy']);

    const dev = { anchors: sandbox.config.trustAnchors.length, roles: sandbox.config.roles.length, profiles: sandbox.config.profiles.length };
    const removed = await undoSetup({ clients: sdk, ledger, scope: scope('half') }).finally(() => sdk.destroy());
    expect(removed.map((resource) => resource.kind)).toEqual(['role-policy', 'role']);
    expect(sandbox.config.roles.find((role) => role.name === 'rolecall-half')).toBeUndefined();
    expect(sandbox.config.trustAnchors.find((anchor) => anchor.arn === handMade.trustAnchor?.trustAnchorArn)).toBeDefined();
    expect({ anchors: sandbox.config.trustAnchors.length, roles: sandbox.config.roles.length, profiles: sandbox.config.profiles.length }).toEqual({ ...dev, roles: dev.roles - 1 });
    expect(await ledger.created(scope('half'))).toEqual([]);
    await expect(undoSetup({ clients: clients(), ledger, scope: scope('half') })).rejects.toMatchObject({ code: 'SETUP_NOTHING_TO_UNDO' });
  });

  test('says which IAM action the credentials may not perform, having created nothing before it', async () => {
    proxy.refuse({ call: 'CreateRole', status: 403, code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole on resource: role rolecall-denied' });
    const sdk = clients('proxy');
    // The trust anchor comes first and is created; the role is refused.
    const error = await failure(applySetup(await planFor('denied'), { clients: sdk, ledger, scope: scope('denied') }));
    expect(error.code).toBe('SETUP_ACCESS_DENIED');
    expect(error.detail).toMatch(/^iam:CreateRole was denied: User: .* iam:CreateRole/);
    expect(error.detail).toContain('created before it stopped: trust anchor rolecall-denied');
    await undoSetup({ clients: sdk, ledger, scope: scope('denied') }).finally(() => sdk.destroy());
    expect(sandbox.config.trustAnchors.find((anchor) => anchor.name === 'rolecall-denied')).toBeUndefined();
  });

  test('refuses a malformed managed policy ARN before anything is created, and one IAM does not know when attaching', async () => {
    await expect(planFor('badarn', { managedPolicyArns: ['arn:aws:iam::aws:ReadOnlyAccess'] })).rejects.toMatchObject({ code: 'POLICY_ARN_INVALID' });
    proxy.refuse({ call: 'AttachRolePolicy', status: 404, code: 'NoSuchEntity', message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.' });
    const sdk = clients('proxy');
    const error = await failure(applySetup(await planFor('nosuch', { managedPolicyArns: ['arn:aws:iam::aws:policy/NoSuchPolicy'] }), { clients: sdk, ledger, scope: scope('nosuch') }));
    expect(error.code).toBe('POLICY_ARN_INVALID');
    expect(error.detail).toContain('arn:aws:iam::aws:policy/NoSuchPolicy');
    await undoSetup({ clients: sdk, ledger, scope: scope('nosuch') }).finally(() => sdk.destroy());
  });

  test('refuses to reuse a role of the same name whose trust policy differs', async () => {
    const sdk = clients();
    await sdk.iam.send(new CreateRoleCommand({ RoleName: 'Shared', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const error = await failure(applySetup(await planFor('shared', { roleName: 'Shared' }), { clients: sdk, ledger, scope: scope('shared') }));
    expect(error.code).toBe('SETUP_CONFLICT');
    expect(error.detail).toContain('role "Shared" exists with another trust policy');
    const removed = await undoSetup({ clients: sdk, ledger, scope: scope('shared') }).finally(() => sdk.destroy());
    expect(removed.map((resource) => resource.kind)).toEqual(['trust-anchor']);
    expect(sandbox.config.roles.find((role) => role.name === 'Shared')).toBeDefined();
  });
});
