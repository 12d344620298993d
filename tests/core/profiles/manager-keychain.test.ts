// Profiles against the real Secret Service: `npm test` starts a private D-Bus session with an unlocked
// throwaway gnome-keyring. Without one these tests fail on purpose; set ROLECALL_TEST_NO_KEYCHAIN=1 to
// skip them deliberately. Run alone with:
//   export XDG_DATA_HOME=$(mktemp -d) HOME=$(mktemp -d); dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run tests/core/profiles'
import { createSign, createVerify, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileDefinition } from '../../../src/core/profiles';
import { privateKeyFromPkcs8Pem } from '../../../src/core/pki';
import { KeytarSecretStore, WINDOWS_MAX_ITEM_BYTES } from '../../../src/core/secrets';
import { FIXTURE_PASSWORD, pkiPath, readPki } from '../../helpers/fixtures';
import { SESSION, USER_CONFIG, USER_CREDENTIALS, addInput, createWorld, filesUnder, openRsaDraft, pemBodyLines, type World } from './helpers';

const skipKeychain = process.env.ROLECALL_TEST_NO_KEYCHAIN === '1';

describe.skipIf(skipKeychain)('ProfileManager with the real keychain', () => {
  const service = `Rolecall-test-${randomUUID()}`;
  const secrets = new KeytarSecretStore({ service });
  let world: World;

  const accountOf = (definition: ProfileDefinition): string => (definition.key.kind === 'keychain' ? definition.key.account : '');
  const itemsOf = async (account: string): Promise<string[]> =>
    (await keytar.findCredentials(service)).map((item) => item.account).filter((name) => name === account || name.startsWith(`${account}#`)).sort();
  const sameKey = (pem: string, fixture: string): boolean =>
    privateKeyFromPkcs8Pem(pem).keyObject.export({ type: 'pkcs8', format: 'der' }).equals(privateKeyFromPkcs8Pem(readPki(fixture)).keyObject.export({ type: 'pkcs8', format: 'der' }));

  beforeAll(async () => {
    try {
      await secrets.probe();
    } catch (error) {
      throw new Error(`These tests need an unlocked Secret Service in a D-Bus session (npm test starts one): ${String(error)}`, { cause: error });
    }
  });
  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });
  beforeEach(async () => {
    world = await createWorld(secrets);
  });
  afterEach(async () => {
    await world.dispose();
  });

  const expectNoKeyInDataFolder = async (pem: string): Promise<void> => {
    const files = await filesUnder(world.dataDir);
    expect(files.map((file) => file.path)).toContain(world.repository.path);
    for (const file of files) {
      expect(file.text).not.toContain('PRIVATE KEY');
      for (const line of pemBodyLines(pem)) expect(file.text).not.toContain(line);
    }
  };

  it('puts the key of a PEM certificate and key into the keychain and nowhere in the data folder', async () => {
    const definition = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const stored = await keytar.getPassword(service, accountOf(definition));
    expect(stored).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(sameKey(stored ?? '', 'leaf-rsa2048.key.pkcs8.pem')).toBe(true);
    await expectNoKeyInDataFolder(stored ?? '');
    await expectNoKeyInDataFolder(readPki('leaf-rsa2048.key.pkcs8.pem'));
  });

  it('stores an encrypted key, once unlocked, decrypted as PKCS#8 in the keychain', async () => {
    const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs1-encrypted.pem') });
    expect(draft.unlocked).toBe(false);
    world.drafts.unlock(draft.draftId, FIXTURE_PASSWORD);
    const definition = await world.manager.add(addInput('dev', draft.draftId));
    const stored = await keytar.getPassword(service, accountOf(definition));
    expect(sameKey(stored ?? '', 'leaf-rsa2048.key.pkcs8.pem')).toBe(true);
    await expectNoKeyInDataFolder(stored ?? '');
  });

  it('takes the key and chain out of a PKCS#12 file', async () => {
    const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-ec-p256.legacy.p12'), passphrase: FIXTURE_PASSWORD });
    const definition = await world.manager.add(addInput('dev', draft.draftId));
    expect(definition.certificatePem).toBe(readPki('leaf-ec-p256.cert.pem'));
    expect(definition.chainPem).toEqual([readPki('intermediate-ca.cert.pem')]);
    expect(sameKey((await keytar.getPassword(service, accountOf(definition))) ?? '', 'leaf-ec-p256.key.pkcs8.pem')).toBe(true);
    const material = await world.manager.signingMaterial('dev');
    const signature = createSign('sha256').update('CreateSession').sign(material.privateKey);
    expect(createVerify('sha256').update('CreateSession').verify(material.leaf.publicKey, signature)).toBe(true);
  });

  it('keeps the keychain item across a rename', async () => {
    const definition = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const { definition: renamed } = await world.manager.rename('dev', 'staging');
    expect(renamed.key).toEqual(definition.key);
    expect(await itemsOf(accountOf(definition))).toEqual([accountOf(definition)]);
    expect((await world.manager.signingMaterial('staging')).leaf.subject).toContain('CN=leaf-rsa2048');
    await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it('replaces the keychain item when the key is rotated', async () => {
    const before = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const { definition } = await world.manager.edit({ name: 'dev', draftId: await openRsaDraft(world, 'leaf-ec-p384') });
    expect(await itemsOf(accountOf(before))).toEqual([]);
    expect(sameKey((await keytar.getPassword(service, accountOf(definition))) ?? '', 'leaf-ec-p384.key.pkcs8.pem')).toBe(true);
  });

  it('on remove deletes the keychain item and restores the AWS files byte for byte', async () => {
    await writeFile(world.awsPaths.credentials, USER_CREDENTIALS, { mode: 0o600 });
    await writeFile(world.awsPaths.config, USER_CONFIG, { mode: 0o600 });
    const definition = await world.manager.add(addInput('dev', await openRsaDraft(world), { toolRegion: 'eu-west-1' }));
    await world.manager.delivery.deliver('dev', SESSION);
    expect(await readFile(world.awsPaths.credentials, 'utf8')).not.toBe(USER_CREDENTIALS);
    expect(await readFile(world.awsPaths.config, 'utf8')).not.toBe(USER_CONFIG);

    await world.manager.remove('dev');
    expect(await readFile(world.awsPaths.credentials, 'utf8')).toBe(USER_CREDENTIALS);
    expect(await readFile(world.awsPaths.config, 'utf8')).toBe(USER_CONFIG);
    expect(await itemsOf(accountOf(definition))).toEqual([]);
    expect(await world.manager.list()).toEqual([]);
    expect(await world.repository.getDelivery('dev')).toBeUndefined();
    await expect(world.manager.remove('dev')).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it('splits an RSA-4096 key over Windows\' 2,560-byte item cap and still signs with it', async () => {
    const capped = await createWorld(new KeytarSecretStore({ service, maxItemBytes: WINDOWS_MAX_ITEM_BYTES }));
    try {
      const definition = await capped.manager.add(addInput('big', await openRsaDraft(capped, 'leaf-rsa4096')));
      const account = accountOf(definition);
      const items = await itemsOf(account);
      expect(items.length).toBeGreaterThan(2);
      for (const item of items) expect(Buffer.byteLength((await keytar.getPassword(service, item)) ?? '')).toBeLessThanOrEqual(WINDOWS_MAX_ITEM_BYTES);
      const material = await capped.manager.signingMaterial('big');
      expect(material.leaf.keyAlgorithm).toBe('RSA-4096');
      expect(material.leaf.matchesPrivateKey(material.privateKey)).toBe(true);
      await capped.manager.remove('big');
      expect(await itemsOf(account)).toEqual([]);
    } finally {
      await capped.dispose();
    }
  });

  it('reports a key deleted from the keychain by hand as KEYCHAIN_ITEM_MISSING', async () => {
    const definition = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await keytar.deletePassword(service, accountOf(definition));
    await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'KEYCHAIN_ITEM_MISSING' });
  });
});
