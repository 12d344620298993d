// An agent must never keep serving with a keychain context worse than its caller's. The background
// agent inherits the environment of whichever command started it: started by an SDK's credential_process
// from a shell without DBUS_SESSION_BUS_ADDRESS, it can never reach the Secret Service, while the next
// command, from a desktop terminal, can. As gpg-agent's `updatestartuptty` exists for the same trap, the
// caller then has that agent hand over (its state is in the store and keychain, so nothing is lost) and
// starts a fresh one from its own environment.
import { isRolecallError } from '../../shared/errors';
import type { AgentClient } from './client';
import { nobodyListens } from './client';
import { takeOver } from './hand-over';

export interface KeychainHandOverOptions {
  readonly socketPath: string;
  /** Whether this process reaches its own keychain (a cheap probe, run only when the agent cannot). */
  readonly callerReachesKeychain: () => Promise<boolean>;
  /** Connects to the agent, starting one from this process's environment when none runs. */
  readonly connect: () => Promise<AgentClient>;
}

/** The agent to use: `agent` itself, or a fresh one when `agent` cannot reach the keychain and the caller can. */
export async function replaceAgentWithoutKeychain(agent: AgentClient, options: KeychainHandOverOptions): Promise<AgentClient> {
  if (agent.info.host !== 'headless' || agent.info.keychain !== 'unreachable') return agent;
  if (!(await options.callerReachesKeychain())) return agent;
  await agent.close();
  try {
    await takeOver(options.socketPath, { onlyPid: agent.info.pid });
  } catch (error) {
    // Another caller is replacing it at the same moment: its agent is stopping, or already gone.
    if (!nobodyListens(error) && !(isRolecallError(error) && error.code === 'AGENT_UNAVAILABLE')) throw error;
  }
  return options.connect();
}
