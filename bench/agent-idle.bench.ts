// How often an idle agent wakes: a real createRolecall plus its socket server (as `rolecall agent` runs
// them), two active profiles with 1 h sessions from the local sandbox, nothing due for 45 minutes.
// Counted over BENCH_IDLE_SECONDS (default 60, the agent's longest sleep): the injected Clock's timers,
// the process's global timers, and every callback the event loop ran (async_hooks; promises left out),
// each per minute. Secrets live in memory here: the keychain is read at activation and refresh only.
import 'reflect-metadata';
import { createHook } from 'node:async_hooks';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentServer } from '../src/core/agent';
import { createMemoryLogger } from '../src/core/log';
import { systemClock, type Clock } from '../src/core/platform/clock';
import { createNodeTransport } from '../src/core/platform/node-transport';
import { createRolecall } from '../src/core/rolecall';
import { startSandbox } from '../src/sandbox/server';
import type { OperationInput, OperationName, OperationOutput } from '../src/shared/contract';
import { MemorySecretStore } from '../tests/helpers/memory-secret-store';
import { reportFigure } from './report';
import { table } from './stats';

const root = process.env.ROLECALL_ROOT ?? '.';
const pki = (name: string) => join(root, 'tests', 'fixtures', 'pki', name);
const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const ROLE_ARN = 'arn:aws:iam::123456789012:role/Bench';

/** Counts what goes through the Clock the agent is given. */
function countingClock(inner: Clock) {
  const counts = { armed: 0, fired: 0 };
  const clock: Clock = {
    now: () => inner.now(),
    monotonic: () => inner.monotonic(),
    sleep: (delayMs) => inner.sleep(delayMs),
    setTimer(delayMs, callback) {
      counts.armed += 1;
      return inner.setTimer(delayMs, () => {
        counts.fired += 1;
        callback();
      });
    },
  };
  return { clock, counts };
}

/** Counts callbacks of timers the process's code sets directly (setTimeout / setInterval). */
function countGlobalTimers() {
  const counts = { setTimeout: 0, setInterval: 0 };
  const { setTimeout: originalTimeout, setInterval: originalInterval } = globalThis;
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    originalTimeout(() => {
      counts.setTimeout += 1;
      callback(...args);
    }, delay)) as typeof setTimeout;
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    originalInterval(() => {
      counts.setInterval += 1;
      callback(...args);
    }, delay)) as typeof setInterval;
  return counts;
}

const loopCallbacks = new Map<string, number>();
const types = new Map<number, string>();
// Enabled from the start: a timer armed at activation must be known when it fires.
let measuring = false;
// Not the agent's wake-ups: the measuring timer, and the sandbox (in this process for simplicity; its
// HTTP server checks its connections every 30 s). Their resources are noted as they are created.
let creatingOthers = false;
const others = new Set<number>();
const hook = createHook({
  init(asyncId, type) {
    if (creatingOthers) others.add(asyncId);
    if (type !== 'PROMISE') types.set(asyncId, type);
  },
  before(asyncId) {
    const type = types.get(asyncId);
    if (measuring && type !== undefined && !others.has(asyncId)) loopCallbacks.set(type, (loopCallbacks.get(type) ?? 0) + 1);
  },
  destroy(asyncId) {
    types.delete(asyncId);
  },
});
hook.enable();

const clockCounts = countingClock(systemClock);
const globalCounts = countGlobalTimers();

const home = await mkdtemp(join(tmpdir(), 'rolecall-idle-'));
await mkdir(join(home, '.aws'), { recursive: true });
creatingOthers = true;
const sandbox = await startSandbox({
  trustAnchors: [{ id: '0b1e5a3c-0000-4000-8000-000000000001', caPem: await readFile(pki('root-ca.cert.pem'), 'utf8') }],
  profiles: [{ id: '0b1e5a3c-0000-4000-8000-000000000002', roleArns: [ROLE_ARN], durationSeconds: 3600 }],
  roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
});
creatingOthers = false;
const transport = createNodeTransport();
const logger = createMemoryLogger({ level: 'info' });
const rolecall = await createRolecall({
  dataDir: join(home, 'data'),
  env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: join(home, '.aws', 'config') },
  platform: process.platform,
  homedir: home,
  clock: clockCounts.clock,
  transport,
  secrets: new MemorySecretStore(),
  logger,
  host: 'headless',
  version: '0.0.0-bench',
  cliCommand: [process.execPath, join(root, 'bin', 'rolecall.mjs')],
});
const server = await startAgentServer({
  socketPath: join(home, 'agent.sock'),
  info: rolecall.info,
  handlers: rolecall.handlers,
  subscribe: rolecall.subscribe,
  logger,
  isBusy: rolecall.isBusy,
  onIdle: () => undefined,
  clock: clockCounts.clock,
});

