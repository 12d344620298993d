// The agent as the app hosts it: the core's service plus the agent socket, so the CLI talks to the app's
// sessions. A headless agent that runs already is asked to hand over first (all its state is in the
// store and keychain).
import { homedir } from 'node:os';
import { defaultSocketPath, startAgentServer, takeOver } from '../core/agent';
import { createRolecall } from '../core/rolecall';
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
    // The same socket the CLI looks for (XDG_RUNTIME_DIR when set), or the CLI would start a second agent.
    const socketPath = options.socketPath ?? defaultSocketPath({ env: process.env, dataDir, platform: process.platform, uid: process.getuid?.() ?? 0 });
    const sandbox = hostDemoSandbox(dataDir);
    const previous = await takeOver(socketPath);
    if (previous) logger.info('Took over from the background agent', { pid: previous.pid });
    const rolecall = await createRolecall({
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
      startDemoSandbox: () => sandbox.start(),
      trustSandboxCa: (pem, source) => sandbox.trustCa(pem, source),
      setupSandbox: () => sandbox.controlPlane(),
    });
    let server: Awaited<ReturnType<typeof startAgentServer>>;
    try {
      // No idle exit: the app's agent lives as long as the app.
      server = await startAgentServer({ socketPath, info: rolecall.info, handlers: rolecall.handlers, subscribe: rolecall.subscribe, logger, isBusy: rolecall.isBusy, clock });
    } catch (error) {
      await rolecall.close();
      throw error;
    }
    logger.info('Agent started in the app', { pid: process.pid, socket: server.socketPath });
    return {
      handlers: rolecall.handlers,
      subscribe: rolecall.subscribe,
      recheck: () => rolecall.recheck(),
      close: async () => {
        await server.stop();
        await rolecall.close();
        await sandbox.stop();
      },
    };
  };
}
