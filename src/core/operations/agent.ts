// Who the agent is, and handing over to the app. Neither needs the profile store.
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

/** The headless host stops when the app takes over; absent, the agent does not hand over. */
export function agentOperations({ info }: Pick<OperationContext, 'info'>, onHandOver: (() => void) | undefined): AgentHandlers<'agent.info' | 'agent.handOver'> {
  return {
    async 'agent.info'() {
      return info;
    },
    async 'agent.handOver'() {
      if (!onHandOver) return { stopping: false };
      // Answer first: the host stops on the next turn, after this reply has been written.
      setImmediate(onHandOver);
      return { stopping: true };
    },
  };
}
