// A token profile's PIN asked on the terminal: when an activation or refresh stops because the token
// needs a PIN (or refused the one it had), the person at the terminal types it once, the agent holds it
// in memory, and the same step runs again. Without a terminal the step's own result stands.
import type { AgentClient } from '../core/agent';
import { isRolecallError } from '../shared/errors';
import type { ProfileView } from '../shared/model';
import { promptSecret } from './prompt';

const PIN_CODES: ReadonlySet<string> = new Set(['PKCS11_PIN_REQUIRED', 'PKCS11_PIN_WRONG']);

export async function withTokenPin(agent: AgentClient, name: string, step: () => Promise<ProfileView>): Promise<ProfileView> {
  const view = await step();
  const code = view.lastError?.code;
  if ((view.status !== 'failed' && view.status !== 'expired') || code === undefined || !PIN_CODES.has(code)) return view;
  const pin = await askPin(name, code === 'PKCS11_PIN_WRONG');
  if (pin === undefined) return view;
  await agent.call('sessions.givePin', { name, pin });
  return step();
}

/** The PIN from the terminal; undefined when there is none. */
export async function askPin(name: string, refused: boolean): Promise<string | undefined> {
  try {
    return await promptSecret(`${refused ? 'The token refused the PIN. ' : ''}PIN of the token holding the key of ${name}: `);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') return undefined;
    throw error;
  }
}
