// Short fuzz of the agent socket with the real handlers (the long run is `npm run bench fuzz`).
import { afterAll, beforeAll, test } from 'vitest';
import { openAgentTarget } from './agent-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 60);
let opened: Awaited<ReturnType<typeof openAgentTarget>>;

beforeAll(async () => {
  opened = await openAgentTarget();
});
afterAll(() => opened?.close());

test('every contract operation over the socket answers a valid output or a typed error, and the agent keeps serving', async () => {
  await opened.target.run({ numRuns: RUNS });
  if (process.env.ROLECALL_FUZZ_VERBOSE) console.log([...opened.outcomes].sort().map(([outcome, n]) => `${n}\t${outcome}`).join('\n'));
}, 120_000);
