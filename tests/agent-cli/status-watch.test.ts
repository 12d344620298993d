// `status --watch` against an agent that sends the events a test chooses: each event is checked with the
// contract's schema before it changes what is shown, and one that does not fit ends the watch with
// AGENT_INCOMPATIBLE naming the field, instead of a wrong table.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAgentServer, type AgentServer, type HostEventListener } from '../../src/core/agent/server';
import type { AgentInfo, Settings } from '../../src/shared/model';
import { CLI_PATH, PROJECT_ROOT, assertCliBuilt } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { profileView } from '../main/views';

const settings: Settings = { startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: 30 };
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  assertCliBuilt();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An agent whose state is empty and whose events are sent by `emit`, untyped as a newer agent might send them. */
async function scriptedAgent(env: IsolatedEnv): Promise<{ emit(event: string, payload: unknown): void }> {
  const listeners = new Set<HostEventListener>();
  const info: AgentInfo = { pid: process.pid, host: 'headless', version: '0.0.0-test', startedAt: new Date().toISOString(), dataDir: env.dataDir };
  const server: AgentServer = await startAgentServer({
    socketPath: env.socketPath,
    info,
    handlers: { 'state.get': () => Promise.resolve({ profiles: [], settings, agent: info }) },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  });
  cleanups.push(() => server.stop());
  return { emit: (event, payload) => listeners.forEach((listener) => (listener as (event: string, payload: unknown) => void)(event, payload)) };
}

function watch(env: IsolatedEnv, args: readonly string[]) {
  const child = spawn(process.execPath, [CLI_PATH, 'status', '--watch', ...args], { cwd: PROJECT_ROOT, env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output, exited };
}

async function setUp() {
  const env = await createIsolatedEnv();
  cleanups.push(() => env.stop());
  return { env, agent: await scriptedAgent(env) };
}

describe('status --watch', () => {
  it('prints each event that fits its schema as it came, one JSON line each', async () => {
    const { env, agent } = await setUp();
    const { child, output, exited } = watch(env, ['--json']);
    const dev = { ...profileView('dev', { status: 'active' }), addedLater: 'kept' };
    // The subscription reaches the agent a moment after the first line: send until it is heard.
    await vi.waitFor(() => {
      agent.emit('settings.changed', { ...settings, notifications: false });
      expect(output.stdout).toContain('settings.changed');
    }, { timeout: 10_000, interval: 100 });
    agent.emit('profile.changed', dev);
    agent.emit('profile.removed', { name: 'dev' });
    await vi.waitFor(() => expect(output.stdout).toContain('profile.removed'), { timeout: 10_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = output.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines[0]).toEqual({ event: 'state', profiles: [] });
    expect(lines).toContainEqual({ event: 'profile.changed', payload: dev });
    expect(lines.at(-1)).toEqual({ event: 'profile.removed', payload: { name: 'dev' } });
  }, 30_000);

  it('shows a changed profile in the table and drops it when removed', async () => {
    const { env, agent } = await setUp();
    const { child, output, exited } = watch(env, []);
    await vi.waitFor(() => {
      agent.emit('profile.changed', profileView('watched-one', { status: 'active' }));
      expect(output.stdout).toContain('watched-one');
    }, { timeout: 10_000, interval: 100 });
    const shownBefore = output.stdout.length;
    agent.emit('profile.removed', { name: 'watched-one' });
    await vi.waitFor(() => expect(output.stdout.length).toBeGreaterThan(shownBefore), { timeout: 10_000 });
    await vi.waitFor(() => expect(output.stdout.slice(shownBefore)).toContain('No profiles yet'), { timeout: 10_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 30_000);

  it('ends with AGENT_INCOMPATIBLE, naming the field but not its value, when an event does not fit', async () => {
    const { env, agent } = await setUp();
    const { output, exited } = watch(env, ['--json']);
    await vi.waitFor(() => expect(output.stdout).toContain('"state"'), { timeout: 10_000 });
    const wrong = { ...profileView('dev'), status: 'half-active-value' };
    const timer = setInterval(() => agent.emit('profile.changed', wrong), 100);
    try {
      expect(await exited).toBe(1);
    } finally {
      clearInterval(timer);
    }
    expect(output.stderr).toContain('[AGENT_INCOMPATIBLE]');
    expect(output.stderr).toContain('profile.changed');
    expect(output.stderr).toContain('at status');
    expect(output.stderr).not.toContain('half-active-value');
    expect(output.stdout).not.toContain('half-active-value');
  }, 30_000);
});
