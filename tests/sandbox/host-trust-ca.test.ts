// "Trust a CA of mine…" as the agent answers it: createRolecall with the host's demo sandbox runner in a
// temp data folder, the real keychain of the test D-Bus session, and a CA made with openssl as the
// Roles Anywhere tutorials make one. Its leaf then gets a session from the sandbox through a profile.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import { systemClock } from '../../src/core/platform/clock';
import { createNodeTransport } from '../../src/core/platform/node-transport';
import { createRolecall, type Rolecall } from '../../src/core/rolecall';
import { KeytarSecretStore } from '../../src/core/secrets';
import { hostDemoSandbox, type HostDemoSandboxRunner } from '../../src/sandbox/host-demo';
import { STATE_FILE_NAME } from '../../src/sandbox/state-store';
import { OPERATIONS, type OperationInput, type OperationName, type OperationOutput } from '../../src/shared/contract';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa } from './openssl-ca';

let home: string;
let dataDir: string;
let ca: OpensslCa;
let runner: HostDemoSandboxRunner;
let rolecall: Rolecall;
const transport = createNodeTransport();

async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const handler = rolecall.handlers[name] as ((input: unknown) => Promise<OperationOutput<N>>) | undefined;
  if (!handler) throw new Error(`${name} is not handled`);
  return handler(OPERATIONS[name].input.parse(input));
}

async function stateFile(): Promise<string> {
  return readFile(join(dataDir, 'sandbox', STATE_FILE_NAME), 'utf8');
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-trust-ca-'));
  dataDir = join(home, 'data');
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  ca = await makeOpensslCa(await mkdtemp(join(home, 'ca-')), 'Team Root CA');
  runner = hostDemoSandbox(dataDir);
  rolecall = await createRolecall({
    dataDir,
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: join(home, '.aws', 'config') },
    platform: process.platform,
    homedir: home,
    clock: systemClock,
    transport,
    secrets: new KeytarSecretStore({ service: `Rolecall-trust-ca-${randomUUID()}` }),
    logger: createMemoryLogger(),
    host: 'headless',
    version: '0.0.0-test',
    cliCommand: [process.execPath, 'rolecall.mjs'],
    startDemoSandbox: () => runner.start(),
    trustSandboxCa: (pem, source) => runner.trustCa(pem, source),
  });
}, 60_000);

afterAll(async () => {
  // Removing the profiles deletes their keychain items: the test keyring stays empty.
  const state = await call('state.get', {});
  for (const { name } of state.profiles) await call('profiles.remove', { name });
  await rolecall.close();
  await runner.stop();
  await transport.close();
  await rm(home, { recursive: true, force: true });
});

describe('sandbox.trustCa', () => {
  it('makes one trust anchor for a CA however often it is trusted, on the same endpoint', async () => {
    const first = await call('sandbox.trustCa', { caPath: ca.certificatePath });
    expect(first).toMatchObject({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      region: 'us-east-1',
      trustAnchorArn: expect.stringMatching(/^arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor\/[0-9a-f-]{36}$/),
      trustAnchorName: 'Team Root CA',
      subject: 'C=US, O=Example Corp, CN=Team Root CA',
      created: true,
      profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/dec0de00-0000-4000-8000-00000000b001',
      roleArn: 'arn:aws:iam::123456789012:role/RolecallDemo',
    });
    const again = await call('sandbox.trustCa', { caPath: ca.certificatePath });
    expect(again).toEqual({ ...first, created: false });
    const anchors = (JSON.parse(await stateFile()) as { trustAnchors: { id: string; name: string }[] }).trustAnchors;
    expect(anchors.map((anchor) => anchor.name)).toEqual(['rolecall-demo', 'Team Root CA']);
    expect(first.trustAnchorArn.endsWith(`/${anchors[1]?.id}`)).toBe(true);
  });

  it('gets a session for a certificate of that CA through a profile with the ARNs it answered', async () => {
    const trusted = await call('sandbox.trustCa', { caPath: ca.certificatePath });
    const leaf = await issueOpensslLeaf(ca, 'alice', '/C=US/O=Example Corp/OU=devops/CN=alice');
    const draft = await call('drafts.open', { certificatePath: leaf.certificatePath, privateKeyPath: leaf.keyPath });
    await call('profiles.add', {
      name: 'my-ca',
      draftId: draft.draftId,
      trustAnchorArn: trusted.trustAnchorArn,
      profileArn: trusted.profileArn,
      roleArn: trusted.roleArn,
      endpoint: trusted.endpoint,
    });
    const active = await call('sessions.activate', { name: 'my-ca' });
    expect(active.status).toBe('active');
    expect(await readFile(join(home, '.aws', 'credentials'), 'utf8')).toMatch(/^\[my-ca\]\naws_access_key_id = ASIA/m);
  });

  it('refuses a certificate that is not a CA, or a key, with TRUST_CA_INVALID and keeps the sandbox serving', async () => {
    const before = await call('sandbox.trustCa', { caPath: ca.certificatePath });
    expect((await call('profiles.get', { name: 'my-ca' })).endpoint).toBe(before.endpoint);
    const leaf = await issueOpensslLeaf(ca, 'bob', '/C=US/O=Example Corp/OU=devops/CN=bob');
    await expect(call('sandbox.trustCa', { caPath: leaf.certificatePath })).rejects.toMatchObject({
      code: 'TRUST_CA_INVALID',
      detail: expect.stringContaining('CN=bob is not a CA certificate'),
    });
    await expect(call('sandbox.trustCa', { caPath: leaf.keyPath })).rejects.toMatchObject({ code: 'TRUST_CA_INVALID', detail: expect.stringContaining('no PEM certificate') });
    await expect(call('sandbox.trustCa', { caPath: join(home, 'missing.pem') })).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    // The sandbox that ran before the refusals still answers where it did: the profile's endpoint.
    await expect(call('sessions.refresh', { name: 'my-ca' })).resolves.toMatchObject({ status: 'active' });
  });

  it('keeps a CA key that shares the file out of the sandbox\'s state', async () => {
    const withKey = join(ca.dir, 'ca-with-key.pem');
    const key = await readFile(ca.keyPath, 'utf8');
    await writeFile(withKey, ca.pem + key);
    const trusted = await call('sandbox.trustCa', { caPath: withKey });
    expect(trusted.created).toBe(false);
    const body = key.split('\n').find((line) => line.length === 64) ?? '';
    expect(body).not.toBe('');
    expect(await stateFile()).not.toContain(body);
  });

  it('takes only absolute paths', () => {
    expect(OPERATIONS['sandbox.trustCa'].input.safeParse({ caPath: 'ca.pem' }).success).toBe(false);
    expect(OPERATIONS['sandbox.trustCa'].input.safeParse({ caPath: '/tmp/ca\0.pem' }).success).toBe(false);
    expect(OPERATIONS['sandbox.trustCa'].input.safeParse({ caPath: 'C:\\Users\\me\\ca.pem' }).success).toBe(true);
  });
});
