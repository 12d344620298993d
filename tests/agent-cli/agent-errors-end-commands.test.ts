// A command that talks to the agent ends on every path: an error answer, the agent going away during
// `status --watch`, and Ctrl-C. An open connection keeps a node process alive, so a path that forgets
// to close it leaves the command hanging forever (a corrupt settings file used to do that to `status`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer, type OperationHandlers } from '../../src/core/agent/server';
import { OPERATIONS } from '../../src/shared/contract';
import { RolecallError } from '../../src/shared/errors';
import type { AgentInfo } from '../../src/shared/model';
import { CLI_PATH, PROJECT_ROOT, assertCliBuilt } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { stopAgent, uniqueName } from './agent-profiles';

/** Far above a command's own work here, far below "hangs". */
const PROMPT_MS = 3000;

const envs: IsolatedEnv[] = [];

beforeAll(() => {
  assertCliBuilt();
});

afterEach(async () => {
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

async function isolatedEnv(): Promise<IsolatedEnv> {
  const env = await createIsolatedEnv();
  envs.push(env);
  return env;
}

/** Runs the CLI, measuring how long it takes to exit. */
async function timedCli(env: IsolatedEnv, args: readonly string[]) {
  const started = Date.now();
  const result = await env.cli(args, { timeoutMs: 15_000 });
  return { ...result, ms: Date.now() - started };
}

/** Starts a long-running CLI command and resolves once it has printed something. */
async function startWatching(env: IsolatedEnv, args: readonly string[]) {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: PROJECT_ROOT, env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr, at: Date.now() }));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  void exited.finally(() => clearTimeout(killer));
  await once(child.stdout, 'data');
  return { child, exited };
}

async function corruptSettings(env: IsolatedEnv): Promise<void> {
  await writeFile(join(env.dataDir, 'settings.json'), '{"startAtLogin": tru');
}

describe('commands that talk to the agent', () => {
  it('status exits with the agent\'s error when the agent answers one (a corrupt settings file)', async () => {
    const env = await isolatedEnv();
    expect((await env.cli(['status'])).code).toBe(0);
    await corruptSettings(env);
    const status = await timedCli(env, ['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('[STORE_CORRUPT]');
    expect(status.stderr).toContain('settings.json');
    expect(status.ms).toBeLessThan(PROMPT_MS);
  });

  it('status --watch exits with the agent\'s error when the first state cannot be read', async () => {
    const env = await isolatedEnv();
    expect((await env.cli(['status'])).code).toBe(0);
    await corruptSettings(env);
    const status = await timedCli(env, ['status', '--watch', '--json']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('[STORE_CORRUPT]');
    expect(status.ms).toBeLessThan(PROMPT_MS);
  });

  it('status --watch stops on Ctrl-C with exit code 0', async () => {
    const env = await isolatedEnv();
    const { child, exited } = await startWatching(env, ['status', '--watch', '--json']);
    const interrupted = Date.now();
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.split('\n')[0] ?? '')).toEqual({ event: 'state', profiles: [] });
    expect(result.at - interrupted).toBeLessThan(PROMPT_MS);
  });

  it('status --watch says the connection was lost, and exits 1, when the agent goes away', async () => {
    const env = await isolatedEnv();
    const { exited } = await startWatching(env, ['status', '--watch', '--json']);
    const stopped = Date.now();
    await stopAgent(env);
    const result = await exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[AGENT_CONNECTION_LOST]');
    expect(result.at - stopped).toBeLessThan(PROMPT_MS);
  });

  it('serve exits with the agent\'s error when the endpoint cannot start', async () => {
    const env = await isolatedEnv();
    const serve = await timedCli(env, ['serve', uniqueName('missing')]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('[PROFILE_NOT_FOUND]');
    expect(serve.ms).toBeLessThan(PROMPT_MS * 3);
  });

  it('every command that asks the agent exits with its error when every operation fails', async () => {
    const env = await isolatedEnv();
    const refusal = new RolecallError('STORE_CORRUPT', join(env.dataDir, 'profiles.json'));
    const handlers = Object.fromEntries(Object.keys(OPERATIONS).map((op) => [op, () => Promise.reject(refusal)])) as OperationHandlers;
    const info: AgentInfo = { pid: process.pid, host: 'headless', version: '0.0.0-test', startedAt: new Date().toISOString(), dataDir: env.dataDir };
    const agent = await startAgentServer({ socketPath: env.socketPath, info, handlers, subscribe: () => () => undefined });
    try {
      const name = uniqueName('refused');
      const commands = [
        ['status'],
        ['status', '--watch'],
        ['activate', name],
        ['deactivate', name],
        ['refresh', '--all'],
        ['env', name],
        ['exec', name, '--', 'true'],
        ['exec', name, '--server', '--', 'true'],
        ['serve', name],
        ['config', name],
        ['profiles', 'list'],
        ['profiles', 'show', name],
        ['profiles', 'remove', name],
        ['discover', '--using', name, '--region', 'eu-west-1'],
        ['import'],
        ['credential-process', '--profile', name],
      ];
      const results = await Promise.all(commands.map(async (args) => ({ args: args.join(' '), ...(await timedCli(env, args)) })));
      for (const result of results) {
        expect(result.code, result.args).not.toBe(0);
        expect(result.code, result.args).not.toBeNull();
        expect(result.ms, result.args).toBeLessThan(PROMPT_MS * 2);
      }
      expect(results.filter((result) => result.stderr.includes('[STORE_CORRUPT]')).map((result) => result.args)).toEqual(results.map((result) => result.args));
    } finally {
      await agent.stop();
    }
  });
});
