// profiles.edit with newName: the edit and the rename are one change, checked whole before anything is
// written, through real AWS files and a real store in a temp folder.
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { SESSION, USER_CREDENTIALS, addInput, createWorld, openRsaDraft, type World } from './helpers';

describe('ProfileManager.edit with a new name', () => {
  let secrets: MemorySecretStore;
  let world: World;

  beforeEach(async () => {
    secrets = new MemorySecretStore();
    world = await createWorld(secrets);
    await writeFile(world.awsPaths.credentials, USER_CREDENTIALS, { mode: 0o600 });
  });
  afterEach(async () => {
    await world.dispose();
  });

  const storeText = () => readFile(world.repository.path, 'utf8');
  const credentialsText = () => readFile(world.awsPaths.credentials, 'utf8');

  it('saves nothing when the new name is taken: not the edit, not a rotated key, not the withdrawal', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.manager.add(addInput('other', await openRsaDraft(world)));
    await world.manager.delivery.deliver('dev', SESSION);
    const store = await storeText();
    const credentials = await credentialsText();
    const items = [...secrets.values.keys()];
    const rotation = await openRsaDraft(world, 'leaf-ec-p256');

    await expect(world.manager.edit({ name: 'dev', newName: 'other', durationSeconds: 7200, roleSessionName: 'alice', draftId: rotation })).rejects.toMatchObject({ code: 'PROFILE_EXISTS', detail: 'other' });

    expect(await storeText()).toBe(store);
    expect(await credentialsText()).toBe(credentials);
    expect([...secrets.values.keys()]).toEqual(items);
    // The draft was not used up: the user can save again under a free name.
    expect(world.drafts.material(rotation).credentials.leaf).toBeDefined();
  });

  it('saves nothing when the new AWS name holds credentials Rolecall did not write', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const store = await storeText();
    await expect(world.manager.edit({ name: 'dev', newName: 'prod', delivery: 'process' })).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN' });
    expect(await storeText()).toBe(store);
  });

  it('saves nothing when the edit part is refused, even with a free new name', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const store = await storeText();
    await expect(world.manager.edit({ name: 'dev', newName: 'staging', roleSessionName: 'x' })).rejects.toMatchObject({ code: 'SESSION_NAME_INVALID' });
    expect(await storeText()).toBe(store);
    expect(await world.repository.get('staging')).toBeUndefined();
  });

  it('renames and edits in one store write, moving the activation and withdrawing the old name\'s delivery', async () => {
    const added = await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.repository.setActivated('dev', true, new Date(world.clock.now()));
    await world.manager.delivery.deliver('dev', SESSION);
    expect(await credentialsText()).toContain('[dev]\n');

    const { definition, redeliver } = await world.manager.edit({ name: 'dev', newName: 'staging', durationSeconds: 7200, delivery: 'process' });

    expect(definition).toMatchObject({ name: 'staging', durationSeconds: 7200, delivery: 'process', key: added.key, createdAt: added.createdAt });
    // The delivery mode changed, so the new name needs a delivery of its own.
    expect(redeliver).toBe(true);
    expect((await world.manager.list()).map((profile) => profile.name)).toEqual(['staging']);
    expect((await world.repository.activations()).map((activation) => activation.name)).toEqual(['staging']);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await world.repository.getDelivery('dev')).toBeUndefined();
    // The keychain item stays where it was: its account does not hold the name.
    expect([...secrets.values.keys()]).toEqual([added.key.kind === 'keychain' ? added.key.account : '']);
  });

  it('treats its own name as no rename, and rename still answers whether the old name had a delivery', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const { definition, redeliver } = await world.manager.edit({ name: 'dev', newName: 'dev', durationSeconds: 1800 });
    expect(definition).toMatchObject({ name: 'dev', durationSeconds: 1800 });
    expect(redeliver).toBe(false);

    await world.manager.delivery.deliver('dev', SESSION);
    const renamed = await world.manager.rename('dev', 'staging');
    expect(renamed).toMatchObject({ definition: { name: 'staging', durationSeconds: 1800 }, redeliver: true });
  });
});
