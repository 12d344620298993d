// A private world for tests that run the real CLI and agent: temp HOME, Rolecall data folder, agent
// socket folder and AWS files. The keychain is the test run's throwaway gnome-keyring (npm test runs
// everything inside a private D-Bus session). stop() ends the agent the CLI started in the background.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentSocketPathFor, connectAgent, type AgentClient } from '../../src/core/agent';
import { runCli, type CliOptions, type CliResult } from './cli';

export interface IsolatedEnv {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly credentialsFile: string;
  readonly configFile: string;
  readonly socketPath: string;
  cli(args: readonly string[], options?: Omit<CliOptions, 'env'>): Promise<CliResult>;
  /** A direct connection to the agent the CLI started (for setting up profiles quickly). */
  agent(): Promise<AgentClient>;
  stop(): Promise<void>;
}

export async function createIsolatedEnv(extraEnv: NodeJS.ProcessEnv = {}): Promise<IsolatedEnv> {
  const root = await mkdtemp(join(tmpdir(), 'rolecall-env-'));
  const dataDir = join(root, 'data');
  const runtimeDir = join(root, 'run');
  await Promise.all([mkdir(join(root, '.aws'), { recursive: true }), mkdir(runtimeDir, { recursive: true, mode: 0o700 })]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: root,
    ROLECALL_HOME: dataDir,
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_CONFIG_HOME: join(root, '.config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(root, '.aws', 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extraEnv,
  };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
    if (!(name in extraEnv)) delete env[name];
  }
  const socketPath = agentSocketPathFor(dataDir, env);
  const clients: AgentClient[] = [];
  return {
    root,
    env,
    dataDir,
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE as string,
    configFile: env.AWS_CONFIG_FILE as string,
    socketPath,
    cli: (args, options = {}) => runCli(args, { ...options, env }),
    async agent() {
      const client = await connectAgent(socketPath);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.close()));
      // The background agent gives way on hand-over, the way it does when the app starts.
      try {
        const client = await connectAgent(socketPath, { timeoutMs: 1000 });
        await client.call('agent.handOver', {}).catch(() => undefined);
        await client.closed;
      } catch {
        // No agent was running.
      }
      // The agent closes its socket before its last log lines reach the disk: removing the folder may
      // meet a file written after the listing (ENOTEMPTY), which a retry clears.
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
