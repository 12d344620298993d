// What every CLI command that talks to the agent shares: where Rolecall's data and socket live, how
// the CLI launches itself (for credential_process lines and the background agent), and the connection.
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, realpathSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
// The modules themselves, not their folders' index files: `credential-process --profile` loads this on
// every SDK refresh, and the indexes pull in the agent server and the JSON store (zod, proper-lockfile).
import type { AgentClient } from '../core/agent/client';
import { DEFAULT_ENSURE_TIMEOUT_MS, ensureAgent } from '../core/agent/ensure';
import { agentSocketPathFor, isNamedPipe } from '../core/agent/socket-path';
import { defaultDataDir } from '../core/store/data-dir';

export function dataDir(): string {
  return defaultDataDir();
}

export function socketPath(): string {
  return agentSocketPathFor(dataDir());
}

/** The script that started this process (bin/rolecall.mjs, through any symlink on PATH). */
function launcherScript(): string {
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell which script started Rolecall');
  return realpathSync(script);
}

/**
 * How SDKs and the agent start this CLI, as absolute paths (SDKs spawn credential_process without a
 * shell and often without the user's PATH). The script alone when it is executable (its shebang finds
 * node), node plus the script otherwise and on Windows.
 */
export function cliCommand(): string[] {
  const script = launcherScript();
  if (process.platform !== 'win32') {
    try {
      accessSync(script, constants.X_OK);
      return [script];
    } catch {
      // Not executable (e.g. a copy): fall through to naming node.
    }
  }
  return [process.execPath, script];
}

/**
 * The agent, started in the background when none runs (as gpg-agent is). A background agent that cannot
 * reach the keychain while this process can is replaced by one started from this process's environment.
 */
export async function connect(): Promise<AgentClient> {
  const socket = socketPath();
  const agent = await connectOrStart(socket);
  if (agent.info.keychain !== 'unreachable') return agent;
  const { replaceAgentWithoutKeychain } = await import('../core/agent/keychain-hand-over');
  return replaceAgentWithoutKeychain(agent, { socketPath: socket, callerReachesKeychain, connect: () => connectOrStart(socket) });
}

/** Whether this process reaches the OS keychain: a locked keyring counts, it is this session's to unlock. */
async function callerReachesKeychain(): Promise<boolean> {
  const [{ KeytarSecretStore }, { reachAfter }] = await Promise.all([import('../core/secrets/keytar-secret-store'), import('../core/secrets/keychain-reach')]);
  try {
    await new KeytarSecretStore().probe();
    return true;
  } catch (error) {
    return reachAfter(error) === 'reachable';
  }
}

function connectOrStart(socket: string): Promise<AgentClient> {
  return ensureAgent({
    socketPath: socket,
    spawnAgent: () => {
      // Another command is starting it: wait for that one (ensureAgent keeps trying to connect).
      if (!claimAgentStart(socket)) return;
      const child = spawn(process.execPath, [launcherScript(), 'agent', '--background'], { detached: true, stdio: 'ignore', env: process.env });
      child.unref();
      return child;
    },
  });
}

/**
 * Next to the socket while a command is starting the agent; the agent removes it once it listens.
 * Without it, 50 SDK processes finding no agent at once (a Terraform run after login) each started
 * one: 46 agents loading all of Rolecall to find that one of them had won, ~4 GB and 10 s on 2 cores.
 */
export function agentStartMarker(socket: string): string {
  return join(dirname(socket), 'agent.starting');
}

/** Whether this command should start the agent: true unless another one started it moments ago. */
function claimAgentStart(socket: string): boolean {
  if (isNamedPipe(socket)) return true;
  const marker = agentStartMarker(socket);
  try {
    mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
    closeSync(openSync(marker, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true;
  }
  try {
    if (Date.now() - statSync(marker).mtimeMs < DEFAULT_ENSURE_TIMEOUT_MS) return false;
    // A starter that never got its agent listening (it crashed, or was killed): take over.
    const now = new Date();
    utimesSync(marker, now, now);
  } catch {
    // Removed meanwhile: the agent is up, or its start failed; starting one more is harmless.
  }
  return true;
}

/** Called by the agent once it listens (or gave up), so the next start is not held back. */
export function clearAgentStartMarker(socket: string): void {
  if (!isNamedPipe(socket)) rmSync(agentStartMarker(socket), { force: true });
}

/** Runs fn with an agent connection and closes it afterwards. */
export async function withAgent<T>(fn: (agent: AgentClient) => Promise<T>): Promise<T> {
  const agent = await connect();
  try {
    return await fn(agent);
  } finally {
    await agent.close();
  }
}
