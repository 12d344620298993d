// A headless agent host for the tests that need a real agent process: it serves `agent.info` and
// `agent.handOver` (stop, then exit) with the real server. Exits with ALREADY_RUNNING_EXIT when another
// agent holds the socket, the way `rolecall agent` gives way to the winner of a start race.
import { RolecallError } from '../../../../src/shared/errors';
import { startAgentServer } from '../../../../src/core/agent/server';

const ALREADY_RUNNING_EXIT = 3;

const [socketPath, idleMs] = process.argv.slice(2);
const info = { pid: process.pid, host: 'headless' as const, version: 'test', startedAt: new Date().toISOString(), dataDir: '/nonexistent' };

try {
  const server = await startAgentServer({
    socketPath: socketPath!,
    info,
    subscribe: () => () => undefined,
    handlers: {
      'agent.info': async () => info,
      'agent.handOver': async () => {
        setImmediate(() => void server.stop().then(() => process.exit(0)));
        return { stopping: true };
      },
    },
    ...(idleMs === undefined ? {} : { idleMs: Number(idleMs), onIdle: () => void server.stop().then(() => process.exit(0)) }),
  });
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
} catch (error) {
  if (error instanceof RolecallError && error.code === 'AGENT_ALREADY_RUNNING') process.exit(ALREADY_RUNNING_EXIT);
  throw error;
}
