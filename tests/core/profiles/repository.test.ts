import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileRepository, type ProfileDefinition } from '../../../src/core/profiles';
import { readPki } from '../../helpers/fixtures';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './helpers';

function definition(name: string, extra: Partial<ProfileDefinition> = {}): ProfileDefinition {
  return {
    name,
    certificatePem: readPki('leaf-ec-p256.cert.pem'),
    chainPem: [readPki('intermediate-ca.cert.pem')],
    key: { kind: 'keychain', account: `key:${name}` },
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: ROLE_ARN,
    durationSeconds: 3600,
    autoRefresh: true,
    delivery: 'file',
    createdAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...extra,
  };
}

describe('ProfileRepository', () => {
  let dataDir: string;
  let repository: ProfileRepository;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rolecall-repository-'));
    repository = new ProfileRepository({ dataDir });
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps profiles in <dataDir>/profiles.json with schemaVersion 2 and lists them by name', async () => {
    expect(await repository.list()).toEqual([]);
    await repository.add(definition('zeta'));
    await repository.add(definition('alpha'));
    expect((await repository.list()).map((profile) => profile.name)).toEqual(['alpha', 'zeta']);
    const stored = JSON.parse(await readFile(join(dataDir, 'profiles.json'), 'utf8'));
    expect(stored.schemaVersion).toBe(2);
    expect(stored.profiles.map((profile: ProfileDefinition) => profile.name)).toEqual(['zeta', 'alpha']);
    expect(stored.deliveries).toEqual([]);
    expect(await repository.get('alpha')).toEqual(definition('alpha'));
    expect(await repository.get('missing')).toBeUndefined();
  });

  it('refuses a second profile of the same name', async () => {
    await repository.add(definition('dev'));
    await expect(repository.add(definition('dev', { durationSeconds: 900 }))).rejects.toMatchObject({ code: 'PROFILE_EXISTS' });
    expect((await repository.require('dev')).durationSeconds).toBe(3600);
  });

  it('changes, renames and removes a profile, each time checking the names', async () => {
    await repository.add(definition('dev'));
    await repository.add(definition('prod'));
    await repository.put('dev', (current) => ({ ...current, durationSeconds: 7200 }));
    expect((await repository.require('dev')).durationSeconds).toBe(7200);
    await expect(repository.put('nope', (current) => current)).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    await expect(repository.put('dev', (current) => ({ ...current, name: 'other' }))).rejects.toMatchObject({ code: 'INTERNAL' });

    await expect(repository.rename('dev', 'prod')).rejects.toMatchObject({ code: 'PROFILE_EXISTS' });
    const renamed = await repository.rename('dev', 'staging', (current) => ({ ...current, updatedAt: '2026-06-02T00:00:00.000Z' }));
    expect(renamed).toMatchObject({ name: 'staging', key: { kind: 'keychain', account: 'key:dev' }, durationSeconds: 7200, updatedAt: '2026-06-02T00:00:00.000Z' });
    await expect(repository.require('dev')).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });

    expect(await repository.remove('staging')).toBe(true);
    expect(await repository.remove('staging')).toBe(false);
    expect((await repository.list()).map((profile) => profile.name)).toEqual(['prod']);
  });

  it('loses no write when two repositories on the same file add profiles at the same time', async () => {
    const other = new ProfileRepository({ dataDir });
    const names = Array.from({ length: 16 }, (_, index) => `p${index}`);
    await Promise.all(names.map((name, index) => (index % 2 === 0 ? repository : other).add(definition(name))));
    expect((await repository.list()).map((profile) => profile.name).sort()).toEqual([...names].sort());
  });

  it('records what was delivered per AWS profile name and drops a record that owns nothing', async () => {
    await repository.add(definition('dev', { takeOver: true }));
    const paths = { credentials: '/home/u/.aws/credentials', config: '/home/u/.aws/config' };
    await repository.recordDelivery(
      { name: 'dev', paths, owned: { credentials: { keys: ['aws_access_key_id'], createdSection: true } } },
      (current) => ({ ...current, takeOver: undefined }),
    );
    expect(await repository.getDelivery('dev')).toEqual({ name: 'dev', paths, owned: { credentials: { keys: ['aws_access_key_id'], createdSection: true } } });
    expect((await repository.require('dev')).takeOver).toBeUndefined();
    await repository.recordDelivery({ name: 'dev', paths, owned: {} });
    expect(await repository.getDelivery('dev')).toBeUndefined();
  });

  it('refuses a damaged file instead of starting over empty', async () => {
    await writeFile(join(dataDir, 'profiles.json'), JSON.stringify({ schemaVersion: 1, profiles: [{ name: 'dev' }], deliveries: [] }));
    await expect(repository.list()).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(repository.add(definition('other'))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
  it('refuses a file holding two profiles of one name at load, naming it, and never overwrites it', async () => {
    const text = JSON.stringify({ schemaVersion: 2, profiles: [definition('dev'), definition('ops'), definition('dev', { durationSeconds: 900 })], deliveries: [], activations: [] });
    await writeFile(join(dataDir, 'profiles.json'), text);
    await expect(repository.list()).rejects.toMatchObject({ code: 'STORE_CORRUPT', detail: expect.stringContaining('profiles.2.name: a second entry named "dev"') });
    await expect(repository.rename('dev', 'development')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(join(dataDir, 'profiles.json'), 'utf8')).toBe(text);
  });

  it('records activations durably: rename moves one, remove drops it, deactivation clears it', async () => {
    await repository.add(definition('dev'));
    await repository.add(definition('ops'));
    await repository.setActivated('dev', true, new Date('2026-12-01T08:00:00Z'));
    await repository.setActivated('ops', true, new Date('2026-12-01T09:00:00Z'));
    await repository.setActivated('dev', true, new Date('2026-12-01T10:00:00Z'));
    expect(await new ProfileRepository({ dataDir }).activations()).toEqual([
      { name: 'dev', since: '2026-12-01T08:00:00.000Z' },
      { name: 'ops', since: '2026-12-01T09:00:00.000Z' },
    ]);
    await repository.rename('dev', 'development');
    await repository.remove('ops');
    expect((await repository.activations()).map((activation) => activation.name)).toEqual(['development']);
    await repository.setActivated('development', false, new Date());
    expect(await repository.activations()).toEqual([]);
    await expect(repository.setActivated('gone', true, new Date())).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it('upgrades a version 1 file: every profile it had delivered is an activation to resume', async () => {
    const paths = { credentials: '/home/u/.aws/credentials', config: '/home/u/.aws/config' };
    const owned = { credentials: { keys: ['aws_access_key_id'], createdSection: true } };
    await writeFile(
      join(dataDir, 'profiles.json'),
      JSON.stringify({
        schemaVersion: 1,
        profiles: [definition('dev'), definition('idle')],
        deliveries: [{ name: 'dev', paths, owned }, { name: 'removed-but-not-withdrawn', paths, owned }],
      }),
    );
    expect(await repository.activations()).toEqual([{ name: 'dev' }]);
    await repository.setActivated('idle', true, new Date('2026-12-01T08:00:00Z'));
    const stored = JSON.parse(await readFile(join(dataDir, 'profiles.json'), 'utf8'));
    expect(stored.schemaVersion).toBe(2);
    expect(stored.activations).toEqual([{ name: 'dev' }, { name: 'idle', since: '2026-12-01T08:00:00.000Z' }]);
  });
});
