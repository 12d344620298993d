// The headless agent's life as the CLI sees it: the first command starts it behind a private socket,
// commands started together share one agent, it exits when idle with nothing active (and only then),
// and `credential-process --profile` still answers, one-shot, when no agent can start.
import { chmod, mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt, runCli } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { agentPids, eventually } from './agent-processes';
import { addFixtureProfile, stopAgent, uniqueName } from './agent-profiles';

const IDLE_MS = 1500;

let sandbox: Sandbox;
const envs: IsolatedEnv[] = [];

async function isolatedEnv(extra: NodeJS.ProcessEnv = {}): Promise<IsolatedEnv> {
  const env = await createIsolatedEnv(extra);
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

const socketExists = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined))?.isSocket() ?? false;

describe('the agent started by the CLI', () => {
  it('is started by the first command, behind a socket only the user can reach', async () => {
    const env = await isolatedEnv();
    expect(await socketExists(env.socketPath)).toBe(false);
    const status = await env.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([]);
    const socket = await stat(env.socketPath);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect((await stat(dirname(env.socketPath))).mode & 0o777).toBe(0o700);
    const agent = await env.agent();
    expect(agent.info.host).toBe('headless');
    expect(await agentPids(env.dataDir)).toEqual([agent.info.pid]);
  });

  it('is started once when two commands need it at the same time', async () => {
    const env = await isolatedEnv();
    const results = await Promise.all([env.cli(['status', '--json']), env.cli(['status', '--json']), env.cli(['status', '--json'])]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const agent = await env.agent();
    // An agent that lost the race exits at once; only the one on the socket stays.
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 1)).toEqual([agent.info.pid]);
  });

  it('is started by the next command when a starter died before its agent listened', async () => {
    const env = await isolatedEnv();
    const marker = join(dirname(env.socketPath), 'agent.starting');
    await mkdir(dirname(env.socketPath), { recursive: true, mode: 0o700 });
    await writeFile(marker, '');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(marker, longAgo, longAgo);
    const started = Date.now();
    const status = await env.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    // Well before the 10 s a command waits for an agent another one is starting.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await agentPids(env.dataDir)).toHaveLength(1);
    expect(await stat(marker).catch(() => undefined)).toBeUndefined();
  });

  it('exits when idle with nothing active, removing its socket', async () => {
    const env = await isolatedEnv({ ROLECALL_AGENT_IDLE_MS: String(IDLE_MS) });
    expect((await env.cli(['status'])).code).toBe(0);
    const [pid] = await agentPids(env.dataDir);
    expect(pid).toBeGreaterThan(0);
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 0, IDLE_MS + 5000)).toEqual([]);
    expect(await socketExists(env.socketPath)).toBe(false);
  });

  it('stays while a profile is active, and exits once it is deactivated', async () => {
    const env = await isolatedEnv({ ROLECALL_AGENT_IDLE_MS: String(IDLE_MS) });
    const name = uniqueName('kept');
    await addFixtureProfile(env, sandbox, name);
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
    const [pid] = await agentPids(env.dataDir);
    // Three idle periods with no client: the active session keeps it.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
    expect(await agentPids(env.dataDir)).toEqual([pid]);
    const deactivated = await env.cli(['deactivate', name]);
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 0, IDLE_MS * 2 + 5000)).toEqual([]);
  });

  it('stays while a credentials endpoint runs (rolecall serve), and exits once it stops', async () => {
    const env = await isolatedEnv({ ROLECALL_AGENT_IDLE_MS: String(IDLE_MS) });
    const name = uniqueName('served');
    await addFixtureProfile(env, sandbox, name);
    const agent = await env.agent();
    const endpoint = await agent.call('endpoint.start', { names: [name] });
    await agent.close();
    const [pid] = await agentPids(env.dataDir);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
    expect(await agentPids(env.dataDir)).toEqual([pid]);
    const again = await env.agent();
    expect(await again.call('endpoint.stop', { id: endpoint.id })).toEqual({ stopped: true });
    await again.close();
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 0, IDLE_MS * 2 + 5000)).toEqual([]);
  });
});

describe('when no agent can start', () => {
  /** Makes the agent's socket folder open to everyone: agent and clients refuse it. */
  async function openSocketFolder(env: IsolatedEnv): Promise<void> {
    await mkdir(dirname(env.socketPath), { recursive: true });
    await chmod(dirname(env.socketPath), 0o777);
  }

  it('commands that need the agent say the socket folder is unsafe', async () => {
    const env = await isolatedEnv();
    await openSocketFolder(env);
    const status = await env.cli(['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('[AGENT_SOCKET_UNSAFE]');
    const agent = await env.cli(['agent']);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('[AGENT_SOCKET_UNSAFE]');
    expect(await agentPids(env.dataDir)).toEqual([]);
  });

  it('credential-process --profile answers one-shot from the session the agent cached in the keychain', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('cached');
    await addFixtureProfile(env, sandbox, name);
    const first = await env.cli(['credential-process', '--profile', name]);
    expect(first.code, first.stderr).toBe(0);
    await stopAgent(env);
    await openSocketFolder(env);
    const minted = sandbox.requests.count('CreateSession', 201);
    const second = await env.cli(['credential-process', '--profile', name]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(sandbox.requests.count('CreateSession', 201)).toBe(minted);
    expect(await agentPids(env.dataDir)).toEqual([]);
  });

  it.each([
    ['a socket folder others can enter', async (env: IsolatedEnv) => {
      await openSocketFolder(env);
      return env.env;
    }],
    ['XDG_RUNTIME_DIR naming a file', async (env: IsolatedEnv) => {
      const file = join(env.root, 'not-a-folder');
      await writeFile(file, '');
      return { ...env.env, XDG_RUNTIME_DIR: file };
    }],
  ])('credential-process --profile mints one-shot once, then reuses the cached session: %s', async (_label, breakAgent) => {
    const env = await isolatedEnv();
    const name = uniqueName('fresh');
    await addFixtureProfile(env, sandbox, name);
    await stopAgent(env);
    const brokenEnv = await breakAgent(env);
    const minted = sandbox.requests.count('CreateSession', 201);
    const first = await runCli(['credential-process', '--profile', name], { env: brokenEnv });
    expect(first.code, first.stderr).toBe(0);
    const { AccessKeyId } = JSON.parse(first.stdout) as { AccessKeyId: string };
    expect(sandbox.issuedCredentials(AccessKeyId)).toBeDefined();
    const second = await runCli(['credential-process', '--profile', name], { env: brokenEnv });
    expect(second.stdout).toBe(first.stdout);
    expect(sandbox.requests.count('CreateSession', 201)).toBe(minted + 1);
    expect(await agentPids(env.dataDir)).toEqual([]);
  });
});
