// What terminals and tools receive over the socket: a profile's credentials, the shell lines that
// export them, and local credential endpoints for containers and SDKs. Socket-only: these carry secrets.
import { randomUUID } from 'node:crypto';
import type { EndpointInfo } from '../../shared/contract';
import { renderEnv, startCredentialsEndpoint, type CredentialsEndpoint } from '../terminal';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export type TerminalOperation = 'credentials.get' | 'env.render' | 'endpoint.start' | 'endpoint.stop';

/** `endpoints` holds the running endpoints by id: the agent stays up for them and stops them on close. */
export function terminalOperations(context: OperationContext, endpoints: Map<string, CredentialsEndpoint>): AgentHandlers<TerminalOperation> {
  const { directory, logger, clock, credentialsFor } = context;
  return {
    async 'credentials.get'({ name, minValiditySeconds }) {
      return credentialsFor(name, minValiditySeconds);
    },
    async 'env.render'({ name, shell }) {
      return { script: renderEnv(await credentialsFor(name), shell) };
    },
    async 'endpoint.start'({ names, imds, port }): Promise<EndpointInfo> {
      for (const name of names) directory.require(name);
      const endpoint = await startCredentialsEndpoint({
        provider: async (name) => ({ ...(await credentialsFor(name)), roleArn: directory.require(name).roleArn }),
        names,
        logger,
        clock,
        ...(port !== undefined && { port }),
        ...(imds && { imds: {} }),
      });
      const id = randomUUID();
      endpoints.set(id, endpoint);
      for (const warning of endpoint.warnings) logger.warn(warning);
      return { id, urls: endpoint.urls, token: endpoint.token, ...(endpoint.imdsUrl !== undefined && { imdsUrl: endpoint.imdsUrl }) };
    },
    async 'endpoint.stop'({ id }) {
      const endpoint = endpoints.get(id);
      if (!endpoint) return { stopped: false };
      endpoints.delete(id);
      await endpoint.stop();
      return { stopped: true };
    },
  };
}
