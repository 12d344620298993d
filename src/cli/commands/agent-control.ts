// `rolecall agent status|stop|restart`: the running agent, seen and controlled from a terminal. Stopping
// is the hand-over the app's take-over uses: the agent finishes its answers, stops its timers and exits;
// activations are recorded in the store, so the next agent (restart starts it from this shell's
// environment) resumes every session without minting one that is still good.
import type { AgentClient } from '../../core/agent/client';
import { connectAgent, nobodyListens } from '../../core/agent/client';
import { takeOver } from '../../core/agent/hand-over';
import type { AgentInfo } from '../../shared/model';
import { formatHelp, parseCommandArgs, parseCommandArgsOrHelp, printJson } from '../args';
import { connect, socketPath } from '../runtime';

const STATUS_HELP = formatHelp({
  usage: 'rolecall agent status [--json]',
  summary: 'Show the running agent: which process it is, its version, how long it has run, whether it reaches the keychain, and how many sessions it keeps.',
  options: [
    ['--json', 'Print {running, socket, pid, host, version, startedAt, uptimeSeconds, keychain, activeSessions}'],
    ['--help', 'Show this help'],
  ],
  notes: ['Exit codes: 0 an agent answers; 1 none runs (or it could not be asked); 2 usage error. It never starts one.'],
});

const STOP_HELP = formatHelp({
  usage: 'rolecall agent stop',
  summary: 'Stop the background agent. Active sessions are not lost: the next command starts an agent that resumes them. (When the desktop app is the agent, quit the app instead.)',
  options: [['--help', 'Show this help']],
  notes: ['Exit codes: 0 stopped, or none was running; 1 failure (message on stderr); 2 usage error.'],
});

const RESTART_HELP = formatHelp({
  usage: 'rolecall agent restart',
  summary: 'Stop the background agent and start a new one from this shell\'s environment (its D-Bus session, its AWS_* and proxy variables). Active sessions resume in the new agent.',
  options: [['--help', 'Show this help']],
  notes: ['Exit codes: 0 restarted; 1 failure (message on stderr); 2 usage error.'],
});

const ACTIVE = new Set(['activating', 'active', 'refreshing']);

export async function status(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(STATUS_HELP);
    return 0;
  }
  const socket = socketPath();
  const agent = await runningAgent(socket);
  if (agent === undefined) {
    if (values.json) printJson({ running: false, socket });
    else process.stdout.write(`No Rolecall agent is running (it would listen on ${socket}). The next command that needs one starts it.\n`);
    return 1;
  }
  try {
    const { profiles } = await agent.call('state.get', {});
    const activeSessions = profiles.filter((profile) => ACTIVE.has(profile.status)).length;
    const { info } = agent;
    const uptimeSeconds = uptimeOf(info);
    const keychain = info.keychain ?? 'unknown';
    if (values.json) {
      printJson({ running: true, socket, pid: info.pid, host: info.host, version: info.version, startedAt: info.startedAt, uptimeSeconds, keychain, activeSessions, dataDir: info.dataDir });
      return 0;
    }
    const lines = [
      `${info.host === 'app' ? 'The Rolecall app' : 'The background agent'} (pid ${info.pid}, version ${info.version}) listens on ${socket}`,
      `  running for ${formatDuration(uptimeSeconds)} (since ${info.startedAt})`,
      `  keychain:  ${keychainWords(keychain)}`,
      `  sessions:  ${activeSessions} active of ${profiles.length} profile${profiles.length === 1 ? '' : 's'}`,
      `  data:      ${info.dataDir}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await agent.close();
  }
}

export async function stop(argv: string[]): Promise<number> {
  if (parseCommandArgsOrHelp(argv, { help: { type: 'boolean', short: 'h' } }, STOP_HELP) === undefined) return 0;
  const stopped = await stopAgent(socketPath());
  process.stdout.write(stopped === undefined ? 'No Rolecall agent was running.\n' : `Stopped the background agent (pid ${stopped.info.pid})${resumeNote(stopped.activeSessions)}.\n`);
  return 0;
}

export async function restart(argv: string[]): Promise<number> {
  if (parseCommandArgsOrHelp(argv, { help: { type: 'boolean', short: 'h' } }, RESTART_HELP) === undefined) return 0;
  const stopped = await stopAgent(socketPath());
  const agent = await connect();
  try {
    const { profiles } = await agent.call('state.get', {});
    const active = profiles.filter((profile) => ACTIVE.has(profile.status)).length;
    const before = stopped === undefined ? 'No agent was running; started' : `Stopped the agent (pid ${stopped.info.pid}) and started`;
    process.stdout.write(`${before} a new one (pid ${agent.info.pid}) from this shell's environment; ${active} active session${active === 1 ? '' : 's'}.\n`);
    return 0;
  } finally {
    await agent.close();
  }
}

async function runningAgent(socket: string): Promise<AgentClient | undefined> {
  try {
    return await connectAgent(socket);
  } catch (error) {
    if (nobodyListens(error)) return undefined;
    throw error;
  }
}

/** Asks the running agent to hand over and waits until it has gone; undefined when none was running. */
async function stopAgent(socket: string): Promise<{ readonly info: AgentInfo; readonly activeSessions: number } | undefined> {
  const agent = await runningAgent(socket);
  if (agent === undefined) return undefined;
  let activeSessions: number;
  try {
    const { profiles } = await agent.call('state.get', {});
    activeSessions = profiles.filter((profile) => ACTIVE.has(profile.status)).length;
  } finally {
    await agent.close();
  }
  // The app refuses (AGENT_ALREADY_RUNNING names it); an agent that went meanwhile is fine.
  await takeOver(socket, { onlyPid: agent.info.pid });
  return { info: agent.info, activeSessions };
}

function resumeNote(active: number): string {
  if (active === 0) return '';
  return `; its ${active} active session${active === 1 ? '' : 's'} resume${active === 1 ? 's' : ''} when the next command starts an agent (or run \`rolecall agent restart\`)`;
}

function uptimeOf(info: AgentInfo): number {
  return Math.max(0, Math.round((Date.now() - Date.parse(info.startedAt)) / 1000));
}

function keychainWords(reach: NonNullable<AgentInfo['keychain']>): string {
  if (reach === 'reachable') return 'reachable';
  if (reach === 'unreachable') return 'NOT reachable from the agent: run `rolecall agent restart` from a shell that reaches it (`rolecall doctor` tells)';
  return 'not tried yet';
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days`;
}
