// The agent renews a Rolecall CA's certificate on a virtual clock, with real parts otherwise: the
// composition root createRolecall in a temp data folder with temp AWS files, the real keychain of the
// test D-Bus session, the node transport to a sandbox that trusts the CA, and real signing. A one-day
// certificate used by an active profile is followed minute by minute through the day it would end.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedInput } from '../../../src/core/agent';
import { LocalCaManager, renewalDueAt, type CaRecord } from '../../../src/core/ca';
import { CertificateManager } from '../../../src/core/certificates';
import { createMemoryLogger } from '../../../src/core/log';
import { parseCertificates } from '../../../src/core/pki';
import { createNodeTransport, type NodeTransport } from '../../../src/core/platform/node-transport';
import type { HttpTransport } from '../../../src/core/platform/transport';
import { ProfileRepository } from '../../../src/core/profiles';
import { createRolecall, type Rolecall } from '../../../src/core/rolecall';
import { KeytarSecretStore, type SecretStore } from '../../../src/core/secrets';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import type { OperationInput, OperationName, OperationOutput } from '../../../src/shared/contract';
import type { CertificateRenewalView } from '../../../src/shared/model';
import { VirtualClock } from '../../helpers/virtual-clock';
import { filesUnder, pemBodyLines } from '../certificates/helpers';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const TRUST_ANCHOR_ID = 'a0000000-0000-4000-8000-00000000c001';
const PROFILE_ID = 'a0000000-0000-4000-8000-00000000c002';
const TRUST_ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/${TRUST_ANCHOR_ID}`;
const PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/${PROFILE_ID}`;
const OWN_KEY = /^(ca-key|certificate-key|key):/;

interface World {
  readonly clock: VirtualClock;
  readonly sandbox: Sandbox;
  readonly rolecall: Rolecall;
  readonly secrets: SecretStore;
  readonly ca: CaRecord;
  readonly dataDir: string;
  readonly credentialsFile: string;
  readonly events: CertificateRenewalView[];
  /** Each keychain item the agent deleted, with the serial of the certificate behind the session then in the credentials file. */
  readonly deletions: { readonly account: string; readonly deliveredSerial: string | undefined }[];
  /** The keychain items of keys (CA, requests, profiles), not the session cache's. */
  keyAccounts(): Promise<string[]>;
  /** What a keychain item holds. */
  keychainItem(account: string): Promise<string | null>;
  readonly home: string;
  call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  dispose(): Promise<void>;
}

