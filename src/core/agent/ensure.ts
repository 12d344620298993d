// The CLI's way to an agent: connect, and when nobody listens start the headless agent in the
// background (as gpg-agent is started) and wait for it. Two CLIs starting at once may start two agents;
// the agents' start lock lets one bind, the other finds it and exits, and both CLIs reach the winner.
import type { ChildProcess } from 'node:child_process';
import { RolecallError } from '../../shared/errors';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import type { AgentClient } from './client';
import { DEFAULT_CONNECT_TIMEOUT_MS, connectAgent, nobodyListens } from './client';

export interface EnsureAgentOptions {
  readonly socketPath: string;
  /** Starts `rolecall agent` in the background (detached, stdio ignored, unref'd). */
  readonly spawnAgent: () => ChildProcess | void;
  /** How long to wait, in all, for an agent to answer (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

export const DEFAULT_ENSURE_TIMEOUT_MS = 10_000;
const FIRST_RETRY_MS = 20;
const MAX_RETRY_MS = 250;
const MIN_CONNECT_TIMEOUT_MS = 250;

interface StartedAgent {
  /** How the started process ended, once it has. */
  ended?: string;
}

export async function ensureAgent(options: EnsureAgentOptions): Promise<AgentClient> {
  const { socketPath } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ENSURE_TIMEOUT_MS;
  const deadline = clock.monotonic() + timeoutMs;
  let started: StartedAgent | undefined;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    const remaining = deadline - clock.monotonic();
    try {
      return await connectAgent(socketPath, { timeoutMs: Math.max(MIN_CONNECT_TIMEOUT_MS, Math.min(remaining, DEFAULT_CONNECT_TIMEOUT_MS)) });
    } catch (error) {
      // An unsafe folder or another version's agent is not solved by starting one more.
      if (!(error instanceof RolecallError) || error.code !== 'AGENT_UNAVAILABLE') throw error;
      if (nobodyListens(error)) {
        if (started === undefined) started = startAgent(options.spawnAgent);
        else if (started.ended !== undefined) {
          throw new RolecallError('AGENT_UNAVAILABLE', `the agent ${started.ended} without listening on ${socketPath}`, { cause: error });
        }
      }
      if (clock.monotonic() >= deadline) {
        throw new RolecallError('AGENT_UNAVAILABLE', `no agent answered on ${socketPath} within ${timeoutMs} ms`, { cause: error });
      }
    }
    await clock.sleep(Math.min(retryMs, Math.max(0, deadline - clock.monotonic())));
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
}

function startAgent(spawnAgent: () => ChildProcess | void): StartedAgent {
  const started: StartedAgent = {};
  let child: ChildProcess | void;
  try {
    child = spawnAgent();
  } catch (error) {
    throw new RolecallError('AGENT_UNAVAILABLE', 'the agent process could not be started', { cause: error });
  }
  if (child) {
    child.once('error', (error) => {
      started.ended = `could not start (${error.message})`;
    });
    child.once('exit', (code, signal) => {
      started.ended = signal === null ? `exited with code ${code}` : `was ended by ${signal}`;
    });
  }
  return started;
}
