// `rolecall agent`: the headless agent, the one process that owns sessions when the tray app is not
// running. The CLI starts it in the background on demand; it exits when idle with nothing active, and
// gives way when the app takes over.
import { RolecallError, isRolecallError } from '../../shared/errors';
import type { HostedAgent } from '../../core/agent/host';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { clearAgentStartMarker, socketPath } from '../runtime';

declare const ROLECALL_VERSION: string;

const HELP = formatHelp({
  usage: 'rolecall agent [--idle-minutes N] | rolecall agent status|stop|restart | rolecall agent install|uninstall [--dry-run]',
  summary: 'Run the Rolecall agent in the foreground: it owns sessions, refreshes them before they expire and answers the CLI. Other commands start it in the background when needed; the desktop app hosts it itself.',
  options: [
    ['--idle-minutes N', 'Exit after N minutes with no active session, endpoint or client (default 10)'],
    ['--background', 'Started by another command: exit quietly if an agent already runs'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'rolecall agent status shows the running agent (pid, version, uptime, whether it reaches the keychain); rolecall agent stop stops it, and its active sessions resume in the next one; rolecall agent restart starts that one at once, from this shell\'s environment.',
    'The agent exits when its D-Bus session ends (the keychain is gone with it); a command that reaches the keychain replaces an agent that does not.',
    'rolecall agent install starts the agent at each login (a systemd user unit on Linux, a LaunchAgent on macOS, a Run entry on Windows), for machines without the desktop app; rolecall agent uninstall removes it. --dry-run prints what would be written.',
    EXIT_CODES_HELP,
  ],
});

export async function run(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === 'install' || subcommand === 'uninstall') return (await import('./agent-login')).run(subcommand, rest);
  if (subcommand === 'status' || subcommand === 'stop' || subcommand === 'restart') return (await import('./agent-control'))[subcommand](rest);
  const { values } = parseCommandArgs(argv, { 'idle-minutes': { type: 'string' }, background: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const idleMinutes = Number(values['idle-minutes'] ?? '10');
  if (!Number.isFinite(idleMinutes) || idleMinutes <= 0) throw new RolecallError('USAGE', `--idle-minutes ${values['idle-minutes']}`);
  const idleMs = idleOverrideMs() ?? idleMinutes * 60_000;
  const socket = socketPath();
  // Commands that found no agent wait for this one instead of starting their own (see runtime.ts)
  // until it listens; should it fail before that, they must not wait in vain.
  const clearStartMarker = () => clearAgentStartMarker(socket);
  process.once('exit', clearStartMarker);

  // Loaded here, not at the top: `agent status|stop|restart` need none of the agent's own code.
  const [{ hostAgent }, { watchSessionBus }, { ReachTrackingSecretStore }, { hostDemoSandbox }, { hostServices }] = await Promise.all([
    import('../../core/agent/host'),
    import('../../core/agent/session-bus-watch'),
    import('../../core/secrets/keychain-reach'),
    import('../../sandbox/host-demo'),
    import('../host-services'),
  ]);
  const services = await hostServices(ROLECALL_VERSION);
  const { logger, transport } = services;
  let busClosed!: () => void;
  const keychainBusClosed = new Promise<void>((resolve) => {
    busClosed = resolve;
  });
  const secrets = new ReachTrackingSecretStore(services.secrets, { onConnectionClosed: () => busClosed() });
  // Known before anyone is answered: the hello tells callers whether this agent reaches the keychain.
  const probed = secrets.probe().catch((error: unknown) => logger.warn('the agent cannot reach the keychain', { code: isRolecallError(error) ? error.code : 'INTERNAL' }));

  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    busWatch?.stop();
    logger.info('agent stopping', { code });
    // A hand-over or a gone bus can come while the agent is still starting: it stops once started.
    await (await starting.catch(() => undefined))?.stop();
    process.exit(code);
  }
  const starting: Promise<HostedAgent> = hostAgent({
    ...services,
    socketPath: socket,
    sandbox: hostDemoSandbox(services.dataDir),
    secrets,
    host: 'headless',
    onHandOver: () => void shutdown(0),
    idle: { ms: idleMs, onIdle: () => void shutdown(0) },
    // The hello is written per connection: a getter keeps the keychain's reach current.
    hello: async (info) => {
      await probed;
      return {
        ...info,
        get keychain() {
          return secrets.reach;
        },
      };
    },
    closeLast: () => transport.close(),
  });
  void keychainBusClosed.then(() => {
    logger.warn('the keychain\'s D-Bus connection has closed (the session that started the agent ended): exiting, activations resume in the next agent');
    return shutdown(0);
  });
  const busWatch = watchSessionBus({
    address: process.env.DBUS_SESSION_BUS_ADDRESS,
    ...(busCheckOverrideMs() !== undefined && { everyMs: busCheckOverrideMs() }),
    onGone: () => {
      logger.warn('the D-Bus session bus the agent started with has gone: exiting (activations resume in the next agent)');
      void shutdown(0);
    },
  });
  let agent: HostedAgent;
  try {
    agent = await starting;
  } catch (error) {
    busWatch?.stop();
    if (isRolecallError(error) && error.code === 'AGENT_ALREADY_RUNNING' && values.background) return 0;
    throw error;
  } finally {
    process.off('exit', clearStartMarker);
    clearStartMarker();
  }
  logger.info('agent started', { pid: process.pid, socket: agent.socketPath });
  if (!values.background) process.stderr.write(`Rolecall agent listening on ${agent.socketPath} (Ctrl-C to stop)\n`);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  await new Promise<never>(() => undefined);
  return 0;
}

/**
 * ROLECALL_AGENT_IDLE_MS, deliberately undocumented in --help: tests watch the agent idle out in
 * seconds, which --idle-minutes cannot express. It wins over --idle-minutes because the background
 * agent is started by other commands, which pass no flag.
 */
function idleOverrideMs(): number | undefined {
  const value = process.env.ROLECALL_AGENT_IDLE_MS;
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new RolecallError('USAGE', `ROLECALL_AGENT_IDLE_MS=${value}: give a whole number of milliseconds`);
  return ms;
}

/** ROLECALL_AGENT_BUS_CHECK_MS, undocumented like ROLECALL_AGENT_IDLE_MS: tests watch a bus end in seconds. */
function busCheckOverrideMs(): number | undefined {
  const value = process.env.ROLECALL_AGENT_BUS_CHECK_MS;
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new RolecallError('USAGE', `ROLECALL_AGENT_BUS_CHECK_MS=${value}: give a whole number of milliseconds`);
  return ms;
}
