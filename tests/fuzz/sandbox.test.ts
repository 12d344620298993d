// Short fuzz of the sandbox's request parsing over real HTTP (the long run is `npm run bench fuzz`).
import { afterAll, beforeAll, test } from 'vitest';
import { openSandboxTarget } from './sandbox-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 150);
let opened: Awaited<ReturnType<typeof openSandboxTarget>>;

beforeAll(async () => {
  opened = await openSandboxTarget();
});
afterAll(() => opened?.close());

test('damaged requests get a 2xx or an AWS-shaped 4xx, never a 5xx or a hang', async () => {
  await opened.target.run({ numRuns: RUNS });
  if (process.env.ROLECALL_FUZZ_VERBOSE) console.log([...opened.statuses].sort().map(([status, n]) => `${n}\t${status}`).join('\n'));
}, 120_000);
