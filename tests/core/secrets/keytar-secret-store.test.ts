// Runs against the real Secret Service: `npm test` starts a private D-Bus session with an unlocked
// throwaway gnome-keyring. Without one these tests fail on purpose (a silent skip would hide that the
// keychain code is untested); set ROLECALL_TEST_NO_KEYCHAIN=1 to skip them deliberately.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore, type KeytarApi } from '../../../src/core/secrets/keytar-secret-store';
import { SECRET_SERVICE } from '../../../src/core/secrets/secret-store';
import { bundleForNode } from '../../helpers/bundle-for-node';

const run = promisify(execFile);
const skipKeychain = process.env.ROLECALL_TEST_NO_KEYCHAIN === '1';
const CAP = 2560;
const HOW_TO_RUN = 'These tests need an unlocked Secret Service in a D-Bus session. Run `npm test` (it starts one), or:\n'
  + "  export XDG_DATA_HOME=$(mktemp -d) HOME=$(mktemp -d); dbus-run-session -- sh -c 'printf %s ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run tests/core/secrets'\n"
  + 'or set ROLECALL_TEST_NO_KEYCHAIN=1 to skip them deliberately.';

// An RSA-4096 PKCS#8 PEM is about 3.2 KB: more than one Windows Credential Manager item holds.
const RSA_4096_PEM = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

interface ChildOutcome {
  ok: boolean;
  info?: { code: string; message: string; next: string; detail?: string };
  text?: string;
  stack?: string;
  cause?: string;
}

async function runChild(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  const { stdout } = await run(process.execPath, [script, ...args], { env, timeout: 20_000 });
  return JSON.parse(stdout) as ChildOutcome;
}

let bundleDir: string;
let childScript: string;

beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'rolecall-secrets-bundle-'));
  childScript = await bundleForNode(join(import.meta.dirname, 'children', 'keychain-op.ts'), bundleDir);
});

afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
});

