// The manager's rules with a memory secret store; the real keychain is in manager-keychain.test.ts.
import { createSign, createVerify } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateKeyFromPkcs8Pem } from '../../../src/core/pki';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { FIXTURE_PASSWORD, pkiPath, readPki } from '../../helpers/fixtures';
import { OTHER_REGION_PROFILE_ARN, PROFILE_ARN, addInput, createWorld, filesUnder, openRsaDraft, pemBodyLines, type World } from './helpers';

describe('ProfileManager', () => {
  let secrets: MemorySecretStore;
  let world: World;

  beforeEach(async () => {
    secrets = new MemorySecretStore();
    world = await createWorld(secrets);
  });
  afterEach(async () => {
    await world.dispose();
  });

  const storedProfiles = async (): Promise<unknown[]> => {
    try {
      return JSON.parse(await readFile(world.repository.path, 'utf8')).profiles;
    } catch {
      return [];
    }
  };

  it('adds a profile with the documented defaults and the key only in the secret store', async () => {
    const draftId = await openRsaDraft(world);
    const definition = await world.manager.add(addInput('dev', draftId));
    expect(definition).toMatchObject({ name: 'dev', durationSeconds: 3600, delivery: 'file', autoRefresh: true, key: { kind: 'keychain' } });
    expect(definition.signingRegion).toBeUndefined();
    expect(definition.chainPem).toEqual([readPki('intermediate-ca.cert.pem')]);
    const view = world.manager.view(definition);
    expect(view).toMatchObject({ signingRegion: 'eu-west-1', status: 'inactive', keyStorage: 'keychain', deliveredTo: world.awsPaths.credentials, certificateState: 'ok' });

    const account = definition.key.kind === 'keychain' ? definition.key.account : '';
    expect(account).toMatch(/^key:[0-9a-f-]{36}$/);
    const stored = secrets.values.get(account) ?? '';
    expect(stored.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    const originalKey = privateKeyFromPkcs8Pem(readPki('leaf-rsa2048.key.pkcs8.pem')).keyObject.export({ type: 'pkcs8', format: 'der' });
    expect(privateKeyFromPkcs8Pem(stored).keyObject.export({ type: 'pkcs8', format: 'der' }).equals(originalKey)).toBe(true);
    for (const file of await filesUnder(world.root)) {
      expect(file.text).not.toContain('PRIVATE KEY');
      for (const line of pemBodyLines(stored)) expect(file.text).not.toContain(line);
    }
    // The draft was used up.
    expect(() => world.drafts.material(draftId)).toThrow(expect.objectContaining({ code: 'DRAFT_NOT_FOUND' }));
  });

  it('keeps an explicit signing region, tool region, session name, endpoint and delivery mode', async () => {
    const definition = await world.manager.add(addInput('dev', await openRsaDraft(world), {
      signingRegion: 'eu-central-1', toolRegion: 'us-west-2', roleSessionName: 'alice', endpoint: 'http://127.0.0.1:4555', delivery: 'process', durationSeconds: 900, autoRefresh: false,
    }));
    expect(definition).toMatchObject({ signingRegion: 'eu-central-1', toolRegion: 'us-west-2', roleSessionName: 'alice', endpoint: 'http://127.0.0.1:4555', delivery: 'process', durationSeconds: 900, autoRefresh: false });
    expect(world.manager.view(definition)).toMatchObject({ signingRegion: 'eu-central-1', deliveredTo: world.awsPaths.config });
  });

  it('keeps the trust anchor and profile names picked with the ARNs, and drops a name once its ARN changes', async () => {
    const added = await world.manager.add(addInput('dev', await openRsaDraft(world), { names: { trustAnchor: 'corp-root', profile: 'developers' } }));
    expect(world.manager.view(added).names).toEqual({ trustAnchor: 'corp-root', profile: 'developers' });
    expect(JSON.stringify(await storedProfiles())).toContain('corp-root');

    // Another profile ARN typed without a name: the anchor's name stays, the profile's goes.
    const otherProfile = PROFILE_ARN.replace(/[^/]+$/, '11111111-2222-3333-4444-555555555555');
    const { definition: retyped } = await world.manager.edit({ name: 'dev', profileArn: otherProfile });
    expect(retyped.names).toEqual({ trustAnchor: 'corp-root' });
    const { definition: renamed } = await world.manager.edit({ name: 'dev', names: { profile: 'auditors' } });
    expect(renamed.names).toEqual({ trustAnchor: 'corp-root', profile: 'auditors' });
    const { definition: cleared } = await world.manager.edit({ name: 'dev', names: null });
    expect(cleared.names).toBeUndefined();
    expect(world.manager.view(cleared).names).toBeUndefined();
  });

  it('refuses a name that is already a profile, keeping the first one and storing no second key', async () => {
    const first = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await expect(world.manager.add(addInput('dev', await openRsaDraft(world, 'leaf-ec-p256')))).rejects.toMatchObject({ code: 'PROFILE_EXISTS' });
    expect(await world.manager.list()).toEqual([first]);
    expect(secrets.values.size).toBe(1);
  });

  it('refuses drafts that are gone, locked or unusable', async () => {
    await expect(world.manager.add(addInput('dev', 'no-such-draft'))).rejects.toMatchObject({ code: 'DRAFT_NOT_FOUND' });
    const locked = await world.drafts.open({ certificatePath: pkiPath('leaf-rsa2048.p12') });
    await expect(world.manager.add(addInput('dev', locked.draftId))).rejects.toMatchObject({ code: 'DRAFT_LOCKED' });
    const expired = await world.drafts.open({ certificatePath: pkiPath('expired.cert.pem'), privateKeyPath: pkiPath('expired.key.pkcs8.pem') });
    await expect(world.manager.add(addInput('dev', expired.draftId))).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    expect(await storedProfiles()).toEqual([]);
    expect(secrets.values.size).toBe(0);
  });

  it('checks the ARNs and regions before storing anything', async () => {
    const draftId = await openRsaDraft(world);
    await expect(world.manager.add(addInput('dev', draftId, { profileArn: OTHER_REGION_PROFILE_ARN }))).rejects.toMatchObject({ code: 'REGION_MISMATCH' });
    await expect(world.manager.add(addInput('dev', draftId, { roleArn: 'arn:aws:iam::123:role/x' }))).rejects.toMatchObject({ code: 'ARN_INVALID' });
    await expect(world.manager.add(addInput('dev', draftId, { trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/0a1b2c3d-1111-2222-3333-444455556666' })))
      .rejects.toMatchObject({ code: 'ARN_INVALID', detail: expect.stringContaining('trust anchor') });
    await expect(world.manager.add(addInput('dev', draftId, { endpoint: 'http://example.com' }))).rejects.toMatchObject({ code: 'ENDPOINT_INVALID' });
    await expect(world.manager.add(addInput('bad name', draftId))).rejects.toMatchObject({ code: 'PROFILE_NAME_INVALID' });
    expect(await storedProfiles()).toEqual([]);
    expect(secrets.values.size).toBe(0);
  });

  it('stores nothing when the keychain is unavailable: no profile, no plaintext key anywhere', async () => {
    secrets.failure = 'KEYCHAIN_UNAVAILABLE';
    await expect(world.manager.add(addInput('dev', await openRsaDraft(world)))).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await storedProfiles()).toEqual([]);
    for (const file of await filesUnder(world.root)) expect(file.text).not.toContain('PRIVATE KEY');
    secrets.failure = undefined;
    expect(secrets.values.size).toBe(0);
  });

  describe('an AWS profile name that holds someone else\'s credentials', () => {
    beforeEach(async () => {
      await writeFile(world.awsPaths.credentials, '[dev]\naws_access_key_id = AKIAUSERDEV000000001\naws_secret_access_key = userSecret\n');
    });

    it('is refused with the file named, then taken over with force on the first delivery', async () => {
      const draftId = await openRsaDraft(world);
      const refused = await world.manager.add(addInput('dev', draftId)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'AWS_PROFILE_TAKEN', detail: expect.stringContaining(world.awsPaths.credentials) });
      expect((refused as { detail: string }).detail).toContain('aws_access_key_id, aws_secret_access_key');
      expect(await storedProfiles()).toEqual([]);
      expect(secrets.values.size).toBe(0);

      const definition = await world.manager.add(addInput('dev', draftId, { force: true }));
      expect(definition.takeOver).toBe(true);
      // Adding changed nothing in the user's file yet.
      expect(await readFile(world.awsPaths.credentials, 'utf8')).toContain('AKIAUSERDEV000000001');

      await world.manager.delivery.deliver('dev', { accessKeyId: 'ASIAROLECALL00000001', secretAccessKey: 's', sessionToken: 't', expiration: '2026-06-01T01:00:00Z', roleArn: definition.roleArn });
      const text = await readFile(world.awsPaths.credentials, 'utf8');
      expect(text).not.toContain('AKIAUSERDEV000000001');
      expect(text).toContain('ASIAROLECALL00000001');
      expect((await world.manager.get('dev')).takeOver).toBeUndefined();
    });

    it('is refused when the credentials are a credential_process line in the config file', async () => {
      await rm(world.awsPaths.credentials);
      await writeFile(world.awsPaths.config, '[profile dev]\ncredential_process = /usr/local/bin/aws_signing_helper credential-process\nregion = eu-west-1\n');
      await expect(world.manager.add(addInput('dev', await openRsaDraft(world)))).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN', detail: expect.stringContaining(`[profile dev] in ${world.awsPaths.config}`) });
    });

    it('does not count a region or output setting as credentials', async () => {
      await rm(world.awsPaths.credentials);
      await writeFile(world.awsPaths.config, '[profile dev]\nregion = eu-west-1\noutput = json\n');
      await expect(world.manager.add(addInput('dev', await openRsaDraft(world)))).resolves.toMatchObject({ name: 'dev' });
    });
  });

  describe('a key kept in its own file', () => {
    it('stores only the path and reads the file at each signing', async () => {
      const keyFile = join(world.root, 'dev.key.pem');
      await writeFile(keyFile, readPki('leaf-ec-p256.key.pkcs8.pem'), { mode: 0o600 });
      const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: keyFile });
      const definition = await world.manager.add(addInput('dev', draft.draftId, { keyStorage: 'file' }));
      expect(definition.key).toEqual({ kind: 'file', path: keyFile });
      expect(world.manager.view(definition)).toMatchObject({ keyStorage: 'file', keyPath: keyFile });
      expect(secrets.values.size).toBe(0);
      expect(await readFile(world.repository.path, 'utf8')).not.toContain('PRIVATE KEY');

      const material = await world.manager.signingMaterial('dev');
      const signature = createSign('sha256').update('payload').sign(material.privateKey);
      expect(createVerify('sha256').update('payload').verify(material.leaf.publicKey, signature)).toBe(true);

      // Read again each time: a file that no longer holds the key is noticed at once.
      await writeFile(keyFile, readPki('leaf-ec-p384.key.pkcs8.pem'));
      await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'KEY_CERT_MISMATCH', detail: expect.stringContaining(keyFile) });
      await rm(keyFile);
      await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    });

    it('works with a PKCS#12 file without a password', async () => {
      const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-rsa2048.no-password.p12') });
      await world.manager.add(addInput('dev', draft.draftId, { keyStorage: 'file' }));
      const material = await world.manager.signingMaterial('dev');
      expect(material.leaf.matchesPrivateKey(material.privateKey)).toBe(true);
      expect(material.chain).toHaveLength(1);
    });

    it('is refused for an encrypted key, which would need the passphrase at every signing', async () => {
      const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem'), passphrase: FIXTURE_PASSWORD });
      await expect(world.manager.add(addInput('dev', draft.draftId, { keyStorage: 'file' }))).rejects.toMatchObject({ code: 'KEY_FILE_ENCRYPTED' });
      await expect(world.manager.add(addInput('dev', draft.draftId))).resolves.toMatchObject({ key: { kind: 'keychain' } });
    });

    it('moves into the keychain on request, and cannot move back without naming the file', async () => {
      const draft = await world.drafts.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.pkcs8.pem') });
      await world.manager.add(addInput('dev', draft.draftId, { keyStorage: 'file' }));
      const { definition } = await world.manager.edit({ name: 'dev', keyStorage: 'keychain' });
      expect(definition.key.kind).toBe('keychain');
      expect(secrets.values.size).toBe(1);
      expect((await world.manager.signingMaterial('dev')).leaf.subject).toContain('CN=leaf-ec-p256');
      await expect(world.manager.edit({ name: 'dev', keyStorage: 'file' })).rejects.toMatchObject({ code: 'KEY_FILE_UNKNOWN' });
    });
  });

  describe('edit', () => {
    it('changes fields, clears optional ones with null and says when the AWS files need a new delivery', async () => {
      await world.manager.add(addInput('dev', await openRsaDraft(world), { toolRegion: 'us-west-2', roleSessionName: 'alice' }));
      const unchanged = await world.manager.edit({ name: 'dev', durationSeconds: 7200, roleSessionName: null });
      expect(unchanged.redeliver).toBe(false);
      expect(unchanged.definition.durationSeconds).toBe(7200);
      expect(unchanged.definition.roleSessionName).toBeUndefined();
      expect(unchanged.definition.toolRegion).toBe('us-west-2');

      expect((await world.manager.edit({ name: 'dev', toolRegion: null })).redeliver).toBe(true);
      expect((await world.manager.get('dev')).toolRegion).toBeUndefined();
      expect((await world.manager.edit({ name: 'dev', delivery: 'process' })).redeliver).toBe(true);
      await expect(world.manager.edit({ name: 'dev', profileArn: OTHER_REGION_PROFILE_ARN })).rejects.toMatchObject({ code: 'REGION_MISMATCH' });
      await expect(world.manager.edit({ name: 'nope', durationSeconds: 900 })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    });

    it('rotates the certificate and key with a new draft, replacing the keychain item', async () => {
      const before = await world.manager.add(addInput('dev', await openRsaDraft(world)));
      const oldMaterial = await world.manager.signingMaterial('dev');
      const { definition } = await world.manager.edit({ name: 'dev', draftId: await openRsaDraft(world, 'leaf-ec-p256') });
      expect(definition.key).not.toEqual(before.key);
      expect([...secrets.values.keys()]).toEqual([definition.key.kind === 'keychain' ? definition.key.account : '']);
      const material = await world.manager.signingMaterial('dev');
      expect(material.leaf.subject).toContain('CN=leaf-ec-p256');
      expect(material.privateKey).not.toBe(oldMaterial.privateKey);
      expect(material.leaf.matchesPrivateKey(material.privateKey)).toBe(true);
    });
  });

  it('loads the signing key once and reuses it until the profile changes', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const first = await world.manager.signingMaterial('dev');
    expect(first.serialDecimal).toBe(first.leaf.serialDecimal);
    secrets.failure = 'KEYCHAIN_LOCKED';
    expect((await world.manager.signingMaterial('dev')).privateKey).toBe(first.privateKey);
    secrets.failure = undefined;
    await world.clock.advance(1000);
    await world.manager.edit({ name: 'dev', durationSeconds: 900 });
    secrets.failure = 'KEYCHAIN_LOCKED';
    await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' });
  });

  it('keeps a profile whose keychain item cannot be deleted, so no key is orphaned', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    secrets.failure = 'KEYCHAIN_LOCKED';
    await expect(world.manager.remove('dev')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' });
    expect((await world.manager.list()).map((profile) => profile.name)).toEqual(['dev']);
    secrets.failure = undefined;
    await world.manager.remove('dev');
    expect(secrets.values.size).toBe(0);
    expect(await world.manager.list()).toEqual([]);
  });

  it('reports a keychain item deleted behind its back as KEYCHAIN_ITEM_MISSING', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    secrets.values.clear();
    await expect(world.manager.signingMaterial('dev')).rejects.toMatchObject({ code: 'KEYCHAIN_ITEM_MISSING', detail: 'dev' });
  });
});
