// Fuzz of the agent socket: a real agent server with the real handlers from createRolecall (temp data
// folder and AWS files, an in-memory secret store, the local sandbox as Roles Anywhere), spoken to over
// its Unix socket with random inputs for every contract operation and with malformed frames. Every
// answer must be a valid output or a typed error (never INTERNAL), and the agent must keep serving.
// Only what cannot exist here is stood in for: the keychain (in memory) and the internet (the transport
// refuses any host but the loopback sandbox, so a fuzzed endpoint cannot reach out).
import 'reflect-metadata';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PROTOCOL_VERSION } from '../../src/core/agent/protocol';
import { startAgentServer, type AgentServer } from '../../src/core/agent/server';
import { createMemoryLogger } from '../../src/core/log';
import { systemClock } from '../../src/core/platform/clock';
import { createNodeTransport } from '../../src/core/platform/node-transport';
import type { HttpTransport } from '../../src/core/platform/transport';
import { createRolecall, type Rolecall } from '../../src/core/rolecall';
import type { Sandbox } from '../../src/sandbox/server';
import { EVENTS, OPERATION_NAMES, OPERATIONS, type EventName, type OperationName } from '../../src/shared/contract';
import { ERRORS, RolecallError } from '../../src/shared/errors';
import type { DraftView } from '../../src/shared/model';
import { PROFILE_ARN, ROLE_ARN, startFuzzSandbox, TRUST_ANCHOR_ARN } from './fixture-sandbox';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { defineTarget, FuzzViolation, withDeadline, type AnyFuzzTarget } from './harness';
import { repoRoot } from './paths';

/** A CreateSession against the sandbox takes milliseconds; this bounds one case of several requests. */
const CASE_LIMIT_MS = 15_000;

interface Connection {
  readonly socket: Socket;
  /** The next complete line, or undefined once the agent closed the connection. */
  next(): Promise<string | undefined>;
  send(text: string): void;
  close(): Promise<void>;
}

async function connect(socketPath: string): Promise<Connection> {
  const socket = createConnection(socketPath);
  await once(socket, 'connect');
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let buffered = '';
  let ended = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let newline = buffered.indexOf('\n'); newline !== -1; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const finish = () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  };
  socket.on('close', finish);
  socket.on('error', finish);
  return {
    socket,
    next: () => {
      const line = lines.shift();
      if (line !== undefined || ended) return Promise.resolve(line);
      return new Promise((resolve) => waiting.push(resolve));
    },
    send: (text) => {
      if (!socket.destroyed) socket.write(text);
    },
    close: async () => {
      if (socket.destroyed) return;
      const closed = once(socket, 'close');
      socket.destroy();
      await closed;
    },
  };
}

// Values for every field the contract's inputs have: plausible ones (that reach the handlers) and
// hostile ones (that the schemas must refuse).
const hostile = fc.oneof(fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', ' ', '\u0000', 'x'.repeat(5000), [], {}, { __proto__: null }, ['p1']), fc.jsonValue({ maxDepth: 2 }));
const name = fc.oneof({ weight: 4, arbitrary: fc.constant('p1') }, { weight: 2, arbitrary: fc.constantFrom('p2', 'missing', 'default', 'a', '-x', 'p1 ', '../p1') }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) });
const arn = fc.constantFrom(TRUST_ANCHOR_ARN, PROFILE_ARN, ROLE_ARN, 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/x', 'arn:nope', ' ');
const path = (fixtures: string) => fc.oneof(fc.constantFrom(join(fixtures, 'leaf-ec-p256.cert.pem'), join(fixtures, 'leaf-ec-p256.key.pkcs8.pem'), join(fixtures, 'leaf-rsa2048.p12'), join(fixtures, 'leaf-rsa2048.key.pkcs8-encrypted.pem'), join(fixtures, 'chain.bundle.pem'), fixtures, '/dev/null', '/nonexistent/x.pem', 'relative.pem', ''), fc.string({ maxLength: 40 }));
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'mars-1', 'US-EAST-1', '');
const shell = fc.constantFrom('bash', 'zsh', 'fish', 'powershell', 'cmd', 'tcsh', '');

