// The app's agent host with real parts: the core service on a temp data folder, the agent socket on a
// temp path, and a background agent that hands over when the app starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, nobodyListens, startAgentServer } from '../../src/core/agent';
import { createMemoryLogger } from '../../src/core/log';
import { systemClock } from '../../src/core/platform/clock';
import type { AgentHost } from '../../src/main/agent-host';
import { appHostFactory } from '../../src/main/app-host';
import { appCliCommand } from '../../src/main/cli-command';
import type { AppState } from '../../src/shared/model';
import { MemorySecretStore } from '../helpers/memory-secret-store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-host-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startHost(dataDir: string, socketPath: string): Promise<{ host: AgentHost; logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const host = await appHostFactory({ version: '0.1.0', cliCommand: ['/opt/Rolecall/resources/bin/rolecall'], socketPath, secrets: new MemorySecretStore() })({
    dataDir,
    transport: () => Promise.reject(new Error('no network in this test')),
    logger,
    clock: systemClock,
  });
  return { host, logger };
}

async function refused(socketPath: string): Promise<boolean> {
  try {
    const client = await connectAgent(socketPath, { timeoutMs: 1000 });
    await client.close();
    return false;
  } catch (error) {
    return nobodyListens(error);
  }
}

describe('appHostFactory', () => {
  it('serves the core\'s operations in process and on the agent socket as the app', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'run', 'agent.sock');
    const { host } = await startHost(join(dir, 'data'), socketPath);
    cleanups.push(() => host.close());

    const state = (await host.handlers['state.get']?.({})) as AppState;
    expect(state.profiles).toEqual([]);
    expect(state.agent).toMatchObject({ host: 'app', pid: process.pid, version: '0.1.0' });

    const client = await connectAgent(socketPath);
    try {
      expect(client.info.host).toBe('app');
      await expect(client.call('state.get', {})).resolves.toMatchObject({ profiles: [], agent: { host: 'app' } });
    } finally {
      await client.close();
    }
  });

  it('takes over from a background agent, and frees the socket when closed', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'run', 'agent.sock');
    let handedOver = false;
    const headless = await startAgentServer({
      socketPath,
      info: { pid: 4242, host: 'headless', version: '0.1.0', startedAt: new Date().toISOString(), dataDir: join(dir, 'data') },
      handlers: {
        'agent.handOver': async () => {
          handedOver = true;
          setImmediate(() => void headless.stop());
          return { stopping: true };
        },
      },
      subscribe: () => () => undefined,
    });
    cleanups.push(() => headless.stop());

    const { host, logger } = await startHost(join(dir, 'data'), socketPath);
    expect(handedOver).toBe(true);
    expect(logger.entries.find((entry) => entry.message === 'Took over from the background agent')?.fields).toEqual({ pid: 4242 });
    const client = await connectAgent(socketPath);
    expect(client.info.host).toBe('app');
    await client.close();

    await host.close();
    expect(await refused(socketPath)).toBe(true);
  });
});

describe('appCliCommand', () => {
  const base = { resourcesPath: '/opt/Rolecall/resources', appPath: '/home/u/rolecall', env: {} };

  it('points credential_process at the installed wrapper, or the project launcher in development', () => {
    expect(appCliCommand({ ...base, isPackaged: true, platform: 'linux' })).toEqual(['/opt/Rolecall/resources/bin/rolecall']);
    expect(appCliCommand({ ...base, isPackaged: true, platform: 'darwin', resourcesPath: '/Applications/Rolecall.app/Contents/Resources' })).toEqual([
      '/Applications/Rolecall.app/Contents/Resources/bin/rolecall',
    ]);
    expect(appCliCommand({ ...base, isPackaged: true, platform: 'win32', resourcesPath: 'C:\\Program Files\\Rolecall\\resources' })).toEqual([
      'C:\\Program Files\\Rolecall\\resources\\bin\\rolecall.cmd',
    ]);
    expect(appCliCommand({ ...base, isPackaged: false, platform: 'linux' })).toEqual(['/home/u/rolecall/bin/rolecall.mjs']);
  });

  it('relies on the CLI on PATH for an AppImage, whose files vanish when it exits', () => {
    expect(appCliCommand({ ...base, isPackaged: true, platform: 'linux', env: { APPIMAGE: '/home/u/Rolecall.AppImage' } })).toEqual(['rolecall']);
  });
});
