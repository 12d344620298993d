// The agent as separate processes: started in the background by ensureAgent, racing, crashing, idling
// out and handing over to the app. The child is tests/core/agent/children/stub-agent.ts, the real server
// with stub handlers.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentClient } from '../../../src/core/agent/client';
import { connectAgent, nobodyListens } from '../../../src/core/agent/client';
import { ensureAgent } from '../../../src/core/agent/ensure';
import { takeOver } from '../../../src/core/agent/hand-over';
import type { AgentServer } from '../../../src/core/agent/server';
import { startAgentServer } from '../../../src/core/agent/server';
import type { AgentInfo } from '../../../src/shared/model';
import { bundleForNode } from '../../helpers/bundle-for-node';

/** The stub agent's exit code when it finds another agent already answering. */
const ALREADY_RUNNING_EXIT = 3;

interface Started {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
}

describe('agent lifecycle across processes', () => {
  let bundleDir: string;
  let script: string;
  let dir: string;
  let socketPath: string;
  let started: Started[];
  const clients: AgentClient[] = [];
  const servers: AgentServer[] = [];

  const appInfo = (): AgentInfo => ({ pid: process.pid, host: 'app', version: 'test', startedAt: new Date().toISOString(), dataDir: dir });

  /** What the lead's spawnAgent does for `rolecall agent`: detached, no stdio, unref'd. */
  const spawnStub = (...args: string[]): ChildProcess => {
    const child = spawn(process.execPath, [script, socketPath, ...args], { detached: true, stdio: 'ignore' });
    child.unref();
    started.push({ child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) });
    return child;
  };
  const ensure = async (spawnAgent: () => ChildProcess | void = () => spawnStub(), timeoutMs = 10_000) => {
    const client = await ensureAgent({ socketPath, spawnAgent, timeoutMs });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), 'rolecall-agent-bundle-'));
    script = await bundleForNode(join(import.meta.dirname, 'children', 'stub-agent.ts'), bundleDir);
  });
  afterAll(async () => {
    await rm(bundleDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-agent-'));
    socketPath = join(dir, 'run', 'agent.sock');
    started = [];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(started.map(({ exit }) => exit));
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the headless agent in the background when none runs, and connects to it', async () => {
    const client = await ensure();
    expect(started).toHaveLength(1);
    expect(client.info).toMatchObject({ pid: started[0]!.child.pid, host: 'headless' });
    expect(await client.call('agent.info', {})).toEqual(client.info);
  });

  it('connects to a running agent without starting another', async () => {
    servers.push(await startAgentServer({ socketPath, info: appInfo(), handlers: {}, subscribe: () => () => undefined }));
    const spawnAgent = vi.fn(() => spawnStub());
    expect((await ensure(spawnAgent)).info.host).toBe('app');
    expect(spawnAgent).not.toHaveBeenCalled();
  });

  it('ends with one agent when two clients start one at the same time', async () => {
    const [first, second] = await Promise.all([ensure(), ensure()]);
    expect(started).toHaveLength(2);
    expect(first.info.pid).toBe(second.info.pid);
    const loser = started.find(({ child }) => child.pid !== first.info.pid)!;
    expect(await loser.exit).toBe(ALREADY_RUNNING_EXIT);
    expect(await first.call('agent.info', {})).toEqual(first.info);
  });

  it('reports AGENT_UNAVAILABLE as soon as the started agent exits without listening', async () => {
    const spawnAgent = () => {
      const child = spawn(process.execPath, ['-e', 'process.exit(1)'], { stdio: 'ignore' });
      started.push({ child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) });
      return child;
    };
    const begun = Date.now();
    await expect(ensure(spawnAgent, 10_000)).rejects.toMatchObject({
      code: 'AGENT_UNAVAILABLE',
      detail: `the agent exited with code 1 without listening on ${socketPath}`,
    });
    expect(Date.now() - begun).toBeLessThan(5000);
  });

  it('gives up with AGENT_UNAVAILABLE when no agent answers in time', async () => {
    const begun = Date.now();
    await expect(ensure(() => undefined, 300)).rejects.toMatchObject({
      code: 'AGENT_UNAVAILABLE',
      detail: `no agent answered on ${socketPath} within 300 ms`,
      next: 'Run `rolecall agent` in a terminal to see why it does not start.',
    });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(290);
  });

  it('recovers the socket a crashed agent left behind', async () => {
    const crashed = (await ensure()).info.pid;
    await clients.pop()!.close();
    started[0]!.child.kill('SIGKILL');
    await started[0]!.exit;
    expect((await lstat(socketPath)).isSocket()).toBe(true);
    const error = await connectAgent(socketPath).catch((e: unknown) => e);
    expect(nobodyListens(error)).toBe(true);

    const info = appInfo();
    servers.push(await startAgentServer({ socketPath, info, handlers: {}, subscribe: () => () => undefined }));
    const client = await connectAgent(socketPath);
    clients.push(client);
    expect(client.info).toEqual(info);
    expect(client.info.pid).not.toBe(crashed);
  });

  it('lets an idle headless agent exit and remove its socket once its last client leaves', async () => {
    // Idle time must exceed ensureAgent's longest pause between connection attempts (250 ms).
    const client = await ensure(() => spawnStub('500'));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(started[0]!.child.exitCode).toBeNull();
    await clients.pop()!.close();
    await client.closed;
    expect(await started[0]!.exit).toBe(0);
    await expect(lstat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  describe('the app taking over', () => {
    it('asks the headless agent to exit, after which the app binds', async () => {
      const headless = (await ensure()).info;
      await clients.pop()!.close();
      expect(await takeOver(socketPath)).toEqual(headless);
      expect(await started[0]!.exit).toBe(0);

      const info = appInfo();
      servers.push(await startAgentServer({ socketPath, info, handlers: {}, subscribe: () => () => undefined }));
      const client = await connectAgent(socketPath);
      clients.push(client);
      expect(client.info).toEqual(info);
    });

    it('does nothing when no agent runs', async () => {
      expect(await takeOver(socketPath)).toBeNull();
    });

    it('refuses to displace another app', async () => {
      servers.push(await startAgentServer({ socketPath, info: appInfo(), handlers: {}, subscribe: () => () => undefined }));
      await expect(takeOver(socketPath)).rejects.toMatchObject({ code: 'AGENT_ALREADY_RUNNING', detail: `the Rolecall app (pid ${process.pid}) is the agent` });
      const client = await connectAgent(socketPath);
      clients.push(client);
      expect(client.info.host).toBe('app');
    });
  });
});
