// Every exchange has a deadline, end to end: a real agent whose Roles Anywhere drips its answer one
// byte every 500 ms gives up at the deadline set in its settings, and the refresh after the service
// recovers goes through at once instead of waiting on the stuck one. Real CLI, agent, keychain, sandbox.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { addFixtureProfile, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
const envs: IsolatedEnv[] = [];

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterEach(async () => {
  sandbox.switches.dripNext = 0;
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('the request deadline in the agent', () => {
  it('ends a refresh against a dripping service at the deadline from the settings, and the next refresh goes through', async () => {
    const env = await createIsolatedEnv();
    envs.push(env);
    const name = uniqueName('deadline');
    await addFixtureProfile(env, sandbox, name);
    const agent = await env.agent();
    try {
      expect(await agent.call('settings.set', { requestTimeoutSeconds: 1 })).toMatchObject({ requestTimeoutSeconds: 1 });
    } finally {
      await agent.close();
    }
    expect((await env.cli(['activate', name])).code).toBe(0);

    sandbox.switches.dripByteMs = 500;
    sandbox.switches.dripNext = 1000;
    const started = Date.now();
    const stuck = await env.cli(['refresh', name], { timeoutMs: 20_000 });
    const stuckMs = Date.now() - started;
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toContain('TIMEOUT');
    expect(stuck.stderr).toContain('1 s request deadline');
    // Three attempts of 1 s each and their backoff; before, this took minutes.
    expect(stuckMs).toBeLessThan(8000);

    sandbox.switches.dripNext = 0;
    const recoveredAt = Date.now();
    const recovered = await env.cli(['refresh', name], { timeoutMs: 20_000 });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(Date.now() - recoveredAt).toBeLessThan(3000);
  });
});
