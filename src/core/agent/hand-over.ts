// The app becomes the agent when it starts: a headless agent already running is asked to exit (all
// state is in the store and keychain, so nothing is lost), and the app binds once its socket is gone.
import { RolecallError } from '../../shared/errors';
import type { AgentInfo } from '../../shared/model';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { DEFAULT_CONNECT_TIMEOUT_MS, connectAgent, nobodyListens } from './client';

export interface TakeOverOptions {
  /** How long the headless agent has to go away (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /**
   * Hand over only if the agent there is still this process: a caller replacing an agent it found
   * unfit must not stop the fresh one another caller has started meanwhile.
   */
  readonly onlyPid?: number;
}

export const DEFAULT_TAKE_OVER_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/**
 * Asks the headless agent on `socketPath` to hand over and waits until nothing listens there.
 * Resolves with the agent that handed over, or null when none was running (or another than `onlyPid`); AGENT_ALREADY_RUNNING
 * when the agent is the app or does not go away in time.
 */
export async function takeOver(socketPath: string, options: TakeOverOptions = {}): Promise<AgentInfo | null> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TAKE_OVER_TIMEOUT_MS;
  const deadline = clock.monotonic() + timeoutMs;
  let client;
  try {
    client = await connectAgent(socketPath, { timeoutMs: Math.min(timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS) });
  } catch (error) {
    if (nobodyListens(error)) return null;
    throw error;
  }
  const { info } = client;
  if (options.onlyPid !== undefined && info.pid !== options.onlyPid) {
    await client.close();
    return null;
  }
  try {
    if (info.host !== 'headless') throw new RolecallError('AGENT_ALREADY_RUNNING', `the Rolecall app (pid ${info.pid}) is the agent`);
    const { stopping } = await client.call('agent.handOver', {});
    if (!stopping) throw new RolecallError('AGENT_ALREADY_RUNNING', `the background agent (pid ${info.pid}) declined to hand over`);
  } finally {
    await client.close();
  }
  while (!(await nothingListens(socketPath))) {
    if (clock.monotonic() >= deadline) {
      throw new RolecallError('AGENT_ALREADY_RUNNING', `the background agent (pid ${info.pid}) did not exit within ${timeoutMs} ms`);
    }
    await clock.sleep(POLL_MS);
  }
  return info;
}

async function nothingListens(socketPath: string): Promise<boolean> {
  try {
    const client = await connectAgent(socketPath, { timeoutMs: DEFAULT_CONNECT_TIMEOUT_MS });
    await client.close();
    return false;
  } catch (error) {
    if (nobodyListens(error)) return true;
    // A stopping agent drops new connections before its hello: it is still there.
    if (error instanceof RolecallError && error.code === 'AGENT_UNAVAILABLE') return false;
    throw error;
  }
}
