// Turning a profile's session on and off, refreshing it, and the PIN a token profile needs. Activations
// are recorded in the store so that a restarted agent takes them up again.
import { RolecallError } from '../../shared/errors';
import type { TokenPins } from '../pkcs11';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export type SessionOperation = 'sessions.activate' | 'sessions.deactivate' | 'sessions.refresh' | 'sessions.refreshAll' | 'sessions.givePin';

export function sessionOperations(context: OperationContext, tokenPins: TokenPins): AgentHandlers<SessionOperation> {
  const { directory, profiles, repository, sessions, clock, viewOf } = context;
  return {
    async 'sessions.activate'({ name }) {
      directory.require(name);
      // Recorded while the session is minted, not after it, so an agent that dies while activating
      // resumes the activation when it starts; the store write costs the activation no time.
      const [recorded, activated] = await Promise.allSettled([repository.setActivated(name, true, new Date(clock.now())), sessions.activate(name)]);
      if (activated.status === 'rejected') throw activated.reason;
      if (recorded.status === 'rejected') throw recorded.reason;
      return viewOf(directory.require(name), activated.value);
    },
    async 'sessions.deactivate'({ name }) {
      // Recorded first: an agent that dies while withdrawing finishes the withdrawal when it starts.
      if (directory.has(name)) await repository.setActivated(name, false, new Date(clock.now()));
      const state = await sessions.deactivate(name);
      return viewOf(directory.require(name), state);
    },
    async 'sessions.refresh'({ name }) {
      directory.require(name);
      const state = await sessions.refresh(name);
      return viewOf(directory.require(name), state);
    },
    async 'sessions.refreshAll'() {
      const states = await sessions.refreshAll();
      return states.flatMap((state) => {
        const definition = directory.get(state.name);
        return definition ? [viewOf(definition, state)] : [];
      });
    },
    async 'sessions.givePin'({ name, pin }) {
      const definition = directory.require(name);
      if (definition.key.kind !== 'pkcs11') throw new RolecallError('USAGE', `${name} does not keep its key on a PKCS#11 token`);
      tokenPins.give(name, pin);
      // A profile that keeps its PIN keeps the new one; should the token refuse it, the next mint drops it.
      await profiles.replaceKeptPin(definition.key, pin);
      return viewOf(definition);
    },
  };
}