const call = async <N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> => {
  const handler = rolecall.handlers[name] as ((input: unknown) => Promise<unknown>) | undefined;
  if (!handler) throw new Error(`no handler for ${name}`);
  return (await handler(input)) as OperationOutput<N>;
};
for (const [name, certificate, key] of [
  ['idle-ec', 'leaf-ec-p256.cert.pem', 'leaf-ec-p256.key.pkcs8.pem'],
  ['idle-rsa', 'leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs8.pem'],
] as const) {
  const draft = await call('drafts.open', { certificatePath: pki(certificate), privateKeyPath: pki(key), intermediatesPath: pki('intermediate-ca.cert.pem') });
  await call('profiles.add', {
    name,
    draftId: draft.draftId,
    trustAnchorArn: sandbox.config.trustAnchors[0]?.arn ?? '',
    profileArn: sandbox.config.profiles[0]?.arn ?? '',
    roleArn: ROLE_ARN,
    endpoint: sandbox.url,
    durationSeconds: 3600,
  });
  const view = await call('sessions.activate', { name });
  if (view.status !== 'active') throw new Error(`${name} did not activate: ${view.status}`);
}
// Let the activation's own traffic settle (the sandbox closes idle keep-alive connections after 5 s).
await new Promise((resolve) => setTimeout(resolve, 6000));

const before = { clock: { ...clockCounts.counts }, global: { ...globalCounts } };
measuring = true;
await new Promise<void>((resolve) => {
  creatingOthers = true;
  setTimeout(resolve, SECONDS * 1000);
  creatingOthers = false;
});
measuring = false;
hook.disable();

const perMinute = (count: number) => ((count * 60) / SECONDS).toFixed(1);
const rows: (string | number)[][] = [
  ['Clock timers armed', clockCounts.counts.armed - before.clock.armed, perMinute(clockCounts.counts.armed - before.clock.armed)],
  ['Clock timer callbacks', clockCounts.counts.fired - before.clock.fired, perMinute(clockCounts.counts.fired - before.clock.fired)],
  ['global setTimeout callbacks (Clock timers included)', globalCounts.setTimeout - before.global.setTimeout - 1, perMinute(globalCounts.setTimeout - before.global.setTimeout - 1)],
  ['global setInterval callbacks', globalCounts.setInterval - before.global.setInterval, perMinute(globalCounts.setInterval - before.global.setInterval)],
];
const loopTotal = [...loopCallbacks.values()].reduce((sum, count) => sum + count, 0);
for (const [type, count] of [...loopCallbacks.entries()].sort()) rows.push([`event-loop callbacks: ${type}`, count, perMinute(count)]);
rows.push(['event-loop callbacks, all kinds', loopTotal, perMinute(loopTotal)]);

reportFigure({ name: 'idle agent (2 active profiles), Clock timer wake-ups', value: Number(perMinute(clockCounts.counts.fired - before.clock.fired)), unit: '/min' });
reportFigure({ name: 'idle agent (2 active profiles), event-loop callbacks of every kind', value: Number(perMinute(loopTotal)), unit: '/min' });
console.log(`Idle agent (2 active profiles, 1 h sessions, socket server listening), measured for ${SECONDS} s.`);
console.log(table(['what', `in ${SECONDS} s`, 'per minute'], rows));
const idleMints = sandbox.requests.entries.filter((entry) => entry.operation === 'CreateSession' && entry.at > Date.now() - SECONDS * 1000).length;
console.log(`CreateSession calls while idle: ${idleMints}`);
reportFigure({ name: 'idle agent, CreateSession calls while nothing is due', value: idleMints, goal: '0', holds: idleMints === 0 });

await server.stop();
await rolecall.close();
await Promise.all([sandbox.stop(), transport.close()]);
await rm(home, { recursive: true, force: true });