function fieldValues(fixtures: string, sandboxUrl: string): Record<string, fc.Arbitrary<unknown>> {
  // Endpoints stay on this machine: the sandbox, a closed port, or text that is no URL.
  const endpoint = fc.constantFrom(sandboxUrl, 'http://127.0.0.1:1', 'https://localhost:1', 'not a url', 'ftp://127.0.0.1/');
  return {
    name,
    newName: name,
    draftId: fc.oneof(fc.uuid(), fc.constantFrom('', 'draft')),
    keyStorage: fc.constantFrom('keychain', 'file', 'disk'),
    force: fc.boolean(),
    trustAnchorArn: arn,
    profileArn: arn,
    roleArn: arn,
    signingRegion: fc.option(region, { nil: null }),
    toolRegion: fc.option(region, { nil: null }),
    durationSeconds: fc.constantFrom(900, 3600, 43200, 899, 43201, 3600.5),
    roleSessionName: fc.option(fc.constantFrom('fuzz-session', 'x', 'bad name'), { nil: null }),
    autoRefresh: fc.boolean(),
    delivery: fc.constantFrom('file', 'process', 'both'),
    endpoint,
    certificatePath: path(fixtures),
    privateKeyPath: path(fixtures),
    intermediatesPath: fc.oneof(fc.constant(join(fixtures, 'intermediate-ca.cert.pem')), path(fixtures)),
    passphrase: fc.constantFrom('rolecall-test', '', 'wrong'),
    minValiditySeconds: fc.constantFrom(0, 60, 3600, 3601, -1),
    shell,
    names: fc.array(name, { maxLength: 3 }),
    imds: fc.constant(false),
    // 0 only: the agent would really listen on a fixed port, which may belong to someone else.
    port: fc.constantFrom(0, -1, 65536),
    id: fc.oneof(fc.uuid(), fc.constant('')),
    awsProfiles: fc.array(fc.constantFrom('dev', 'p1', ''), { maxLength: 2 }),
    passphrases: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    using: fc.oneof(fc.record({ kind: fc.constant('rolecall'), name }), fc.record({ kind: fc.constant('aws'), profile: fc.constantFrom('dev', 'nope', '') }), hostile),
    region,
    startAtLogin: fc.boolean(),
    notifications: fc.boolean(),
    defaultShell: shell,
  };
}

type Frame =
  | { readonly kind: 'request'; readonly op: string; readonly input: unknown }
  | { readonly kind: 'raw'; readonly text: string };

function frames(fixtures: string, sandboxUrl: string): fc.Arbitrary<Frame[]> {
  const fields = fieldValues(fixtures, sandboxUrl);
  const fieldNames = Object.keys(fields);
  const plausibleInput = fc
    .subarray(fieldNames, { maxLength: 6 })
    .chain((chosen) => fc.tuple(...chosen.map((field) => fc.tuple(fc.constant(field), fc.oneof({ weight: 5, arbitrary: fields[field] ?? hostile }, { weight: 1, arbitrary: hostile })))))
    .map((entries) => Object.fromEntries(entries));
  // Inputs shaped like each operation's schema (its own keys, mostly plausible values), so most requests
  // pass validation and reach the handlers; the rest are refused by the schemas.
  const shaped = fc.constantFrom(...OPERATION_NAMES).chain((op) => {
    const keys = Object.keys((OPERATIONS[op].input as unknown as { shape?: Record<string, unknown> }).shape ?? {});
    const entries = keys.map((key) => fc.option(fc.tuple(fc.constant(key), fc.oneof({ weight: 8, arbitrary: fields[key] ?? hostile }, { weight: 1, arbitrary: hostile })), { freq: 4, nil: undefined }));
    return fc.record({
      kind: fc.constant('request' as const),
      op: fc.constant<string>(op),
      input: fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((pair) => pair !== undefined))),
    });
  });
  const request = fc.oneof(
    { weight: 6, arbitrary: shaped },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('request' as const),
        op: fc.oneof({ weight: 9, arbitrary: fc.constantFrom<string>(...OPERATION_NAMES) }, { weight: 1, arbitrary: fc.constantFrom('nope', '', '__proto__', 'constructor', 'x'.repeat(200)) }),
        input: fc.oneof(plausibleInput, hostile),
      }),
    },
  );
  const raw = fc.record({
    kind: fc.constant('raw' as const),
    text: fc.oneof(
      fc.string({ maxLength: 60 }).map((text) => `${text}\n`),
      fc.constantFrom('{}\n', '[]\n', 'null\n', '{"id":-1,"op":"agent.info","input":{}}\n', '{"id":1.5,"op":"agent.info"}\n', '{"hello":{"protocol":1}}\n', '{"subscribe":"yes"}\n', '\n', '{"id":1,"op":"agent.info","input":{}}'),
      fc.jsonValue({ maxDepth: 3 }).map((value) => `${JSON.stringify(value)}\n`),
    ),
  });
  return fc.array(fc.oneof({ weight: 6, arbitrary: request }, { weight: 1, arbitrary: raw }), { minLength: 1, maxLength: 5 });
}

