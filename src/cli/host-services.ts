// The outside world as the CLI hands it to the core (the headless agent and the agent-less one-shot
// mint): this process's paths and environment, the system clock, node's HTTP, the OS keychain, a log
// file in the data folder.
import { homedir } from 'node:os';
import { createFileLogger, logsDir } from '../core/log';
import { createNodeTransport, usesProxy, type NodeTransport } from '../core/platform/node-transport';
import { systemClock } from '../core/platform/clock';
import type { RolecallOptions } from '../core/rolecall';
import { KeytarSecretStore } from '../core/secrets';
import { ensureDataDir } from '../core/store';
import { cliCommand, dataDir } from './runtime';

export type HostServices = Omit<RolecallOptions, 'host' | 'startDemoSandbox' | 'onHandOver' | 'pid' | 'transport'> & { readonly transport: NodeTransport };

export async function hostServices(version: string): Promise<HostServices> {
  const dir = await ensureDataDir(dataDir());
  return {
    dataDir: dir,
    env: process.env,
    platform: process.platform,
    homedir: homedir(),
    clock: systemClock,
    transport: createNodeTransport({ useProxy: usesProxy(process.env) }),
    secrets: new KeytarSecretStore(),
    logger: createFileLogger({ dir: logsDir(dir), level: process.env.ROLECALL_DEBUG ? 'debug' : 'info' }),
    version,
    cliCommand: cliCommand(),
  };
}
