// The agent as the app hosts it: the core's service plus the agent socket, so the CLI talks to the app's
// sessions. A headless agent that runs already is asked to hand over first (all its state is in the
// store and keychain).
import { homedir } from 'node:os';
import { agentSocketPathFor } from '../core/agent';
import { hostAgent } from '../core/agent/host';
import { KeytarSecretStore, type SecretStore } from '../core/secrets';
import { hostDemoSandbox } from '../sandbox/host-demo';
import type { AgentHost, HostContext } from './agent-host';

export interface AppHostOptions {
  readonly version: string;
  readonly cliCommand: readonly string[];
  /** Default: the agent socket for this user and data folder. */
  readonly socketPath?: string;
  /** Default: the OS keychain. */
  readonly secrets?: SecretStore;
}

export function appHostFactory(options: AppHostOptions): (context: HostContext) => Promise<AgentHost> {
  return async ({ dataDir, transport, logger, clock }) => {
    const agent = await hostAgent({
      // The same socket the CLI looks for, or the CLI would start a second agent.
      socketPath: options.socketPath ?? agentSocketPathFor(dataDir),
      sandbox: hostDemoSandbox(dataDir),
      takeOver: true,
      dataDir,
      env: process.env,
      platform: process.platform,
      homedir: homedir(),
      clock,
      transport,
      secrets: options.secrets ?? new KeytarSecretStore(),
      logger,
      host: 'app',
      version: options.version,
      cliCommand: options.cliCommand,
    });
    logger.info('Agent started in the app', { pid: process.pid, socket: agent.socketPath });
    const { rolecall } = agent;
    return {
      handlers: rolecall.handlers,
      subscribe: rolecall.subscribe,
      recheck: () => rolecall.recheck(),
      close: () => agent.stop(),
    };
  };
}