async function createWorld(): Promise<World> {
  const clock = new VirtualClock({ start: Date.now() });
  clock.io.watchNativeWork();
  const track = <T>(work: Promise<T>) => clock.io.track(work);
  const home = await mkdtemp(join(tmpdir(), 'rolecall-renewal-'));
  const dataDir = join(home, 'data');
  const credentialsFile = join(home, '.aws', 'credentials');
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  const service = `Rolecall-renewal-${randomUUID()}`;
  const store = new KeytarSecretStore({ service });
  // The agent's keychain calls hold the virtual clock as its HTTP requests do.
  const deletions: World['deletions'][number][] = [];
  const started: { sandbox?: Sandbox } = {};
  const secrets: SecretStore = {
    get: (account) => track(store.get(account)),
    set: (account, value) => track(store.set(account, value)),
    delete: (account) => {
      deletions.push({ account, deliveredSerial: deliveredSerial(credentialsFile, started.sandbox) });
      return track(store.delete(account));
    },
    probe: () => track(store.probe()),
  };

  // What `rolecall ca create`, `certificate new` and `ca issue --days 1` do in the CLI's process.
  const certificates = new CertificateManager({ dataDir, secrets, clock });
  const cas = new LocalCaManager({ dataDir, secrets, clock, certificates });
  const ca = await cas.create({ name: 'team', subject: 'CN=Team CA,O=Example Corp' });
  await certificates.create({ name: 'alice', subject: 'CN=alice,OU=devops,O=Example Corp' });
  await cas.issue({ ca: 'team', certificate: 'alice', days: 1 });

  const sandbox = await startSandbox({
    account: ACCOUNT,
    clock: () => clock.now(),
    sleep: (ms) => clock.io.park(clock.sleep(ms)),
    trustAnchors: [{ id: TRUST_ANCHOR_ID, name: 'team', caPem: ca.certificatePem }],
    profiles: [{ id: PROFILE_ID, name: 'developers', roleArns: [ROLE_ARN], durationSeconds: 3600 }],
    roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
  });
  started.sandbox = sandbox;
  const node: NodeTransport = createNodeTransport();
  const transport: HttpTransport = (request) => track(node(request));
  const rolecall = await createRolecall({
    dataDir,
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(home, '.aws', 'config') },
    platform: process.platform,
    homedir: home,
    clock,
    transport,
    secrets,
    logger: createMemoryLogger(),
    host: 'headless',
    version: '0.0.0-test',
    cliCommand: [process.execPath, 'rolecall.mjs'],
  });
  const events: CertificateRenewalView[] = [];
  rolecall.subscribe((event, payload) => {
    if (event === 'certificate.renewal') events.push(payload as CertificateRenewalView);
  });

  /** Lets virtual time pass a second at a time until the operation settles (file locks retry on real timers). */
  async function call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const handler = rolecall.handlers[operation] as (input: ParsedInput<N>) => Promise<OperationOutput<N>>;
    let settled = false;
    const work = handler(input as ParsedInput<N>).finally(() => {
      settled = true;
    });
    work.catch(() => undefined);
    while (!settled) {
      await Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5))]);
      if (!settled) await clock.advance(1000);
    }
    return work;
  }

  return {
    clock,
    sandbox,
    rolecall,
    secrets,
    ca,
    dataDir,
    credentialsFile,
    events,
    deletions,
    keychainItem: (account) => store.get(account),
    home,
    keyAccounts: async () => (await keytar.findCredentials(service)).map((item) => item.account).filter((account) => OWN_KEY.test(account)).sort(),
    call,
    async dispose() {
      await rolecall.close();
      clock.io.stopWatchingNativeWork();
      await sandbox.stop();
      await node.close();
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The profile made from the certificate, activated: what `profiles add --from-certificate … --activate` does. */
async function activeProfile(world: World): Promise<void> {
  const draft = await world.call('drafts.fromCertificate', { name: 'alice' });
  await world.call('profiles.add', { name: 'dev', draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: world.sandbox.url, durationSeconds: 3600 });
  await world.call('sessions.activate', { name: 'dev' });
}

function deliveredSerial(credentialsFile: string, sandbox: Sandbox | undefined): string | undefined {
  const text = existsSync(credentialsFile) ? readFileSync(credentialsFile, 'utf8') : '';
  const keyId = /\[dev\][^[]*?aws_access_key_id\s*=\s*(\S+)/.exec(text)?.[1];
  return keyId === undefined ? undefined : sandbox?.issuedCredentials(keyId)?.certificateSerial;
}

async function deliveredKeyId(world: World): Promise<string | undefined> {
  const text = await readFile(world.credentialsFile, 'utf8').catch(() => '');
  return /\[dev\][^[]*?aws_access_key_id\s*=\s*(\S+)/.exec(text)?.[1];
}

async function certificateRecord(world: World) {
  const record = await new CertificateManager({ dataDir: world.dataDir, secrets: world.secrets, clock: world.clock }).get('alice');
  const [leaf] = parseCertificates(record.certificatePem ?? '');
  if (!leaf) throw new Error('alice has no certificate');
  return { record, leaf };
}

async function profileDefinition(world: World) {
  return new ProfileRepository({ dataDir: world.dataDir }).require('dev');
}

describe('automatic renewal of Rolecall-CA certificates', () => {
  let world: World;

  beforeEach(async () => {
    world = await createWorld();
  }, 60_000);
  afterEach(async () => {
    await world.dispose();
  });

  it('renews a one-day certificate before it ends, with a new key, and the active session never lapses', async () => {
    await activeProfile(world);
    const before = await certificateRecord(world);
    const profileBefore = await profileDefinition(world);
    const oldProfileKey = profileBefore.key.kind === 'keychain' ? profileBefore.key.account : '';
    const oldRequestKey = before.record.key.kind === 'keychain' ? before.record.key.account : '';
    expect(await world.keyAccounts()).toEqual([world.ca.keyAccount, oldRequestKey, oldProfileKey].sort());
    const dueAt = renewalDueAt(before.leaf.notBefore.getTime(), before.leaf.notAfter.getTime());
    const newSerials = new Set<string>();

    // Minute by minute until an hour after the old certificate ended.
    const until = before.leaf.notAfter.getTime() + HOUR;
    while (world.clock.now() < until) {
      await world.clock.advance(MINUTE);
      const keyId = await deliveredKeyId(world);
      const issued = keyId === undefined ? undefined : world.sandbox.issuedCredentials(keyId);
      expect(issued?.expiresAt, `credentials delivered at ${new Date(world.clock.now()).toISOString()}`).toBeGreaterThan(world.clock.now());
      if (issued && issued.certificateSerial !== before.leaf.serialHex.toLowerCase()) newSerials.add(issued.certificateSerial);
    }

    const after = await certificateRecord(world);
    const profileAfter = await profileDefinition(world);
    expect(after.leaf.notAfter.getTime()).toBeGreaterThan(before.leaf.notAfter.getTime());
    expect(after.leaf.subject).toBe(before.leaf.subject);
    expect(after.leaf.publicKey.export({ type: 'spki', format: 'der' }).equals(before.leaf.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
    expect(newSerials).toEqual(new Set([after.leaf.serialHex.toLowerCase()]));
    expect(profileAfter.certificatePem).toBe(after.record.certificatePem);
    expect(profileAfter.certificate).toBe('alice');
    const renewedAt = Date.parse(after.record.issuedAt ?? '');
    expect(renewedAt).toBeGreaterThanOrEqual(dueAt);
    expect(renewedAt).toBeLessThan(dueAt + HOUR);
    // Old keys gone, new ones in: one for the request, one for the profile.
    const accounts = await world.keyAccounts();
    expect(accounts).not.toContain(oldProfileKey);
    expect(accounts).not.toContain(oldRequestKey);
    // The profile's old key left the keychain only once the credentials file held a session minted with the new certificate.
    expect(world.deletions.filter((deletion) => deletion.account === oldProfileKey)).toEqual([{ account: oldProfileKey, deliveredSerial: after.leaf.serialHex.toLowerCase() }]);
    expect(accounts).toEqual([world.ca.keyAccount, after.record.key.kind === 'keychain' ? after.record.key.account : '', profileAfter.key.kind === 'keychain' ? profileAfter.key.account : ''].sort());
    expect(world.events).toEqual([{ certificate: 'alice', ca: 'team', outcome: 'renewed', at: after.record.issuedAt, notAfter: after.leaf.notAfter.toISOString(), newKey: true, profiles: ['dev'] }]);
    // The new key's bytes are in the keychain and in no file of the data folder, temp folders or AWS files.
    const files = await filesUnder(world.home);
    for (const account of accounts) {
      const pem = await world.keychainItem(account);
      expect(pem).toContain('PRIVATE KEY');
      for (const line of pemBodyLines(pem ?? '')) expect(files.filter((file) => file.text.includes(line)).map((file) => file.path)).toEqual([]);
    }
    expect((await world.call('profiles.get', { name: 'dev' })).status).toBe('active');
  }, 120_000);

  it('keeps the key when the settings say so', async () => {
    await activeProfile(world);
    expect((await world.call('settings.set', { renewWithSameKey: true })).renewWithSameKey).toBe(true);
    const before = await certificateRecord(world);
    const profileBefore = await profileDefinition(world);
    const accountsBefore = await world.keyAccounts();

    await world.clock.advanceUntil(() => world.events.length > 0, { stepMs: 10 * MINUTE, maxMs: 20 * HOUR });

    const after = await certificateRecord(world);
    const profileAfter = await profileDefinition(world);
    expect(after.leaf.serialHex).not.toBe(before.leaf.serialHex);
    expect(after.leaf.notAfter.getTime()).toBeGreaterThan(before.leaf.notAfter.getTime());
    expect(after.leaf.publicKey.export({ type: 'spki', format: 'der' }).equals(before.leaf.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(after.record.key).toEqual(before.record.key);
    expect(profileAfter.key).toEqual(profileBefore.key);
    expect(profileAfter.certificatePem).toBe(after.record.certificatePem);
    expect(await world.keyAccounts()).toEqual(accountsBefore);
    expect(world.events).toMatchObject([{ certificate: 'alice', outcome: 'renewed', newKey: false, profiles: ['dev'] }]);
    // The session in the credentials file was minted with the renewed certificate.
    const keyId = await deliveredKeyId(world);
    expect(keyId && world.sandbox.issuedCredentials(keyId)?.certificateSerial).toBe(after.leaf.serialHex.toLowerCase());
  }, 120_000);

  it('puts a profile back on its old certificate and key when the renewed one gets no session, and switches it on a later try', async () => {
    await activeProfile(world);
    const before = await certificateRecord(world);
    const profileBefore = await profileDefinition(world);
    const oldProfileKey = profileBefore.key.kind === 'keychain' ? profileBefore.key.account : '';
    const dueAt = renewalDueAt(before.leaf.notBefore.getTime(), before.leaf.notAfter.getTime());
    await world.clock.advance(dueAt - 2 * MINUTE - world.clock.now());

    // Roles Anywhere answers nothing but 500 while the renewal happens.
    world.sandbox.switches.failNext = 1000;
    await world.clock.advanceUntil(() => world.events.some((event) => event.outcome === 'failed'), { stepMs: MINUTE, maxMs: HOUR });
    world.sandbox.switches.failNext = 0;
    const renewed = await certificateRecord(world);
    expect(renewed.leaf.serialHex).not.toBe(before.leaf.serialHex);
    expect(world.events).toEqual([
      expect.objectContaining({ certificate: 'alice', outcome: 'failed', profiles: ['dev'], problem: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }),
      expect.objectContaining({ certificate: 'alice', outcome: 'renewed', newKey: true, profiles: [] }),
    ]);
    // Nothing half made: the profile as it was, no key of its own for the new certificate.
    const putBack = await profileDefinition(world);
    expect({ certificatePem: putBack.certificatePem, key: putBack.key }).toEqual({ certificatePem: profileBefore.certificatePem, key: profileBefore.key });
    expect(await world.keyAccounts()).toEqual([world.ca.keyAccount, renewed.record.key.kind === 'keychain' ? renewed.record.key.account : '', oldProfileKey].sort());

    await world.clock.advanceUntil(() => world.events.length === 3, { stepMs: MINUTE, maxMs: 2 * HOUR });
    expect(world.events[2]).toMatchObject({ certificate: 'alice', outcome: 'renewed', newKey: true, profiles: ['dev'] });
    const switched = await profileDefinition(world);
    expect(switched.certificatePem).toBe(renewed.record.certificatePem);
    expect(await world.keyAccounts()).not.toContain(oldProfileKey);
    const keyId = await deliveredKeyId(world);
    expect(keyId && world.sandbox.issuedCredentials(keyId)?.certificateSerial).toBe(renewed.leaf.serialHex.toLowerCase());
    expect((await world.call('profiles.get', { name: 'dev' })).status).toBe('active');
  }, 120_000);

  it('says it cannot renew a certificate whose CA ends with it', async () => {
    const certificates = new CertificateManager({ dataDir: world.dataDir, secrets: world.secrets, clock: world.clock });
    const cas = new LocalCaManager({ dataDir: world.dataDir, secrets: world.secrets, clock: world.clock, certificates });
    await cas.create({ name: 'brief', subject: 'CN=Brief CA', days: 1 });
    await certificates.create({ name: 'bob', subject: 'CN=bob,OU=devops' });
    await cas.issue({ ca: 'brief', certificate: 'bob', days: 1 });
    const bob = await certificates.get('bob');

    await world.clock.advanceUntil(() => world.events.some((event) => event.certificate === 'bob'), { stepMs: 10 * MINUTE, maxMs: 20 * HOUR });

    expect(world.events.filter((event) => event.certificate === 'bob')).toEqual([
      expect.objectContaining({ ca: 'brief', outcome: 'failed', problem: expect.objectContaining({ code: 'RENEWAL_CA_ENDING', detail: expect.stringContaining('Rolecall CA brief ends') }) }),
    ]);
    expect(await certificates.get('bob')).toEqual(bob);
  }, 120_000);

  it('says once that it cannot renew when the CA key is missing, and changes nothing', async () => {
    await activeProfile(world);
    await world.secrets.delete(world.ca.keyAccount);
    const before = await certificateRecord(world);
    const profileBefore = await profileDefinition(world);
    const accountsBefore = await world.keyAccounts();

    // Past the renewal time and through hours of retries.
    await world.clock.advanceUntil(() => world.clock.now() > before.leaf.notAfter.getTime() - 2 * HOUR, { stepMs: 10 * MINUTE, maxMs: 24 * HOUR });

    expect(world.events).toEqual([
      {
        certificate: 'alice',
        ca: 'team',
        outcome: 'failed',
        at: expect.any(String),
        notAfter: before.leaf.notAfter.toISOString(),
        profiles: ['dev'],
        problem: expect.objectContaining({ code: 'RENEWAL_CA_KEY_MISSING', detail: 'the key of Rolecall CA team', next: expect.stringContaining('rolecall ca create') }),
      },
    ]);
    const failedAt = Date.parse(world.events[0]?.at ?? '');
    expect(failedAt).toBeGreaterThanOrEqual(renewalDueAt(before.leaf.notBefore.getTime(), before.leaf.notAfter.getTime()));
    expect((await certificateRecord(world)).record).toEqual(before.record);
    expect(await profileDefinition(world)).toEqual(profileBefore);
    expect(await world.keyAccounts()).toEqual(accountsBefore);
    expect((await world.call('profiles.get', { name: 'dev' })).status).toBe('active');
  }, 120_000);
});
