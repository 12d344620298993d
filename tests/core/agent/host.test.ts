// hostAgent(): the core service behind the agent socket, as the app and the headless agent start it.
// Real parts: the core on a temp data folder, the socket on a temp path, a real client; the sandbox is
// the host's port, recorded here to see when it is stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, nobodyListens, startAgentServer } from '../../../src/core/agent';
import { hostAgent, type HostAgentOptions, type HostedSandbox } from '../../../src/core/agent/host';
import { createMemoryLogger } from '../../../src/core/log';
import { systemClock } from '../../../src/core/platform/clock';
import { RolecallError } from '../../../src/shared/errors';
import { MemorySecretStore } from '../../helpers/memory-secret-store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-hostagent-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function answers(socketPath: string): Promise<boolean> {
  try {
    const client = await connectAgent(socketPath, { timeoutMs: 1000 });
    await client.close();
    return true;
  } catch (error) {
    if (nobodyListens(error)) return false;
    throw error;
  }
}

/** The steps of a stop as they happen, with whether the socket still answered at each. */
function recorder(socketPath: string) {
  const steps: string[] = [];
  const sandbox: HostedSandbox = {
    start: () => Promise.reject(new Error('not in this test')),
    trustCa: () => Promise.reject(new Error('not in this test')),
    controlPlane: () => Promise.reject(new Error('not in this test')),
    stop: async () => {
      steps.push(`sandbox stopped, socket ${(await answers(socketPath)) ? 'answers' : 'closed'}`);
    },
  };
  return { steps, sandbox, closeLast: async () => void steps.push('transport closed') };
}

function options(dir: string, overrides: Partial<HostAgentOptions> = {}): HostAgentOptions {
  const socketPath = join(dir, 'run', 'agent.sock');
  const { sandbox, closeLast } = recorder(socketPath);
  return {
    socketPath,
    sandbox,
    closeLast,
    dataDir: join(dir, 'data'),
    env: {},
    platform: process.platform,
    homedir: dir,
    clock: systemClock,
    transport: () => Promise.reject(new Error('no network in this test')),
    secrets: new MemorySecretStore(),
    logger: createMemoryLogger(),
    host: 'headless',
    version: '0.1.0',
    cliCommand: ['/usr/bin/rolecall'],
    ...overrides,
  };
}

describe('hostAgent', () => {
  it('serves the core\'s operations on the socket with the hello the host makes', async () => {
    const dir = tempDir();
    let reach: 'reachable' | 'unreachable' = 'unreachable';
    const agent = await hostAgent(options(dir, {
      hello: (info) => ({
        ...info,
        get keychain() {
          return reach;
        },
      }),
    }));
    cleanups.push(() => agent.stop());
    expect(agent.rolecall.info).toMatchObject({ host: 'headless', version: '0.1.0' });

    const first = await connectAgent(agent.socketPath);
    expect(first.info).toMatchObject({ host: 'headless', keychain: 'unreachable' });
    await expect(first.call('state.get', {})).resolves.toMatchObject({ profiles: [], agent: { host: 'headless' } });
    await first.close();
    // Written per connection: the host's getter is read again.
    reach = 'reachable';
    const second = await connectAgent(agent.socketPath);
    expect(second.info.keychain).toBe('reachable');
    await second.close();
  });

  it('stops once, in order: the socket, the service, the sandbox, then what the host opened', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'run', 'agent.sock');
    const { steps, sandbox, closeLast } = recorder(socketPath);
    const agent = await hostAgent(options(dir, { sandbox, closeLast }));
    expect(await answers(socketPath)).toBe(true);

    await Promise.all([agent.stop(), agent.stop()]);
    await agent.stop();
    expect(steps).toEqual(['sandbox stopped, socket closed', 'transport closed']);
  });

  it('closes what it opened when the socket is taken, and leaves the agent there alone', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'run', 'agent.sock');
    const info = { pid: 4242, host: 'headless' as const, version: '0.1.0', startedAt: new Date().toISOString(), dataDir: join(dir, 'data') };
    const running = await startAgentServer({ socketPath, info, handlers: {}, subscribe: () => () => undefined });
    cleanups.push(() => running.stop());
    const { steps, sandbox, closeLast } = recorder(socketPath);

    const error = await hostAgent(options(dir, { sandbox, closeLast })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolecallError);
    expect((error as RolecallError).code).toBe('AGENT_ALREADY_RUNNING');
    expect(steps).toEqual(['sandbox stopped, socket answers', 'transport closed']);
    const client = await connectAgent(socketPath);
    expect(client.info.pid).toBe(4242);
    await client.close();
  });

  it('takes over from the agent on the socket first when asked', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'run', 'agent.sock');
    const info = { pid: 4242, host: 'headless' as const, version: '0.1.0', startedAt: new Date().toISOString(), dataDir: join(dir, 'data') };
    const running = await startAgentServer({
      socketPath,
      info,
      handlers: {
        'agent.handOver': async () => {
          setImmediate(() => void running.stop());
          return { stopping: true };
        },
      },
      subscribe: () => () => undefined,
    });
    cleanups.push(() => running.stop());
    const logger = createMemoryLogger();

    const agent = await hostAgent(options(dir, { takeOver: true, host: 'app', logger }));
    cleanups.push(() => agent.stop());
    expect(logger.entries.find((entry) => entry.message === 'Took over from the background agent')?.fields).toEqual({ pid: 4242 });
    const client = await connectAgent(socketPath);
    expect(client.info).toMatchObject({ host: 'app', pid: process.pid });
    await client.close();
  });

  it('idles out when asked to, once nobody is connected and nothing is active', async () => {
    const dir = tempDir();
    let idled!: () => void;
    const idle = new Promise<void>((resolve) => (idled = resolve));
    const agent = await hostAgent(options(dir, { idle: { ms: 50, onIdle: () => idled() } }));
    cleanups.push(() => agent.stop());
    await expect(idle).resolves.toBeUndefined();
    expect(await answers(agent.socketPath)).toBe(true);
  });
});
