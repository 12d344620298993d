// Delivery through real AWS files in a temp folder, at explicit paths (never the developer's ~/.aws).
import { execFile } from 'node:child_process';
import { access, chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileManager } from '../../../src/core/profiles';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { CLI_COMMAND, SESSION, USER_CONFIG, USER_CREDENTIALS, addInput, createWorld, filesUnder, openRsaDraft, type World } from './helpers';

const run = promisify(execFile);

describe('ProfileDelivery', () => {
  let world: World;
  let secrets: MemorySecretStore;

  beforeEach(async () => {
    secrets = new MemorySecretStore();
    world = await createWorld(secrets);
    await writeFile(world.awsPaths.credentials, USER_CREDENTIALS, { mode: 0o600 });
    await writeFile(world.awsPaths.config, USER_CONFIG, { mode: 0o600 });
  });
  afterEach(async () => {
    await world.dispose();
  });

  const credentialsText = () => readFile(world.awsPaths.credentials, 'utf8');
  const configText = () => readFile(world.awsPaths.config, 'utf8');

  it('file mode: writes [NAME] in the credentials file and withdraws it byte for byte', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.manager.delivery.deliver('dev', SESSION);
    const delivered = await credentialsText();
    expect(delivered.startsWith(USER_CREDENTIALS)).toBe(true);
    expect(delivered.slice(USER_CREDENTIALS.length)).toContain(`[dev]\naws_access_key_id = ${SESSION.accessKeyId}\naws_secret_access_key = ${SESSION.secretAccessKey}\naws_session_token = ${SESSION.sessionToken}\n`);
    expect(await configText()).toBe(USER_CONFIG);
    expect(await world.repository.getDelivery('dev')).toEqual({
      name: 'dev',
      paths: world.awsPaths,
      owned: { credentials: { keys: ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'], createdSection: true } },
    });
    // The store records ownership, never the secrets.
    expect(await readFile(world.repository.path, 'utf8')).not.toContain(SESSION.secretAccessKey);

    await world.manager.delivery.deliver('dev', { ...SESSION, accessKeyId: 'ASIAREFRESHED0000002' });
    expect(await credentialsText()).toContain('ASIAREFRESHED0000002');
    expect(await credentialsText()).not.toContain(SESSION.accessKeyId);

    await world.manager.delivery.withdraw('dev');
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await world.repository.getDelivery('dev')).toBeUndefined();
    // Withdrawing twice is harmless.
    await world.manager.delivery.withdraw('dev');
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
  });

  it('process mode: writes a credential_process line that runs the CLI, and withdraws it byte for byte', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world), { delivery: 'process' }));
    await world.manager.delivery.deliver('dev', SESSION);
    const config = await configText();
    expect(config.startsWith(USER_CONFIG)).toBe(true);
    const line = /^credential_process = (.*)$/m.exec(config.slice(USER_CONFIG.length))?.[1] ?? '';
    // What a shell makes of the line is the argv the SDKs will run.
    const { stdout } = await run('sh', ['-c', `printf '%s\\n' ${line}`]);
    expect(stdout.trim().split('\n')).toEqual([...CLI_COMMAND, 'credential-process', '--profile', 'dev']);
    expect(config).not.toContain(SESSION.secretAccessKey);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);

    await world.manager.delivery.withdraw('dev');
    expect(await configText()).toBe(USER_CONFIG);
  });

  it('switches mode without a gap, and leaves the other file as it was', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.manager.delivery.deliver('dev', SESSION);
    const { redeliver } = await world.manager.edit({ name: 'dev', delivery: 'process' });
    expect(redeliver).toBe(true);
    await world.manager.delivery.deliver('dev', SESSION);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await configText()).toMatch(/\[profile dev\]\ncredential_process = .*credential-process --profile dev\n$/);

    await world.manager.edit({ name: 'dev', delivery: 'file' });
    await world.manager.delivery.deliver('dev', SESSION);
    expect(await configText()).toBe(USER_CONFIG);
    expect(await credentialsText()).toContain(SESSION.sessionToken);
    await world.manager.delivery.withdraw('dev');
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await configText()).toBe(USER_CONFIG);
  });

  it('writes the tool region only when set, and never over a region the user wrote', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world), { toolRegion: 'us-west-2' }));
    await world.manager.add(addInput('tools', await openRsaDraft(world), { toolRegion: 'us-east-1', delivery: 'process' }));
    await world.manager.add(addInput('plain', await openRsaDraft(world)));
    for (const name of ['dev', 'tools', 'plain']) await world.manager.delivery.deliver(name, SESSION);
    const config = await configText();
    expect(config).toContain('[profile dev]\nregion = us-west-2\n');
    // The user's own region for [profile tools] stays.
    expect(config).toContain('[profile tools]\nregion = ap-southeast-2\n');
    expect(config).not.toContain('us-east-1');
    expect(config).not.toContain('[profile plain]');

    // Clearing the tool region removes what Rolecall wrote.
    await world.manager.edit({ name: 'dev', toolRegion: null });
    await world.manager.delivery.deliver('dev', SESSION);
    expect(await configText()).not.toContain('[profile dev]');
    for (const name of ['dev', 'tools', 'plain']) await world.manager.delivery.withdraw(name);
    expect(await configText()).toBe(USER_CONFIG);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
  });

  it('refuses to deliver over credentials that appeared after the profile was added', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    const foreign = `${USER_CREDENTIALS}[dev]\naws_access_key_id = AKIALATECOMER0000001\n`;
    await writeFile(world.awsPaths.credentials, foreign);
    await expect(world.manager.delivery.deliver('dev', SESSION)).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN' });
    expect(await credentialsText()).toBe(foreign);
  });

  it('delivers a sandbox profile into its own files and leaves the user\'s alone', async () => {
    const credentialsFile = join(world.dataDir, 'sandbox', 'credentials');
    const configFile = join(world.dataDir, 'sandbox', 'config');
    const definition = await world.manager.add(addInput('demo', await openRsaDraft(world), { delivery: 'process' }), { credentialsFile, configFile });
    expect(world.manager.view(definition).deliveredTo).toBe(configFile);
    await world.manager.delivery.deliver('demo', SESSION);
    expect(await readFile(configFile, 'utf8')).toContain('[profile demo]\ncredential_process = ');
    await expect(access(credentialsFile)).rejects.toThrow();
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await configText()).toBe(USER_CONFIG);
  });

  it('withdraws from the files it wrote even after the user\'s AWS file paths changed', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.manager.delivery.deliver('dev', SESSION);
    const moved = new ProfileManager({
      repository: world.repository,
      drafts: world.drafts,
      secrets: new MemorySecretStore(),
      awsPaths: { credentials: join(world.root, 'elsewhere', 'credentials'), config: join(world.root, 'elsewhere', 'config') },
      clock: world.clock,
      cliCommand: CLI_COMMAND,
    });
    await moved.delivery.deliver('dev', SESSION);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    expect(await readFile(join(world.root, 'elsewhere', 'credentials'), 'utf8')).toContain(SESSION.accessKeyId);
  });

  it('rename withdraws what the old name delivered and asks for a new delivery', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await world.manager.delivery.deliver('dev', SESSION);
    const { definition, redeliver } = await world.manager.rename('dev', 'staging');
    expect(definition.name).toBe('staging');
    expect(redeliver).toBe(true);
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
    await world.manager.delivery.deliver('staging', SESSION);
    expect(await credentialsText()).toContain('[staging]\n');
    expect((await world.manager.rename('staging', 'staging')).redeliver).toBe(false);
  });

  it('rename refuses an AWS name holding someone else\'s credentials unless forced', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await expect(world.manager.rename('dev', 'prod')).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN', detail: expect.stringContaining('[prod]') });
    await world.manager.add(addInput('other', await openRsaDraft(world)));
    await expect(world.manager.rename('dev', 'other')).rejects.toMatchObject({ code: 'PROFILE_EXISTS' });
    const { definition } = await world.manager.rename('dev', 'prod', { force: true });
    expect(definition.takeOver).toBe(true);
    await world.manager.delivery.deliver('prod', SESSION);
    expect(await credentialsText()).not.toContain('AKIAUSERPROD00000001');
  });

  it('runs one delivery change per name at a time', async () => {
    await world.manager.add(addInput('dev', await openRsaDraft(world)));
    await Promise.all([
      world.manager.delivery.deliver('dev', SESSION),
      world.manager.delivery.withdraw('dev'),
      world.manager.delivery.deliver('dev', { ...SESSION, accessKeyId: 'ASIALASTONEWINS00003' }),
    ]);
    const text = await credentialsText();
    expect(text.match(/\[dev\]/g)).toHaveLength(1);
    expect(text).toContain('ASIALASTONEWINS00003');
    await world.manager.delivery.withdraw('dev');
    expect(await credentialsText()).toBe(USER_CREDENTIALS);
  });

  describe('the files\' mode, owner and existence', () => {
    const mode = async (path: string) => (await stat(path)).mode & 0o777;

    it.each([
      ['0644', 0o644, 0o600],
      ['0444', 0o444, 0o400],
    ])('a %s credentials file is readable by its owner only while delivered, and %s again after withdrawal', async (_label, original, active) => {
      await chmod(world.awsPaths.credentials, original);
      await world.manager.add(addInput('dev', await openRsaDraft(world)));
      await world.manager.delivery.deliver('dev', SESSION);
      expect(await mode(world.awsPaths.credentials)).toBe(active);
      await world.manager.delivery.deliver('dev', { ...SESSION, accessKeyId: 'ASIAREFRESHED0000002' });
      expect(await mode(world.awsPaths.credentials)).toBe(active);
      await world.manager.delivery.withdraw('dev');
      expect(await mode(world.awsPaths.credentials)).toBe(original);
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
    });

    it('keeps a shared file private until the last profile in it withdraws', async () => {
      await chmod(world.awsPaths.credentials, 0o644);
      await world.manager.add(addInput('dev', await openRsaDraft(world)));
      await world.manager.add(addInput('staging', await openRsaDraft(world)));
      await world.manager.delivery.deliver('dev', SESSION);
      await world.manager.delivery.deliver('staging', SESSION);
      await world.manager.delivery.withdraw('dev');
      expect(await mode(world.awsPaths.credentials)).toBe(0o600);
      await world.manager.delivery.withdraw('staging');
      expect(await mode(world.awsPaths.credentials)).toBe(0o644);
    });

    it('remembers the mode across a restart (a new manager on the same data folder)', async () => {
      await chmod(world.awsPaths.credentials, 0o644);
      await world.manager.add(addInput('dev', await openRsaDraft(world)));
      await world.manager.delivery.deliver('dev', SESSION);
      const restarted = new ProfileManager({ repository: world.repository, drafts: world.drafts, secrets, awsPaths: world.awsPaths, clock: world.clock, cliCommand: CLI_COMMAND });
      await restarted.delivery.withdraw('dev');
      expect(await mode(world.awsPaths.credentials)).toBe(0o644);
    });

    it('removes a credentials file it had to create, and leaves the folder', async () => {
      await rm(world.awsPaths.credentials);
      await world.manager.add(addInput('dev', await openRsaDraft(world)));
      await world.manager.delivery.deliver('dev', SESSION);
      expect(await mode(world.awsPaths.credentials)).toBe(0o600);
      await world.manager.delivery.withdraw('dev');
      await expect(access(world.awsPaths.credentials)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(join(world.root, 'aws'))).isDirectory()).toBe(true);
      expect(await configText()).toBe(USER_CONFIG);
    });

    it('removes a config file it had to create for process delivery', async () => {
      await rm(world.awsPaths.config);
      await world.manager.add(addInput('dev', await openRsaDraft(world), { delivery: 'process', toolRegion: 'eu-west-1' }));
      await world.manager.delivery.deliver('dev', SESSION);
      expect(await configText()).toContain('credential_process = ');
      await world.manager.delivery.withdraw('dev');
      await expect(access(world.awsPaths.config)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('gives a 0644 config file its mode back when file delivery only took lines out of it', async () => {
      const config = `${USER_CONFIG}\n[profile prod]\nrole_arn = arn:aws:iam::111122223333:role/Mine\nsource_profile = default\n`;
      await writeFile(world.awsPaths.config, config, { mode: 0o644 });
      await chmod(world.awsPaths.config, 0o644);
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      // Nothing of Rolecall's is left in the config file, so it is the user's mode again at once.
      expect(await mode(world.awsPaths.config)).toBe(0o644);
      await world.manager.delivery.withdraw('prod');
      expect(await configText()).toBe(config);
      expect(await mode(world.awsPaths.config)).toBe(0o644);
    });
  });

  describe('taking over a name that holds the user\'s own keys (--force)', () => {
    const USER_SECRET = 'userSecretProd';

    it('keeps the replaced lines in the keychain, never in Rolecall\'s folder, and puts them back byte for byte', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      const active = await credentialsText();
      expect(active).not.toContain(USER_SECRET);
      expect(active).toContain(`aws_access_key_id   =   ${SESSION.accessKeyId}`);
      const items = [...secrets.values].filter(([account]) => account.startsWith('taken:'));
      expect(items).toHaveLength(1);
      expect(items[0]?.[1]).toContain(USER_SECRET);
      for (const found of await filesUnder(world.dataDir)) expect(found.text, found.path).not.toContain(USER_SECRET);
      expect((await world.repository.get('prod'))?.takeOver).toBeUndefined();

      await world.manager.delivery.deliver('prod', { ...SESSION, accessKeyId: 'ASIAREFRESHED0000002' });
      await world.manager.delivery.withdraw('prod');
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
      expect([...secrets.values.keys()].filter((account) => account.startsWith('taken:'))).toEqual([]);
    });

    it('puts them back when the profile is removed', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      await world.manager.remove('prod');
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
      expect([...secrets.values.keys()].filter((account) => account.startsWith('taken:'))).toEqual([]);
    });

    it('says where they are when the user edited the section meanwhile, and puts them back once the edit is undone', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      const edited = (await credentialsText()).replace('[prod]\n', '[prod]\nregion = us-east-2\n');
      await writeFile(world.awsPaths.credentials, edited);

      const error = await world.manager.delivery.withdraw('prod').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'AWS_LINES_KEPT', detail: expect.stringMatching(/\[prod\] in .*keychain item "taken:[^"]+" of service Rolecall/) });
      expect(String((error as Error).message) + JSON.stringify(error)).not.toContain(USER_SECRET);
      const after = await credentialsText();
      expect(after).not.toContain(SESSION.secretAccessKey);
      expect(after).toContain('region = us-east-2');
      expect(await world.repository.getDelivery('prod')).toBeUndefined();

      await writeFile(world.awsPaths.credentials, after.replace('region = us-east-2\n', ''));
      await world.manager.delivery.withdraw('prod');
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
      expect([...secrets.values.keys()].filter((account) => account.startsWith('taken:'))).toEqual([]);
    });

    it('keeps them through a move to other AWS files, and puts them back into the old file later', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      const edited = (await credentialsText()).replace('[prod]\n', '[prod]\nregion = us-east-2\n');
      await writeFile(world.awsPaths.credentials, edited);
      const elsewhere = { credentials: join(world.root, 'elsewhere', 'credentials'), config: join(world.root, 'elsewhere', 'config') };
      const moved = new ProfileManager({ repository: world.repository, drafts: world.drafts, secrets, awsPaths: elsewhere, clock: world.clock, cliCommand: CLI_COMMAND });
      await moved.delivery.deliver('prod', SESSION);
      expect(await readFile(elsewhere.credentials, 'utf8')).toContain(SESSION.secretAccessKey);
      expect(await credentialsText()).not.toContain(SESSION.secretAccessKey);

      await writeFile(world.awsPaths.credentials, (await credentialsText()).replace('region = us-east-2\n', ''));
      await moved.delivery.withdraw('prod');
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
      await expect(access(elsewhere.credentials)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('changes nothing when the keychain cannot keep the lines', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      secrets.failure = 'KEYCHAIN_UNAVAILABLE';
      await expect(world.manager.delivery.deliver('prod', SESSION)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
    });

    it('withdraws its own keys even when the keychain is locked, and gives the lines back later', async () => {
      await world.manager.add(addInput('prod', await openRsaDraft(world), { force: true }));
      await world.manager.delivery.deliver('prod', SESSION);
      secrets.failure = 'KEYCHAIN_LOCKED';
      await expect(world.manager.delivery.withdraw('prod')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' });
      expect(await credentialsText()).not.toContain(SESSION.secretAccessKey);
      secrets.failure = undefined;
      await world.manager.delivery.withdraw('prod');
      expect(await credentialsText()).toBe(USER_CREDENTIALS);
    });
  });
});
