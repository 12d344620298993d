// profiles.edit with newName as the agent answers it: createRolecall on a temp data folder and AWS files,
// the fixture sandbox as Roles Anywhere, a memory keychain. One call renames and edits, and the active
// session follows the profile to its new name; a refused rename leaves everything as it was.
import 'reflect-metadata';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import { systemClock } from '../../src/core/platform/clock';
import { createNodeTransport } from '../../src/core/platform/node-transport';
import { createRolecall, type Rolecall } from '../../src/core/rolecall';
import type { Sandbox } from '../../src/sandbox/server';
import { OPERATIONS, type EventName, type OperationInput, type OperationName, type OperationOutput } from '../../src/shared/contract';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { pkiPath } from '../helpers/fixtures';
import { MemorySecretStore } from '../helpers/memory-secret-store';

describe('profiles.edit with newName through the agent', () => {
  let home: string;
  let sandbox: Sandbox;
  let rolecall: Rolecall;
  let events: { readonly event: EventName; readonly name: string | undefined }[];
  const transport = createNodeTransport();

  async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const handler = rolecall.handlers[name] as ((input: unknown) => Promise<OperationOutput<N>>) | undefined;
    if (!handler) throw new Error(`${name} is not handled`);
    return handler(OPERATIONS[name].input.parse(input));
  }

  const credentialsText = () => readFile(join(home, '.aws', 'credentials'), 'utf8');

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rolecall-edit-'));
    await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
    sandbox = await startFixtureSandbox();
    rolecall = await createRolecall({
      dataDir: join(home, 'data'),
      env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: join(home, '.aws', 'config') },
      platform: process.platform,
      homedir: home,
      clock: systemClock,
      transport,
      secrets: new MemorySecretStore(),
      logger: createMemoryLogger(),
      host: 'headless',
      version: '0.0.0-test',
      cliCommand: [process.execPath, 'rolecall.mjs'],
    });
    for (const name of ['dev', 'other']) {
      const draft = await call('drafts.open', { certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.pkcs8.pem'), intermediatesPath: pkiPath('intermediate-ca.cert.pem') });
      await call('profiles.add', { name, draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: sandbox.url });
    }
    await call('sessions.activate', { name: 'dev' });
    events = [];
    rolecall.subscribe((event, payload) => {
      const { name } = payload as { readonly name?: string };
      events.push({ event: event as EventName, name });
    });
  });

  afterEach(async () => {
    await rolecall.close();
    await sandbox.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('renames and edits in one call: the session follows, and subscribers see the old name go and the new one come', async () => {
    const view = await call('profiles.edit', { name: 'dev', newName: 'staging', durationSeconds: 7200, roleSessionName: 'alice' });

    expect(view).toMatchObject({ name: 'staging', durationSeconds: 7200, roleSessionName: 'alice', status: 'active' });
    expect(events).toContainEqual({ event: 'profile.removed', name: 'dev' });
    expect(events.at(-1)).toEqual({ event: 'profile.changed', name: 'staging' });
    expect(events.filter((entry) => entry.name === 'dev').map((entry) => entry.event)).toEqual(['profile.removed']);
    const names = (await call('state.get', {})).profiles.map((profile) => profile.name);
    expect(names.sort()).toEqual(['other', 'staging']);
    const credentials = await credentialsText();
    expect(credentials).toContain('[staging]\n');
    expect(credentials).not.toContain('[dev]');
    await expect(call('credentials.get', { name: 'staging' })).resolves.toMatchObject({ accessKeyId: expect.any(String) });
  });

  it('changes nothing when the new name is taken: no edit saved, no event, the session stays where it was', async () => {
    const before = await call('profiles.get', { name: 'dev' });
    const credentials = await credentialsText();

    await expect(call('profiles.edit', { name: 'dev', newName: 'other', durationSeconds: 7200 })).rejects.toMatchObject({ code: 'PROFILE_EXISTS' });

    expect(events).toEqual([]);
    expect(await call('profiles.get', { name: 'dev' })).toEqual(before);
    expect((await call('profiles.get', { name: 'other' })).durationSeconds).toBe(3600);
    expect(await credentialsText()).toBe(credentials);
  });
});
