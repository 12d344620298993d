// A connection to the agent, typed by the operation contract: `call('profiles.get', { name })` resolves
// to that operation's output or throws the RolecallError the agent answered with.
import { createConnection, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { AgentEventListener, EventName, OperationInput, OperationName, OperationOutput, OPERATIONS } from '../../shared/contract';
import { RolecallError, isErrorCode } from '../../shared/errors';
import type { AgentInfo } from '../../shared/model';
import type { WireErrorInfo } from './wire';
import {
  MAX_RESPONSE_BYTES,
  PROTOCOL_VERSION,
  createLineReader,
  encodeFrame,
  parseJson,
  readAgentHello,
  readAgentInfo,
  readEvent,
  readResponse,
} from './wire';
import { assertPrivateFolder, ownSocketExists } from './socket-folder';
import { isNamedPipe } from './socket-path';

export type { AgentEventListener } from '../../shared/contract';

/** Operations a socket client may call: everything but the app-only ones. */
export type SocketOperationName = {
  [N in OperationName]: (typeof OPERATIONS)[N]['exposure'] extends 'app' ? never : N;
}[OperationName];

export interface AgentClient {
  /** Who answered: the agent's hello. */
  readonly info: AgentInfo;
  call<N extends SocketOperationName>(op: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Receives the agent's events until the returned function is called. */
  subscribe(listener: AgentEventListener): () => void;
  /** Settles when the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** How long to wait for the connection and the agent's hello. */
  readonly timeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const CLOSE_GRACE_MS = 1000;
const NOBODY_LISTENING_CODES = new Set(['ENOENT', 'ECONNREFUSED']);
const HUNG_UP_CODES = new Set(['EPIPE', 'ECONNRESET']);
/** The contract's events, named without importing its schemas (zod is too slow a load for the CLI). */
const KNOWN_EVENTS: Readonly<Record<EventName, true>> = { 'profile.changed': true, 'profile.removed': true, 'settings.changed': true, 'certificate.renewal': true, 'window.explain': true };
const nobodyListening = new WeakSet<Error>();

/** True for the error connectAgent throws when no process listens on the socket (none, or a stale file). */
export function nobodyListens(error: unknown): boolean {
  return error instanceof Error && nobodyListening.has(error);
}

function unavailable(detail: string, cause?: unknown, nobody = isNobodyListeningCode(cause)): RolecallError {
  const error = new RolecallError('AGENT_UNAVAILABLE', detail, { cause });
  if (nobody) nobodyListening.add(error);
  return error;
}

function isNobodyListeningCode(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && NOBODY_LISTENING_CODES.has(code);
}

/** Rebuilds the agent's error; a code this version does not know means the two versions differ. */
function errorFromInfo(info: WireErrorInfo): RolecallError {
  // The next step may name the real profile or command (RolecallError's `next` option): keep the agent's.
  if (isErrorCode(info.code)) return new RolecallError(info.code, info.detail, { next: info.next });
  return new RolecallError('AGENT_INCOMPATIBLE', `the agent answered with an unknown error ${info.code}: ${info.message}`);
}

// A client checks the folder too: a socket someone else could have put there may be an impostor.
async function checkSocketBeforeConnecting(socketPath: string): Promise<void> {
  let exists: boolean;
  try {
    await assertPrivateFolder(dirname(socketPath));
    exists = await ownSocketExists(socketPath);
  } catch (error) {
    if (isNobodyListeningCode(error)) throw unavailable(`nothing listens on ${socketPath}`, error);
    throw error;
  }
  if (!exists) throw unavailable(`nothing listens on ${socketPath}`, undefined, true);
}

export async function connectAgent(socketPath: string, options: ConnectOptions = {}): Promise<AgentClient> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!isNamedPipe(socketPath)) await checkSocketBeforeConnecting(socketPath);
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    const reader = createLineReader(MAX_RESPONSE_BYTES);
    let client: Connection | undefined;
    const fail = (error: RolecallError): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(unavailable(`no answer on ${socketPath} within ${timeoutMs} ms`)), timeoutMs);

    const greet = (line: string): void => {
      const hello = readAgentHello(parseJson(line));
      if (hello === undefined) return fail(new RolecallError('AGENT_INCOMPATIBLE', 'the agent did not answer with a hello'));
      const { protocol, agent } = hello;
      if (protocol !== PROTOCOL_VERSION) {
        return fail(new RolecallError('AGENT_INCOMPATIBLE', `the agent speaks protocol ${protocol}, this client ${PROTOCOL_VERSION}`));
      }
      const info = readAgentInfo(agent);
      if (info === undefined) return fail(new RolecallError('AGENT_INCOMPATIBLE', 'the agent described itself in an unknown form'));
      clearTimeout(timer);
      client = new Connection(socket, info);
      resolve(client);
    };

    socket.once('connect', () => socket.write(encodeFrame({ hello: { protocol: PROTOCOL_VERSION } })));
    socket.on('data', (chunk: Buffer) => {
      const lines = reader.push(chunk);
      if (lines === null) {
        if (client === undefined) fail(new RolecallError('AGENT_INCOMPATIBLE', 'the agent sent a message larger than the limit'));
        else socket.destroy();
        return;
      }
      for (const line of lines) {
        if (socket.destroyed) return;
        if (client === undefined) greet(line);
        else client.receive(line);
      }
    });
    const hungUp = () => unavailable(`the agent on ${socketPath} closed the connection before its hello (it is stopping, or serves its limit of connections: its log says which)`);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (client !== undefined) return;
      // A refused connection is accepted and closed at once: our hello may meet the closed end.
      if (error.code !== undefined && HUNG_UP_CODES.has(error.code)) fail(hungUp());
      else fail(unavailable(`${error.code ?? error.name} on ${socketPath}`, error));
    });
    socket.on('close', () => {
      if (client === undefined) fail(hungUp());
      else client.lost();
    });
  });
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: RolecallError): void;
}

