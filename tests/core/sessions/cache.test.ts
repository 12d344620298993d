// The session cache on the real Secret Service: `npm test` starts a private D-Bus session with an
// unlocked throwaway gnome-keyring. Without one the keychain tests fail on purpose; set
// ROLECALL_TEST_NO_KEYCHAIN=1 to skip them deliberately.
import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../src/core/secrets';
import { KeytarSecretStore } from '../../../src/core/secrets';
import { KeychainSessionCache, sessionAccount, type CachedSession } from '../../../src/core/sessions/cache';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import type { IoTracker } from '../../helpers/virtual-clock';
import { startRig, type Rig } from './session-rig';

const skipKeychain = process.env.ROLECALL_TEST_NO_KEYCHAIN === '1';

const SESSION: CachedSession = {
  credentials: {
    accessKeyId: 'ASIAEXAMPLECACHE0001',
    secretAccessKey: 'cache/Secret+Key0123456789abcdefEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjECACHED-TOKEN-0123456789',
    expiration: '2026-03-02T10:00:00Z',
    roleArn: 'arn:aws:iam::123456789012:role/Developer',
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/Developer/dev',
    sourceIdentity: 'CN=leaf',
  },
  obtainedAt: Date.UTC(2026, 2, 2, 9, 0, 0, 250),
};

/** A SecretStore whose calls the virtual clock waits for, like any other real I/O. */
function tracked(store: SecretStore, io: IoTracker): SecretStore {
  return {
    get: (account) => io.track(store.get(account)),
    set: (account, value) => io.track(store.set(account, value)),
    delete: (account) => io.track(store.delete(account)),
    probe: () => io.track(store.probe()),
  };
}

describe('KeychainSessionCache', () => {
  it('reads a damaged item or one from another version as no session', async () => {
    const secrets = new MemorySecretStore();
    const cache = new KeychainSessionCache(secrets);
    await secrets.set(sessionAccount('dev'), 'not json');
    expect(await cache.get('dev')).toBeUndefined();
    await secrets.set(sessionAccount('dev'), JSON.stringify({ v: 2, accessKeyId: 'x' }));
    expect(await cache.get('dev')).toBeUndefined();
    expect(await cache.get('missing')).toBeUndefined();
  });

  it('keeps the sessions of two data folders apart when scoped', async () => {
    const secrets = new MemorySecretStore();
    await new KeychainSessionCache(secrets, 'home-a').set('dev', SESSION);
    expect(await new KeychainSessionCache(secrets, 'home-b').get('dev')).toBeUndefined();
    expect(await new KeychainSessionCache(secrets, 'home-a').get('dev')).toEqual(SESSION);
  });

  it('passes keychain failures on to the caller, who decides to go on without it', async () => {
    const secrets = new MemorySecretStore();
    secrets.failure = 'KEYCHAIN_LOCKED';
    await expect(new KeychainSessionCache(secrets).get('dev')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' });
  });
});

describe.skipIf(skipKeychain)('KeychainSessionCache on the real Secret Service', () => {
  const service = `Rolecall-test-${randomUUID()}`;
  const store = new KeytarSecretStore({ service });
  let rig: Rig | undefined;

  beforeAll(async () => {
    await store.probe();
  });

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  it('round-trips a session as one item per profile under the account session:<name>', async () => {
    const cache = new KeychainSessionCache(store);
    await cache.set('dev', SESSION);
    expect(await cache.get('dev')).toEqual(SESSION);
    const raw = JSON.parse((await keytar.getPassword(service, 'session:dev'))!) as Record<string, unknown>;
    expect(raw).toMatchObject({
      accessKeyId: SESSION.credentials.accessKeyId,
      secretAccessKey: SESSION.credentials.secretAccessKey,
      sessionToken: SESSION.credentials.sessionToken,
      expiration: SESSION.credentials.expiration,
      obtainedAt: '2026-03-02T09:00:00.250Z',
    });
    await cache.delete('dev');
    expect(await cache.get('dev')).toBeUndefined();
    expect(await keytar.getPassword(service, 'session:dev')).toBeNull();
    await expect(cache.delete('dev')).resolves.toBeUndefined();
  });

  it('lets a restarted agent reuse the session the previous one cached, and deactivate removes it', async () => {
    rig = await startRig();
    const r = rig;
    const cache = new KeychainSessionCache(tracked(store, r.clock.io));
    const first = r.restart({ cache });
    await first.activate('dev');
    await r.clock.settle();
    first.close();
    expect(await keytar.getPassword(service, 'session:dev')).toContain(await r.delivery.accessKeyHeld('dev'));

    const second = r.restart({ cache });
    await second.activate('dev');
    expect(r.sandbox.requests.count('CreateSession')).toBe(1);
    await second.deactivate('dev');
    expect(await keytar.getPassword(service, 'session:dev')).toBeNull();
  });
});
