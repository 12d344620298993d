// Activation is durable intent: what the user activated stays activated across agent crashes, stops
// and restarts, with the real CLI, real agent processes, the test keychain and the sandbox.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IniDocument, profileSection } from '../../src/core/awsfiles';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { agentPids, eventually } from './agent-processes';
import { addFixtureProfile, stopAgent, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
const envs: IsolatedEnv[] = [];

async function isolatedEnv(): Promise<IsolatedEnv> {
  const env = await createIsolatedEnv();
  envs.push(env);
  return env;
}

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterEach(async () => {
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

afterAll(async () => {
  await sandbox?.stop();
});

interface StatusRow {
  readonly name: string;
  readonly status: string;
  readonly expiresAt?: string;
}

async function statusOf(env: IsolatedEnv, name: string): Promise<StatusRow | undefined> {
  const result = await env.cli(['status', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as StatusRow[]).find((row) => row.name === name);
}

async function keyInFile(env: IsolatedEnv, name: string): Promise<string | undefined> {
  const text = await readFile(env.credentialsFile).catch(() => Buffer.alloc(0));
  return IniDocument.parse(text).get(profileSection('credentials', name), 'aws_access_key_id');
}

async function killAgent(env: IsolatedEnv): Promise<void> {
  const pids = await agentPids(env.dataDir);
  expect(pids).toHaveLength(1);
  process.kill(pids[0]!, 'SIGKILL');
  await eventually(() => agentPids(env.dataDir), (left) => left.length === 0);
}

describe('an activation outlives the agent', () => {
  it('survives SIGKILL: the next command starts an agent that reports it active and keeps refreshing it, without minting again', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('durable');
    await addFixtureProfile(env, sandbox, name);
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
    const key = await keyInFile(env, name);
    const before = await statusOf(env, name);
    const minted = sandbox.requests.count('CreateSession');

    await killAgent(env);
    const after = await statusOf(env, name);
    expect(after).toMatchObject({ status: 'active', expiresAt: before?.expiresAt });
    expect(await keyInFile(env, name)).toBe(key);
    expect(sandbox.requests.count('CreateSession')).toBe(minted);

    const refreshed = await env.cli(['refresh', name]);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(await keyInFile(env, name)).not.toBe(key);
  });

  it('survives a plain stop, and puts back a delivery the user lost meanwhile', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('durable');
    await addFixtureProfile(env, sandbox, name);
    expect((await env.cli(['activate', name])).code).toBe(0);
    const key = await keyInFile(env, name);
    await stopAgent(env);
    await writeFile(env.credentialsFile, '[mine]\naws_access_key_id = AKIAMINE\n');

    expect((await env.cli(['status'])).code).toBe(0);
    await eventually(() => keyInFile(env, name), (held) => held === key);
    expect(await readFile(env.credentialsFile, 'utf8')).toMatch(/^\[mine\]\naws_access_key_id = AKIAMINE\n/);
  });

  it('ends only on deactivate: a deactivated profile stays inactive after a restart', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('durable');
    await addFixtureProfile(env, sandbox, name);
    expect((await env.cli(['activate', name])).code).toBe(0);
    expect((await env.cli(['deactivate', name])).code).toBe(0);
    await killAgent(env).catch(() => undefined);
    expect(await statusOf(env, name)).toMatchObject({ status: 'inactive' });
    expect(await keyInFile(env, name)).toBeUndefined();
  });
});

describe('a store the agent cannot read', () => {
  it('reaches every command as STORE_CORRUPT with the file and the fix, and is never overwritten', async () => {
    const env = await isolatedEnv();
    expect((await env.cli(['status'])).code).toBe(0);
    await stopAgent(env);
    const path = join(env.dataDir, 'profiles.json');
    const damaged = '{"schemaVersion": 2, "profiles": [';
    await writeFile(path, damaged);
    for (const args of [['status'], ['profiles', 'list'], ['activate', 'dev']]) {
      const result = await env.cli(args, { timeoutMs: 20_000 });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toContain('STORE_CORRUPT');
      expect(result.stderr).toContain(path);
      expect(result.stderr).not.toContain('AGENT_UNAVAILABLE');
    }
    expect(await readFile(path, 'utf8')).toBe(damaged);
  });
});