class Connection implements AgentClient {
  readonly closed: Promise<void>;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Set<AgentEventListener>();
  private nextId = 1;
  private isClosed = false;
  private markClosed!: () => void;

  constructor(
    private readonly socket: Socket,
    readonly info: AgentInfo,
  ) {
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  call<N extends SocketOperationName>(op: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    if (this.isClosed) return Promise.reject(new RolecallError('AGENT_CONNECTION_LOST'));
    const id = this.nextId;
    this.nextId += 1;
    const frame = encodeFrame({ id, op, input });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as OperationOutput<N>), reject });
      this.socket.write(frame);
    });
  }

  subscribe(listener: AgentEventListener): () => void {
    if (this.listeners.size === 0) this.send({ subscribe: true });
    this.listeners.add(listener);
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.send({ subscribe: false });
    };
  }

  close(): Promise<void> {
    if (!this.isClosed) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
    }
    return this.closed;
  }

  receive(line: string): void {
    const message = parseJson(line);
    const response = readResponse(message);
    if (response !== undefined) {
      const { id, result } = response;
      const call = this.pending.get(id);
      if (call === undefined) return;
      this.pending.delete(id);
      if (result.ok) call.resolve(result.value);
      else call.reject(errorFromInfo(result.error));
      return;
    }
    const event = readEvent(message);
    if (event === undefined) {
      this.socket.destroy();
      return;
    }
    // Events a newer agent added mean nothing to this client.
    if (!Object.hasOwn(KNOWN_EVENTS, event.event)) return;
    // Unchecked here (this module stays free of zod): a listener checks with the contract's parseEvent, as status --watch does.
    for (const listener of this.listeners) listener(event.event as EventName, event.payload as never);
  }

  lost(): void {
    this.isClosed = true;
    for (const call of this.pending.values()) call.reject(new RolecallError('AGENT_CONNECTION_LOST'));
    this.pending.clear();
    this.markClosed();
  }

  private send(message: unknown): void {
    if (!this.isClosed) this.socket.write(encodeFrame(message));
  }
}
