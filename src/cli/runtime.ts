// What every CLI command that talks to the agent shares: where Rolecall's data and socket live, how
// the CLI launches itself (for credential_process lines and the background agent), and the connection.
import { spawn } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { AgentClient } from '../core/agent';
import { defaultSocketPath, ensureAgent } from '../core/agent';
import { defaultDataDir } from '../core/store';

export function dataDir(): string {
  return defaultDataDir();
}

export function socketPath(): string {
  return defaultSocketPath({ env: process.env, dataDir: dataDir(), platform: process.platform, uid: process.getuid?.() ?? 0 });
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

/** The agent, started in the background when none runs (as gpg-agent is). */
export function connect(): Promise<AgentClient> {
  return ensureAgent({
    socketPath: socketPath(),
    spawnAgent: () => {
      const child = spawn(process.execPath, [launcherScript(), 'agent', '--background'], { detached: true, stdio: 'ignore', env: process.env });
      child.unref();
      return child;
    },
  });
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

export const userHome = homedir;
