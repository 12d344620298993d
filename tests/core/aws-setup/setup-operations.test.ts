// The setup wizard's operations as the agent answers them: createRolecall on a temp data folder and the
// real keychain of the test D-Bus session, the sandbox's control plane behind a proxy that can refuse a
// call as AWS does. A key and certificate from a Rolecall CA, the trust policy from the chosen tags, the
// template and commands, the resources created and the profile switched on; bad input and a denied
// action as typed errors with nothing half made left behind.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/core/log';
import { systemClock } from '../../../src/core/platform/clock';
import { createNodeTransport } from '../../../src/core/platform/node-transport';
import { createRolecall, type Rolecall } from '../../../src/core/rolecall';
import { KeytarSecretStore } from '../../../src/core/secrets';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { OPERATIONS, type OperationInput, type OperationName, type OperationOutput } from '../../../src/shared/contract';
import { isRolecallError } from '../../../src/shared/errors';
import { startRefusingProxy, type RefusingProxy } from './refusing-proxy';

const SERVICE = `Rolecall-setup-ops-${randomUUID()}`;
let home: string;
let dataDir: string;
let sandbox: Sandbox;
let proxy: RefusingProxy;
let rolecall: Rolecall;
const transport = createNodeTransport();

async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const handler = rolecall.handlers[name] as ((input: unknown) => Promise<OperationOutput<N>>) | undefined;
  if (!handler) throw new Error(`${name} is not handled`);
  return handler(OPERATIONS[name].input.parse(input));
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!isRolecallError(error)) throw new Error(`expected a RolecallError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-setup-ops-'));
  dataDir = join(home, 'data');
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  sandbox = await startSandbox({ region: 'eu-west-1' });
  proxy = await startRefusingProxy(sandbox.url);
  rolecall = await createRolecall({
    dataDir,
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: join(home, '.aws', 'config') },
    platform: process.platform,
    homedir: home,
    clock: systemClock,
    transport,
    secrets: new KeytarSecretStore({ service: SERVICE }),
    logger: createMemoryLogger(),
    host: 'headless',
    version: '0.0.0-test',
    cliCommand: [process.execPath, 'rolecall.mjs'],
    // Through the proxy, so a test can have AWS deny one call.
    setupSandbox: async () => ({ endpoint: proxy.url, region: 'eu-west-1', credentials: sandbox.adminKey }),
  });
  await call('cas.create', { name: 'team', subject: 'CN=Team CA,O=Example Corp' });
}, 60_000);

afterEach(() => proxy.clear());

afterAll(async () => {
  const state = await call('state.get', {});
  for (const { name } of state.profiles) await call('profiles.remove', { name });
  for (const { name } of await call('certificates.list', {})) await call('certificates.remove', { name });
  await rolecall?.close();
  await proxy?.stop();
  await sandbox?.stop();
  await transport.close();
  for (const { account } of await keytar.findCredentials(SERVICE)) await keytar.deletePassword(SERVICE, account);
  await rm(home, { recursive: true, force: true });
});

async function issued(name: string, subject = `CN=${name},OU=devops,O=Example Corp`) {
  await call('certificates.create', { name, subject });
  return call('cas.issue', { ca: 'team', certificate: name });
}

describe('keys and certificates', () => {
  it('refuses a key type Roles Anywhere cannot use and a subject it cannot map, keeping nothing', async () => {
    const before = (await keytar.findCredentials(SERVICE)).length;
    expect((await failure(call('certificates.create', { name: 'weird', subject: 'CN=weird', keyType: 'ed25519' }))).code).toBe('KEY_TYPE_UNSUPPORTED');
    expect((await failure(call('certificates.create', { name: 'weird', subject: 'weird' }))).code).toBe('SUBJECT_INVALID');
    expect(await call('certificates.list', {})).toEqual([]);
    expect((await keytar.findCredentials(SERVICE)).length).toBe(before);
  });

  it('issues from a Rolecall CA and says when the agent renews it; no view carries a key', async () => {
    const view = await issued('dana');
    expect(view).toMatchObject({ name: 'dana', state: 'issued', keyType: 'p256', keyStorage: 'keychain', issuedBy: { kind: 'rolecall-ca', ca: 'team' } });
    const { notBefore, notAfter } = view.certificate ?? { notBefore: '', notAfter: '' };
    const renewsAt = Date.parse(view.renewsAt ?? '');
    expect(renewsAt).toBeGreaterThan(Date.parse(notBefore));
    expect(renewsAt).toBeLessThan(Date.parse(notAfter));
    const cas = await call('cas.list', {});
    expect(cas).toEqual([expect.objectContaining({ name: 'team', subject: 'CN=Team CA,O=Example Corp', certificatePath: join(dataDir, 'cas', 'team.pem') })]);
    expect(JSON.stringify([view, cas, await call('certificates.list', {})])).not.toContain('PRIVATE KEY');
  });
});

describe('setup', () => {
  it('pins the subject OU and CN by default, the tags chosen otherwise, and refuses none or a tag the certificate lacks', async () => {
    await issued('erin');
    const request = { name: 'erin', certificate: 'erin', ca: { kind: 'rolecall-ca' as const, name: 'team' } };
    const preview = await call('setup.preview', request);
    expect(preview.pinned).toEqual([
      { key: 'x509Subject/OU', value: 'devops' },
      { key: 'x509Subject/CN', value: 'erin' },
    ]);
    expect(preview.certificateTags).toMatchObject({ 'x509Subject/O': 'Example Corp', 'x509Issuer/CN': 'Team CA' });
    expect(JSON.parse(preview.trustPolicy).Statement[0].Condition.ArnEquals).toEqual({ 'aws:SourceArn': '<ARN of trust anchor rolecall-erin>' });
    expect(preview.resources.map((resource) => `${resource.kind} ${resource.name}`)).toEqual(['trust anchor rolecall-erin', 'IAM role rolecall-erin', 'profile rolecall-erin']);
    const chosen = await call('setup.preview', { ...request, tags: ['x509Subject/O'] });
    expect(JSON.parse(chosen.trustPolicy).Statement[0].Condition.StringEquals).toEqual({ 'aws:PrincipalTag/x509Subject/O': 'Example Corp' });
    expect((await failure(call('setup.preview', { ...request, tags: [] }))).code).toBe('SETUP_TAG_MISSING');
    expect((await failure(call('setup.preview', { ...request, tags: ['x509SAN/DNS'] }))).code).toBe('SETUP_TAG_UNKNOWN');
    expect((await failure(call('setup.preview', { ...request, name: 'no spaces please' }))).code).toBe('SETUP_NAME_INVALID');
  });

  it('writes the template with its deploy line, and commands that add the profile from the certificate', async () => {
    await issued('fay');
    const request = { name: 'fay', certificate: 'fay', ca: { kind: 'rolecall-ca' as const, name: 'team' } };
    const template = await call('setup.template', request);
    expect(template.fileName).toBe('rolecall-fay.yaml');
    expect(template.text).toContain('AWS::RolesAnywhere::TrustAnchor');
    expect(template.next).toBe('aws cloudformation deploy --template-file rolecall-fay.yaml --stack-name rolecall-fay --capabilities CAPABILITY_NAMED_IAM');
    const commands = await call('setup.commands', { ...request, target: { kind: 'aws', awsProfile: 'admin', region: 'eu-central-1' } });
    expect(commands.text).toContain('aws rolesanywhere create-trust-anchor --name rolecall-fay');
    expect(commands.text).toContain('--region eu-central-1 --profile admin');
    expect(commands.text).toContain('--from-certificate fay');
  });

  it('creates the resources, adds the profile with their ARNs and activates it; a second run reuses all of it', async () => {
    await issued('gus');
    const request = { name: 'gus', certificate: 'gus', ca: { kind: 'rolecall-ca' as const, name: 'team' }, target: { kind: 'sandbox' as const } };
    const result = await call('setup.apply', request);
    expect(result.steps.map((step) => `${step.outcome} ${step.resource}`)).toEqual(['created trust anchor', 'created role', 'created profile']);
    expect(result.profile).toMatchObject({ name: 'gus', status: 'active', trustAnchorArn: result.trustAnchorArn, profileArn: result.profileArn, roleArn: result.roleArn, endpoint: proxy.url, certificateRequest: 'gus' });
    expect(result.target).toBe(`the local sandbox (${proxy.url})`);
    expect(await readFile(join(home, '.aws', 'credentials'), 'utf8')).toMatch(/^\[gus\]\naws_access_key_id = ASIA/m);
    const again = await call('setup.apply', request);
    expect(again.steps.map((step) => step.outcome)).toEqual(['found', 'found', 'found']);
    expect(again.profile.name).toBe('gus');
  });

  it('names the denied action, adds no profile, and leaves what it created in the ledger for undo', async () => {
    await issued('hal');
    proxy.refuse({ call: 'CreateRole', status: 403, code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole on resource: role rolecall-hal' });
    const error = await failure(call('setup.apply', { name: 'hal', certificate: 'hal', ca: { kind: 'rolecall-ca', name: 'team' }, target: { kind: 'sandbox' } }));
    expect(error.code).toBe('SETUP_ACCESS_DENIED');
    expect(error.detail).toMatch(/^iam:CreateRole was denied/);
    expect(error.detail).toContain('created before it stopped: trust anchor rolecall-hal');
    expect((await call('state.get', {})).profiles.map((profile) => profile.name)).not.toContain('hal');
    const ledger = JSON.parse(await readFile(join(dataDir, 'aws-setups.json'), 'utf8')) as { setups: { name: string; created: { kind: string }[] }[] };
    expect(ledger.setups.find((setup) => setup.name === 'hal')?.created.map((resource) => resource.kind)).toEqual(['trust-anchor']);
  });

  it('keeps every private key out of the data folder', async () => {
    for (const file of await readdir(dataDir, { recursive: true })) {
      const text = await readFile(join(dataDir, file), 'utf8').catch(() => '');
      expect(text, file).not.toContain('PRIVATE KEY');
    }
  });
});