describe('KeytarSecretStore without a keychain', () => {
  const secret = RSA_4096_PEM;
  const noBusEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, RC_TEST_VALUE: secret, RC_TEST_SERVICE: `Rolecall-test-${randomUUID()}` };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    return env;
  };

  it('answers KEYCHAIN_UNAVAILABLE, saying what to start, when the session bus address leads nowhere', async () => {
    const outcome = await runChild(childScript, ['set', 'profile:dev:key'], { ...noBusEnv(), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(bundleDir, 'no-such-bus')}` });
    expect(outcome.ok).toBe(false);
    expect(outcome.info?.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(outcome.info?.detail).toContain('dbus-run-session');
    expect(outcome.info?.next).toMatch(/install and unlock a Secret Service \(gnome-keyring/);
    expect(JSON.stringify(outcome)).not.toContain(secret.split('\n')[1]);
  });

  it('answers KEYCHAIN_UNAVAILABLE on a headless box with no session bus and no display', async () => {
    const env = noBusEnv();
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const outcome = await runChild(childScript, ['probe'], env);
    expect(outcome.info?.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(outcome.info?.detail).toContain('Cannot autolaunch D-Bus');
  });
});

describe.skipIf(skipKeychain)('KeytarSecretStore on the real Secret Service', () => {
  const service = `Rolecall-test-${randomUUID()}`;
  const store = new KeytarSecretStore({ service });
  const capped = new KeytarSecretStore({ service, maxItemBytes: CAP });

  const accountsInKeychain = async (prefix: string): Promise<string[]> =>
    (await keytar.findCredentials(service)).map((c) => c.account).filter((a) => a === prefix || a.startsWith(`${prefix}#`)).sort();

  let reachable = false;

  beforeAll(async () => {
    try {
      await store.probe();
      reachable = true;
    } catch (error) {
      throw new Error(`${HOW_TO_RUN}\nThe keychain answered: ${String(error)} ${(error as { detail?: string }).detail ?? ''}`, { cause: error });
    }
  });

  afterAll(async () => {
    if (!reachable) return;
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  it('files items under the service "Rolecall" unless told otherwise', () => {
    expect(new KeytarSecretStore().service).toBe(SECRET_SERVICE);
    expect(SECRET_SERVICE).toBe('Rolecall');
  });

  it('round-trips a value, overwrites it and deletes it', async () => {
    expect(await store.get('round-trip')).toBeNull();
    await store.set('round-trip', 'first value');
    expect(await store.get('round-trip')).toBe('first value');
    await store.set('round-trip', 'second value ✓ with ünïcode');
    expect(await store.get('round-trip')).toBe('second value ✓ with ünïcode');
    expect(await keytar.getPassword(service, 'round-trip')).toBe('second value ✓ with ünïcode');
    expect(await store.delete('round-trip')).toBe(true);
    expect(await store.get('round-trip')).toBeNull();
    expect(await store.delete('round-trip')).toBe(false);
  });

  it('stores an empty value and a value that looks like a parts manifest', async () => {
    await store.set('edge-empty', '');
    expect(await store.get('edge-empty')).toBe('');
    await store.set('edge-marker', 'rolecall-parts:{"v":1,"slot":"a","count":0,"length":0}');
    expect(await store.get('edge-marker')).toBe('rolecall-parts:{"v":1,"slot":"a","count":0,"length":0}');
  });

  it('refuses account names that could collide with part items', async () => {
    await expect(store.set('bad#name', 'x')).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(store.get('')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('splits an RSA-4096 PKCS#8 key over the cap into separate items and joins it back', async () => {
    expect(Buffer.byteLength(RSA_4096_PEM)).toBeGreaterThan(CAP);
    await capped.set('split', RSA_4096_PEM);
    expect(await capped.get('split')).toBe(RSA_4096_PEM);
    expect(await accountsInKeychain('split')).toEqual(['split', 'split#a1', 'split#a2']);
    const items = await keytar.findCredentials(service);
    for (const item of items.filter((i) => i.account.startsWith('split'))) {
      expect(Buffer.byteLength(item.password)).toBeLessThanOrEqual(CAP);
    }
    const manifest = items.find((i) => i.account === 'split')!.password;
    expect(manifest).not.toContain('PRIVATE KEY');
    // A store without the cap reads what the capped one wrote.
    expect(await store.get('split')).toBe(RSA_4096_PEM);
  });

  it('replaces a split value in the other slot and leaves no stale parts behind', async () => {
    const longer = `${RSA_4096_PEM}${'x'.repeat(CAP * 2)}`;
    await capped.set('stale', longer); // 4 parts in slot a
    await capped.set('stale', longer); // 4 parts in slot b, slot a removed
    expect(await accountsInKeychain('stale')).toEqual(['stale', 'stale#b1', 'stale#b2', 'stale#b3', 'stale#b4']);
    await capped.set('stale', RSA_4096_PEM); // 2 parts back in slot a
    expect(await accountsInKeychain('stale')).toEqual(['stale', 'stale#a1', 'stale#a2']);
    expect(await capped.get('stale')).toBe(RSA_4096_PEM);
    await capped.set('stale', 'small again');
    expect(await accountsInKeychain('stale')).toEqual(['stale']);
    expect(await capped.get('stale')).toBe('small again');
  });

  it('removes stale parts an earlier, longer value left in the slot being written', async () => {
    await keytar.setPassword(service, 'leftover#a3', 'old part');
    await keytar.setPassword(service, 'leftover#a4', 'old part');
    await capped.set('leftover', RSA_4096_PEM);
    expect(await accountsInKeychain('leftover')).toEqual(['leftover', 'leftover#a1', 'leftover#a2']);
  });

  it('deletes every part of a split item', async () => {
    await capped.set('delete-split', `${RSA_4096_PEM}${RSA_4096_PEM}`);
    expect((await accountsInKeychain('delete-split')).length).toBeGreaterThan(3);
    expect(await capped.delete('delete-split')).toBe(true);
    expect(await accountsInKeychain('delete-split')).toEqual([]);
    expect(await capped.get('delete-split')).toBeNull();
  });

  it('keeps the old value readable when a set fails part-way, and a retry completes it', async () => {
    await capped.set('retry', RSA_4096_PEM);
    const replacement = `${RSA_4096_PEM.replace('PRIVATE', 'REPLACED')}${'y'.repeat(100)}`;
    let writes = 0;
    const failing = new KeytarSecretStore({
      service,
      maxItemBytes: CAP,
      loadKeytar: async (): Promise<KeytarApi> => ({
        getPassword: (s, a) => keytar.getPassword(s, a),
        deletePassword: (s, a) => keytar.deletePassword(s, a),
        setPassword: async (s, a, p) => {
          writes += 1;
          if (writes === 2) throw new Error('The connection is closed');
          await keytar.setPassword(s, a, p);
        },
      }),
    });
    const error = await failing.set('retry', replacement).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(JSON.stringify(error)).not.toContain('PRIVATE');
    expect(String((error as Error).stack)).not.toContain('REPLACED');
    expect(await capped.get('retry')).toBe(RSA_4096_PEM);
    await failing.set('retry', replacement);
    expect(await capped.get('retry')).toBe(replacement);
    expect(await accountsInKeychain('retry')).toEqual(['retry', 'retry#b1', 'retry#b2']);
  });

  it('reports a split item whose parts are gone as missing, not as a shorter key', async () => {
    await capped.set('broken', RSA_4096_PEM);
    await keytar.deletePassword(service, 'broken#a2');
    await expect(capped.get('broken')).rejects.toMatchObject({ code: 'KEYCHAIN_ITEM_MISSING' });
  });

  it('answers KEYCHAIN_LOCKED, not "no such item", when the keyring is locked', async () => {
    const home = await mkdtemp(join(tmpdir(), 'rolecall-locked-'));
    try {
      // A keyring of its own, so locking it cannot disturb the other tests.
      const script = [
        'printf %s ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
        'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null',
        `"${process.execPath}" "${childScript}" set locked-account; echo`,
        `"${process.execPath}" "${childScript}" get locked-account`,
      ].join('; ');
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), RC_TEST_VALUE: 'top secret value', RC_TEST_SERVICE: service };
      delete env.DISPLAY;
      const { stdout } = await run('dbus-run-session', ['--', 'sh', '-c', script], { env, timeout: 30_000 });
      // gnome-keyring may print its control socket path too; the child's outcomes are the JSON lines.
      const [onSet, onGet] = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ChildOutcome);
      expect(onSet?.info).toMatchObject({ code: 'KEYCHAIN_LOCKED', detail: expect.stringContaining('locked collection') });
      expect(onGet?.info?.code).toBe('KEYCHAIN_LOCKED');
      expect(stdout).not.toContain('top secret value');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
