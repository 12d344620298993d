// What an SDK burst looks like: many `credential-process --profile NAME` processes at once (a
// Terraform run, a parallel test suite). They must share one CreateSession, whether an agent already
// runs or they all find none and race to start one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt, type CliResult } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { agentPids } from './agent-processes';
import { addFixtureProfile, stopAgent, uniqueName } from './agent-profiles';

const PROCESSES = 50;

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

function burst(isolated: IsolatedEnv, name: string): Promise<CliResult[]> {
  return Promise.all(Array.from({ length: PROCESSES }, () => isolated.cli(['credential-process', '--profile', name], { timeoutMs: 60_000 })));
}

function expectOneSession(results: readonly CliResult[]): void {
  for (const result of results) expect(result.code, result.stderr).toBe(0);
  const outputs = new Set(results.map((result) => result.stdout));
  expect(outputs.size).toBe(1);
  const { AccessKeyId } = JSON.parse(results[0]?.stdout ?? '{}') as { AccessKeyId?: string };
  expect(sandbox.issuedCredentials(AccessKeyId ?? '')).toBeDefined();
}

describe(`${PROCESSES} parallel credential-process --profile runs`, () => {
  it('start one agent and cause exactly one CreateSession when none of them finds an agent running', { timeout: 120_000 }, async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('burst-cold');
    await addFixtureProfile(env, sandbox, name);
    await stopAgent(env);
    const isolated = env;
    const minted = sandbox.requests.count('CreateSession');
    // Every agent process seen while the burst runs: one command starts it, the others wait for it.
    const started = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const pid of await agentPids(isolated.dataDir)) started.add(pid);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const results = await burst(isolated, name).finally(() => (watching = false));
    await watcher;
    expectOneSession(results);
    expect(sandbox.requests.count('CreateSession')).toBe(minted + 1);
    expect(started.size).toBe(1);
    expect(await agentPids(isolated.dataDir)).toEqual([...started]);
  });

  it('cause exactly one CreateSession through a running agent, and none once it is cached', { timeout: 120_000 }, async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('burst-warm');
    await addFixtureProfile(env, sandbox, name);
    const minted = sandbox.requests.count('CreateSession');
    const first = await burst(env, name);
    expectOneSession(first);
    expect(sandbox.requests.count('CreateSession')).toBe(minted + 1);
    const second = await burst(env, name);
    expectOneSession(second);
    expect(second[0]?.stdout).toBe(first[0]?.stdout);
    expect(sandbox.requests.count('CreateSession')).toBe(minted + 1);
  });
});
