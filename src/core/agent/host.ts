// The agent as a process hosts it: the core service behind the agent socket, with the demo sandbox the
// host offers. The desktop app and the headless `rolecall agent` both start it here; what differs
// between them (taking over a running agent, idling out, the keychain's reach in the hello) comes in
// as options. Not exported from the folder's index: that would load all of Rolecall for a client.
import type { AgentInfo, DemoSandboxInfo, SandboxTrustedCa } from '../../shared/model';
import type { SetupSandbox } from '../aws-setup/setup-operations';
import { createRolecall, type Rolecall, type RolecallOptions } from '../rolecall';
import { takeOver } from './hand-over';
import { startAgentServer, type AgentServer } from './server';

/** The demo sandbox a host runs (src/sandbox/host-demo.ts); the core only drives it. */
export interface HostedSandbox {
  start(): Promise<DemoSandboxInfo>;
  trustCa(pem: string, source: string): Promise<SandboxTrustedCa>;
  controlPlane(): Promise<SetupSandbox>;
  stop(): Promise<void>;
}

export interface HostAgentOptions extends Omit<RolecallOptions, 'startDemoSandbox' | 'trustSandboxCa' | 'setupSandbox'> {
  readonly socketPath: string;
  readonly sandbox: HostedSandbox;
  /** Asks an agent already on the socket to hand over first (the app replaces the headless agent). */
  readonly takeOver?: boolean;
  /** Exit when idle (the headless agent); without it the agent lives as long as its host. */
  readonly idle?: { readonly ms: number; readonly onIdle: () => void };
  /** What the hello tells clients, made from the service's own info; awaited before the socket opens. */
  readonly hello?: (info: AgentInfo) => AgentInfo | Promise<AgentInfo>;
  /** Closed last when the agent stops or fails to start: what the host opened for it (the transport). */
  readonly closeLast?: () => Promise<void>;
}

export interface HostedAgent {
  readonly rolecall: Rolecall;
  readonly socketPath: string;
  /** Stops, once, in order: the socket, then the service, the sandbox and closeLast. */
  stop(): Promise<void>;
}

export async function hostAgent(options: HostAgentOptions): Promise<HostedAgent> {
  const { socketPath, sandbox, takeOver: takesOver, idle, hello, closeLast, ...service } = options;
  const { logger, clock } = service;
  if (takesOver === true) {
    const previous = await takeOver(socketPath);
    if (previous) logger.info('Took over from the background agent', { pid: previous.pid });
  }
  const rolecall = await createRolecall({
    ...service,
    startDemoSandbox: () => sandbox.start(),
    trustSandboxCa: (pem, source) => sandbox.trustCa(pem, source),
    setupSandbox: () => sandbox.controlPlane(),
  });
  const closeService = async (): Promise<void> => {
    await rolecall.close();
    await sandbox.stop();
    await closeLast?.();
  };
  let server: AgentServer;
  try {
    server = await startAgentServer({
      socketPath,
      info: hello === undefined ? rolecall.info : await hello(rolecall.info),
      handlers: rolecall.handlers,
      subscribe: rolecall.subscribe,
      logger,
      clock,
      isBusy: rolecall.isBusy,
      ...(idle && { idleMs: idle.ms, onIdle: idle.onIdle }),
    });
  } catch (error) {
    await closeService();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    rolecall,
    socketPath: server.socketPath,
    stop: () => (stopping ??= server.stop().then(closeService)),
  };
}
