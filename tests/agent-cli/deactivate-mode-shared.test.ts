// The credentials file's mode and owner come back with `deactivate` also when several profiles share
// the file (only once the last one leaves) and when the file belongs to another user (root running
// Rolecall for them, as under sudo). Built CLI, real agent, keychain and sandbox.
import { chown, stat, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { addFixtureProfile, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
let env: IsolatedEnv | undefined;

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

afterAll(async () => {
  await sandbox?.stop();
});

async function cli(isolated: IsolatedEnv, ...args: string[]): Promise<void> {
  const result = await isolated.cli(args);
  expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
}

const state = async (path: string) => {
  const stats = await stat(path);
  return { mode: stats.mode & 0o777, uid: stats.uid, gid: stats.gid };
};

describe('rolecall deactivate and the credentials file\'s mode', () => {
  it('gives a shared 0644 file its mode back when the last of its profiles is deactivated', async () => {
    env = await createIsolatedEnv();
    const first = uniqueName('shared-a');
    const second = uniqueName('shared-b');
    await addFixtureProfile(env, sandbox, first, { delivery: 'file' });
    await addFixtureProfile(env, sandbox, second, { delivery: 'file' });
    const before = '[default]\naws_access_key_id = AKIAEXAMPLEDEFAULT01\naws_secret_access_key = example\n';
    await writeFile(env.credentialsFile, before, { mode: 0o644 });

    await cli(env, 'activate', first);
    await cli(env, 'activate', second);
    expect((await state(env.credentialsFile)).mode).toBe(0o600);
    await cli(env, 'deactivate', first);
    // The second profile's keys are still in it.
    expect((await state(env.credentialsFile)).mode).toBe(0o600);
    await cli(env, 'deactivate', second);
    expect((await state(env.credentialsFile)).mode).toBe(0o644);
  });

  it.runIf(process.getuid?.() === 0)('gives a file of another user its owner and mode back when root ran Rolecall', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('owner');
    await addFixtureProfile(env, sandbox, name, { delivery: 'file' });
    await writeFile(env.credentialsFile, '# theirs\n', { mode: 0o644 });
    await chown(env.credentialsFile, 1234, 1234);

    await cli(env, 'activate', name);
    expect(await state(env.credentialsFile)).toEqual({ mode: 0o600, uid: 1234, gid: 1234 });
    await cli(env, 'deactivate', name);
    expect(await state(env.credentialsFile)).toEqual({ mode: 0o644, uid: 1234, gid: 1234 });
  });
});
