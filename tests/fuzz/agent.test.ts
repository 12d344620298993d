// Short fuzz of the agent socket with the real handlers (the long run is `npm run bench fuzz`).
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { connectAgent } from '../../src/core/agent/client';
import { OPERATIONS, parseEvent, type AgentEvent, type OperationName } from '../../src/shared/contract';
import { openAgentTarget } from './agent-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 60);
let opened: Awaited<ReturnType<typeof openAgentTarget>>;

beforeAll(async () => {
  opened = await openAgentTarget();
});
afterAll(() => opened?.close());

test('a session\'s life sends events that each fit their schema, and answers that fit their operation\'s output', async () => {
  const client = await connectAgent(opened.socketPath);
  const events: AgentEvent[] = [];
  client.subscribe((event, payload) => events.push(parseEvent(event, payload)));
  try {
    const answers: [OperationName, unknown][] = [
      ['sessions.activate', await client.call('sessions.activate', { name: 'p1' })],
      ['sessions.refresh', await client.call('sessions.refresh', { name: 'p1' })],
      ['profiles.rename', await client.call('profiles.rename', { name: 'p1', newName: 'p1-renamed' })],
      ['profiles.rename', await client.call('profiles.rename', { name: 'p1-renamed', newName: 'p1' })],
      ['sessions.deactivate', await client.call('sessions.deactivate', { name: 'p1' })],
      ['settings.set', await client.call('settings.set', { notifications: false })],
      ['state.get', await client.call('state.get', {})],
    ];
    for (const [op, value] of answers) expect(OPERATIONS[op].output.safeParse(value).error).toBeUndefined();
    await vi.waitFor(() => expect(events.map((message) => message.event)).toContain('settings.changed'));
    expect(new Set(events.map((message) => message.event))).toEqual(new Set(['profile.changed', 'profile.removed', 'settings.changed']));
    expect(events.filter((message) => message.event === 'profile.changed').map((message) => message.payload.status)).toEqual(expect.arrayContaining(['active', 'inactive']));
  } finally {
    await client.close();
  }
}, 60_000);

test('every contract operation over the socket answers a value its output schema takes or a typed error, every event fits its schema, and the agent keeps serving', async () => {
  await opened.target.run({ numRuns: RUNS });
  if (process.env.ROLECALL_FUZZ_VERBOSE) console.log([...opened.outcomes].sort().map(([outcome, n]) => `${n}\t${outcome}`).join('\n'));
  // The output checks ran on real answers.
  expect([...opened.outcomes.keys()].filter((outcome) => outcome.endsWith(' ok')).length).toBeGreaterThan(5);
}, 120_000);