interface OpenAgent {
  readonly target: AnyFuzzTarget;
  readonly socketPath: string;
  /** How often each operation answered with a value ("op ok") or each error code ("op CODE"): shows how deep the fuzz reached. */
  readonly outcomes: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function openAgentTarget(): Promise<OpenAgent> {
  const home = await mkdtemp(join(tmpdir(), 'rolecall-fuzz-agent-'));
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  const socketPath = join(home, 'run', 'agent.sock');
  const fixtures = join(repoRoot(), 'tests', 'fixtures', 'pki');
  const sandbox: Sandbox = await startFuzzSandbox();
  const node = createNodeTransport();
  const loopbackOnly: HttpTransport = async (request) => {
    const host = new URL(request.url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new RolecallError('NETWORK', `the fuzz reaches only this machine, not ${host}`);
    return node(request);
  };
  const logger = createMemoryLogger();
  const rolecall: Rolecall = await createRolecall({
    dataDir: join(home, 'data'),
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_EC2_METADATA_DISABLED: 'true' },
    platform: process.platform,
    homedir: home,
    clock: systemClock,
    transport: loopbackOnly,
    secrets: new MemorySecretStore(),
    logger,
    host: 'headless',
    version: '0.0.0-fuzz',
    cliCommand: [process.execPath, join(repoRoot(), 'bin', 'rolecall.mjs')],
  });
  const server: AgentServer = await startAgentServer({ socketPath, info: rolecall.info, handlers: rolecall.handlers, subscribe: (listener) => rolecall.subscribe(listener), logger });

  // One real profile, so that operations on "p1" reach the session code and the AWS files.
  const addP1 = async () => {
    const draft = (await rolecall.handlers['drafts.open']?.({
      certificatePath: join(fixtures, 'leaf-ec-p256.cert.pem'),
      privateKeyPath: join(fixtures, 'leaf-ec-p256.key.pkcs8.pem'),
      intermediatesPath: join(fixtures, 'intermediate-ca.cert.pem'),
    })) as DraftView;
    await rolecall.handlers['profiles.add']?.({ name: 'p1', draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: sandbox.url });
  };
  await addP1();

  let nextId = 1;
  const outcomes = new Map<string, number>();
  const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const target = defineTarget({
    name: 'agent socket: every contract operation and malformed frames',
    arbitrary: frames(fixtures, sandbox.url),
    async check(sent) {
      // A case may have removed or renamed p1: the next one starts with it again.
      await rolecall.handlers['profiles.get']?.({ name: 'p1' }).catch(addP1);
      await withDeadline(exchange(socketPath, sent, () => nextId++, count), CASE_LIMIT_MS, 'the exchange with the agent');
      // Whatever the last client did, the agent still answers a new one.
      await withDeadline(assertServing(socketPath, nextId++), CASE_LIMIT_MS, 'a fresh connection after the case');
    },
  });
  return {
    target,
    socketPath,
    outcomes,
    async close() {
      await server.stop();
      await rolecall.close();
      await sandbox.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

async function exchange(socketPath: string, sent: readonly Frame[], newId: () => number, count: (outcome: string) => void): Promise<void> {
  const connection = await connect(socketPath);
  try {
    connection.send(`${JSON.stringify({ hello: { protocol: PROTOCOL_VERSION } })}\n`);
    const hello = await connection.next();
    if (hello === undefined || !('hello' in (JSON.parse(hello) as object))) throw new FuzzViolation('the agent did not answer the hello');
    // Subscribed, so that every event the case causes is checked against its schema too.
    connection.send(`${JSON.stringify({ subscribe: true })}\n`);
    const pending = new Map<number, string>();
    for (const frame of sent) {
      if (frame.kind === 'raw') {
        connection.send(frame.text);
        continue;
      }
      const id = newId();
      pending.set(id, frame.op);
      connection.send(`${JSON.stringify({ id, op: frame.op, input: frame.input })}\n`);
    }
    // A frame outside the protocol (raw text, an operation name over 128 characters) makes the agent hang
    // up, on purpose: answers to requests sent before it may then be lost.
    const protocolBreak = sent.some((frame) => frame.kind === 'raw' || frame.op.length > 128);
    while (pending.size > 0) {
      const line = await connection.next();
      if (line === undefined) {
        if (protocolBreak) return;
        throw new FuzzViolation(`the agent closed the connection with ${pending.size} request(s) unanswered`);
      }
      const message = JSON.parse(line) as { id?: number; result?: unknown; event?: string; payload?: unknown };
      if (message.event !== undefined) {
        assertValidEvent(message.event, message.payload);
        count(`event ${message.event}`);
        continue;
      }
      const op = message.id === undefined ? undefined : pending.get(message.id);
      if (message.id === undefined || op === undefined) {
        if (protocolBreak) continue;
        throw new FuzzViolation(`an answer to no request: ${line.slice(0, 200)}`);
      }
      pending.delete(message.id);
      count(`${op.slice(0, 40)} ${assertValidResult(op, message.result)}`);
    }
  } finally {
    await connection.close();
  }
}

/** "ok" or the error code, once the result is known to be well formed: a value its operation's output schema takes. */
function assertValidResult(op: string, result: unknown): string {
  if (typeof result !== 'object' || result === null) throw new FuzzViolation('a result that is not an object');
  const { ok, value, error } = result as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown; next?: unknown } };
  if (ok === true) {
    if (value === undefined) throw new FuzzViolation('a success without a value');
    if (!Object.hasOwn(OPERATIONS, op)) throw new FuzzViolation(`a success for ${op.slice(0, 40)}, which the contract does not have`);
    const checked = OPERATIONS[op as OperationName].output.safeParse(value);
    if (!checked.success) throw new FuzzViolation(`${op} answered a value its output schema refuses: ${JSON.stringify(checked.error.issues).slice(0, 400)}`);
    return 'ok';
  }
  if (ok !== false || typeof error !== 'object' || error === null) throw new FuzzViolation(`a malformed result: ${JSON.stringify(result).slice(0, 200)}`);
  const code = error.code;
  if (typeof code !== 'string' || !Object.hasOwn(ERRORS, code) || code === 'INTERNAL') throw new FuzzViolation(`error code ${String(code)}: ${JSON.stringify(error).slice(0, 300)}`);
  if (typeof error.message !== 'string' || typeof error.next !== 'string') throw new FuzzViolation('an error without message or next step');
  return code;
}

/** Every event the agent sends is one the contract names, with a payload its schema takes. */
function assertValidEvent(event: string, payload: unknown): void {
  if (!Object.hasOwn(EVENTS, event)) throw new FuzzViolation(`an event the contract does not have: ${event.slice(0, 40)}`);
  const checked = EVENTS[event as EventName].safeParse(payload);
  if (!checked.success) throw new FuzzViolation(`a ${event} event its schema refuses: ${JSON.stringify(checked.error.issues).slice(0, 400)}`);
}

async function assertServing(socketPath: string, id: number): Promise<void> {
  const connection = await connect(socketPath);
  try {
    connection.send(`${JSON.stringify({ hello: { protocol: PROTOCOL_VERSION } })}\n${JSON.stringify({ id, op: 'agent.info', input: {} })}\n`);
    await connection.next();
    const answer = await connection.next();
    const parsed = answer === undefined ? undefined : (JSON.parse(answer) as { id?: number; result?: { ok?: boolean } });
    if (parsed?.id !== id || parsed.result?.ok !== true) throw new FuzzViolation(`the agent stopped serving: ${answer ?? 'connection closed'}`);
  } finally {
    await connection.close();
  }
}
