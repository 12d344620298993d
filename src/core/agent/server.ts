// The agent's socket: dispatches contract operations to the host's handlers and streams its events.
// App-only operations are refused (they need the desktop); the rest go through dispatch(), which
// validates each input with the contract's schema and answers failures as values.
import { promises as fs } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AgentEventListener, CallResult, OperationName } from '../../shared/contract';
import { EVENTS, OPERATIONS } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';
import { RolecallError, toErrorInfo } from '../../shared/errors';
import type { AgentInfo } from '../../shared/model';
import { takeLock, type FileLock } from '../files/file-lock';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import type { Clock, TimerHandle } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { connectAgent, nobodyListens } from './client';
import { dispatch, type OperationHandlers } from './dispatch';
import {
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  PROTOCOL_VERSION,
  clientHelloSchema,
  createLineReader,
  encodeFrame,
  parseJson,
  requestSchema,
  subscriptionSchema,
} from './protocol';
import { ownSocketExists, prepareSocketFolder } from './socket-folder';
import { isNamedPipe } from './socket-path';

export type { OperationHandlers, ParsedInput } from './dispatch';
/** One listener type for every event: the name types the payload. */
export type HostEventListener = AgentEventListener;
/** The host's event source: registers a listener, returns its removal. */
export type AgentEventSource = (listener: HostEventListener) => () => void;

export interface AgentServerOptions {
  readonly socketPath: string;
  /** What the hello tells clients (and what `agent.info` should answer). */
  readonly info: AgentInfo;
  readonly handlers: OperationHandlers;
  readonly subscribe: AgentEventSource;
  readonly logger?: Logger;
  /** Whether the host has work that must outlive its clients (active sessions, endpoints). */
  readonly isBusy?: () => boolean;
  /**
   * Called once when no client has been connected and the host has not been busy for `idleMs`.
   * Without it the agent never idles out (the app host).
   */
  readonly onIdle?: () => void;
  readonly idleMs?: number;
  readonly clock?: Clock;
  readonly maxRequestBytes?: number;
  /** How long a new client has to send its hello before it is dropped. */
  readonly helloTimeoutMs?: number;
  /** How long a client may leave a message unfinished before it is dropped. */
  readonly partialMessageTimeoutMs?: number;
  /** Connections served at once; more are refused and closed while the others keep working. */
  readonly maxConnections?: number;
}

export interface AgentServer {
  readonly socketPath: string;
  readonly info: AgentInfo;
  connectionCount(): number;
  /** Closes every connection and removes the socket. */
  stop(): Promise<void>;
}

export const DEFAULT_IDLE_MS = 10 * 60_000;
/** How long a starting agent waits for the hello of an agent already on the socket. */
const PROBE_TIMEOUT_MS = 2000;
const STOP_GRACE_MS = 1000;
/** How long a stopping agent waits for the answers it is still working on (an activation's CreateSession). */
const IN_FLIGHT_GRACE_MS = 5000;
/** A client that stops reading must not make the agent buffer events without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
// A real client says hello at once and writes each message whole; these bound what a stuck or hostile
// one (each holds a descriptor and a buffer of up to maxRequestBytes) can keep from the others.
export const DEFAULT_HELLO_TIMEOUT_MS = 5000;
export const DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS = 10_000;
/** Far above what one user's tools open at once (an SDK burst shares one agent call per process). */
export const DEFAULT_MAX_CONNECTIONS = 64;

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const { socketPath } = options;
  const logger = options.logger ?? nullLogger;
  // A named pipe vanishes with its process, so there is nothing stale to clear and binding is atomic.
  if (isNamedPipe(socketPath)) {
    await refuseIfAnswering(socketPath);
    return new AgentSocketServer(options, await listen(socketPath));
  }
  await prepareSocketFolder(socketPath);
  // Probe, clear a stale socket and bind as one step: two agents starting at once must not both find
  // the socket stale, with the second unlinking the first one's fresh socket.
  const lock = await lockStartup(socketPath, logger);
  try {
    if (await ownSocketExists(socketPath)) {
      await refuseIfAnswering(socketPath);
      await fs.unlink(socketPath);
      logger.info('removed a stale agent socket', { socketPath });
    }
    const server = await listen(socketPath);
    await fs.chmod(socketPath, 0o600);
    return new AgentSocketServer(options, server);
  } finally {
    await lock.release();
  }
}

// The lock only orders starts, it guards no data: losing it to a takeover changes nothing. A killed
// starter's lock goes stale (5 s) well before a waiting agent gives up.
function lockStartup(socketPath: string, logger: Logger): Promise<FileLock> {
  return takeLock(socketPath, {
    staleMs: 5_000,
    waitMs: 13_000,
    busy: () => new RolecallError('AGENT_ALREADY_RUNNING', `another agent is starting on ${socketPath}`),
    logger,
  });
}

// A socket that accepts the connection has a live process behind it, even one that does not answer
// as this version's agent would: only a refused connection (or no file) means the socket is stale.
async function refuseIfAnswering(socketPath: string): Promise<void> {
  let holder: string;
  try {
    const client = await connectAgent(socketPath, { timeoutMs: PROBE_TIMEOUT_MS });
    await client.close();
    holder = `the ${client.info.host} agent (pid ${client.info.pid})`;
  } catch (error) {
    if (nobodyListens(error)) return;
    if (!(error instanceof RolecallError) || (error.code !== 'AGENT_UNAVAILABLE' && error.code !== 'AGENT_INCOMPATIBLE')) throw error;
    holder = `a process that does not answer as this agent (${error.detail ?? error.code})`;
  }
  throw new RolecallError('AGENT_ALREADY_RUNNING', `${holder} listens on ${socketPath}`);
}

function listen(socketPath: string): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new RolecallError('AGENT_ALREADY_RUNNING', `${socketPath} is in use`, { cause: error }));
      else reject(new RolecallError('AGENT_UNAVAILABLE', `could not listen on ${socketPath}: ${error.code ?? error.message}`, { cause: error }));
    });
    server.listen(socketPath, () => resolve(server));
  });
}

interface ClientConnection {
  readonly socket: Socket;
  greeted: boolean;
  subscribed: boolean;
  /** Runs while the client owes its hello or the rest of a message it began. */
  deadline: TimerHandle | undefined;
}

class AgentSocketServer implements AgentServer {
  readonly socketPath: string;
  readonly info: AgentInfo;
  private readonly connections = new Set<ClientConnection>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly unsubscribe: () => void;
  private idleTimer: TimerHandle | undefined;
  private idleFired = false;
  private stopping: Promise<void> | undefined;
  /** Connections refused since the limit was last reached, reported once there is room again. */
  private refused = 0;
  /** Operations being answered: a stop lets them finish (within IN_FLIGHT_GRACE_MS) before closing. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: AgentServerOptions,
    private readonly server: Server,
  ) {
    this.socketPath = options.socketPath;
    this.info = options.info;
    this.logger = options.logger ?? nullLogger;
    this.clock = options.clock ?? systemClock;
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (error) => this.logger.error('agent socket error', { error }));
    this.unsubscribe = options.subscribe((event, payload) => this.broadcast(event, payload));
    this.logger.info('agent listening', { socketPath: this.socketPath, host: this.info.host });
    this.armIdle();
  }

  connectionCount(): number {
    return this.connections.size;
  }

  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.idleTimer?.cancel();
    this.unsubscribe();
    // Closing the listener removes the socket file at once (libuv unlinks it), so a successor can bind
    // while the last answers are still being flushed to their clients.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.inFlight.size > 0) {
      let timer: TimerHandle | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => (timer = this.clock.setTimer(IN_FLIGHT_GRACE_MS, resolve)))]);
      timer?.cancel();
    }
    for (const { socket } of this.connections) socket.end();
    const force = this.clock.setTimer(STOP_GRACE_MS, () => {
      for (const { socket } of this.connections) socket.destroy();
    });
    await closed;
    force.cancel();
    this.logger.info('agent stopped', { socketPath: this.socketPath });
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const limit = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (this.connections.size >= limit) return this.refuse(socket, limit);
    const connection: ClientConnection = { socket, greeted: false, subscribed: false, deadline: undefined };
    this.connections.add(connection);
    this.idleTimer?.cancel();
    this.expect(connection, this.options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS, 'the client did not say hello in time');
    const reader = createLineReader(this.options.maxRequestBytes ?? MAX_REQUEST_BYTES);
    socket.on('data', (chunk: Buffer) => {
      const lines = reader.push(chunk);
      if (lines === null) {
        this.drop(connection, 'a message exceeded the size limit');
        return;
      }
      for (const line of lines) {
        if (socket.destroyed) return;
        this.receive(connection, line);
      }
      if (socket.destroyed || !connection.greeted) return;
      // The clock starts with a message's first bytes, not its latest: dripping a byte at a time gains nothing.
      const unfinished = chunk.length > 0 && chunk[chunk.length - 1] !== 0x0a;
      if (!unfinished) this.fulfilled(connection);
      else if (connection.deadline === undefined) {
        this.expect(connection, this.options.partialMessageTimeoutMs ?? DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS, 'the client left a message unfinished');
      }
    });
    socket.on('error', (error) => this.logger.debug('agent client connection error', { error }));
    socket.on('close', () => {
      this.fulfilled(connection);
      this.connections.delete(connection);
      if (this.refused > 0 && this.connections.size < limit) {
        this.logger.info('accepting agent client connections again', { refused: this.refused, limit });
        this.refused = 0;
      }
      if (this.connections.size === 0) this.armIdle();
    });
  }

  // Logged once per time the limit is reached: a client retrying in a loop must not flood the log.
  private refuse(socket: Socket, limit: number): void {
    if (this.refused === 0) {
      this.logger.warn('refused an agent client connection', { reason: `the agent already serves its limit of ${limit} connections`, limit });
    }
    this.refused += 1;
    socket.destroy();
  }

  /** Drops the connection unless it is fulfilled within ms. */
  private expect(connection: ClientConnection, ms: number, reason: string): void {
    this.fulfilled(connection);
    connection.deadline = this.clock.setTimer(ms, () => {
      connection.deadline = undefined;
      this.drop(connection, reason);
    });
  }

  private fulfilled(connection: ClientConnection): void {
    connection.deadline?.cancel();
    connection.deadline = undefined;
  }

  private receive(connection: ClientConnection, line: string): void {
    const message = parseJson(line);
    if (!connection.greeted) {
      const hello = clientHelloSchema.safeParse(message);
      if (!hello.success) return this.drop(connection, 'the client did not open with a hello');
      connection.greeted = true;
      this.fulfilled(connection);
      this.send(connection, { hello: { protocol: PROTOCOL_VERSION, agent: this.info } });
      // Another version's client reads our protocol number from the hello and reports the mismatch.
      if (hello.data.hello.protocol !== PROTOCOL_VERSION) connection.socket.end();
      return;
    }
    const request = requestSchema.safeParse(message);
    if (request.success) {
      const { id, op, input } = request.data;
      // Counted before the handler runs: a handler may itself lead the host to stop.
      const answered = Promise.resolve()
        .then(() => this.dispatch(op, input))
        .then((result) => this.respond(connection, id, op, result));
      this.inFlight.add(answered);
      void answered.finally(() => this.inFlight.delete(answered));
      return;
    }
    const subscription = subscriptionSchema.safeParse(message);
    if (subscription.success) {
      connection.subscribed = subscription.data.subscribe;
      return;
    }
    this.drop(connection, 'the client sent a message that is not part of the protocol');
  }

  private dispatch(op: string, input: unknown): Promise<CallResult<unknown>> {
    const refuse = (error: RolecallError): Promise<CallResult<unknown>> => Promise.resolve({ ok: false, error: error.toInfo() });
    if (!Object.hasOwn(OPERATIONS, op)) return refuse(new RolecallError('AGENT_INCOMPATIBLE', `this agent has no operation "${op}"`));
    const name = op as OperationName;
    if (OPERATIONS[name].exposure === 'app') return refuse(new RolecallError('AGENT_APP_ONLY', name));
    return dispatch(this.options.handlers, name, input, {
      logger: this.logger,
      caller: 'socket',
      notOffered: () => new RolecallError('AGENT_INCOMPATIBLE', `this agent does not offer "${name}"`),
    });
  }

  private respond(connection: ClientConnection, id: number, op: string, result: CallResult<unknown>): void {
    let frame: string;
    try {
      frame = encodeFrame({ id, result });
    } catch (error) {
      this.logger.error('an operation returned a value that cannot be sent', { op, error });
      frame = encodeFrame({ id, result: { ok: false, error: toErrorInfo(error) } });
    }
    if (Buffer.byteLength(frame) > MAX_RESPONSE_BYTES) {
      this.logger.error('an operation returned a value too large to send', { op, bytes: Buffer.byteLength(frame) });
      const error: ErrorInfo = new RolecallError('INTERNAL', 'the answer was too large to send').toInfo();
      frame = encodeFrame({ id, result: { ok: false, error } });
    }
    this.write(connection, frame);
  }

  private broadcast(event: string, payload: unknown): void {
    if (!Object.hasOwn(EVENTS, event)) {
      this.logger.warn('the host emitted an event the contract does not know', { event });
      return;
    }
    let frame: string;
    try {
      frame = encodeFrame({ event, payload });
    } catch (error) {
      this.logger.error('an event could not be sent', { event, error });
      return;
    }
    for (const connection of this.connections) {
      if (connection.greeted && connection.subscribed) this.write(connection, frame);
    }
  }

  private send(connection: ClientConnection, message: unknown): void {
    this.write(connection, encodeFrame(message));
  }

  private write(connection: ClientConnection, frame: string): void {
    const { socket } = connection;
    if (!socket.writable) return;
    if (socket.writableLength > MAX_BUFFERED_BYTES) return this.drop(connection, 'the client stopped reading');
    socket.write(frame);
  }

  private drop(connection: ClientConnection, reason: string): void {
    this.logger.warn('closed an agent client connection', { reason });
    connection.socket.destroy();
  }

  private armIdle(): void {
    const { onIdle } = this.options;
    if (onIdle === undefined || this.idleFired || this.stopping) return;
    this.idleTimer?.cancel();
    this.idleTimer = this.clock.setTimer(this.options.idleMs ?? DEFAULT_IDLE_MS, () => {
      this.idleTimer = undefined;
      if (this.connections.size > 0 || this.stopping) return;
      // The host's work (a refresh schedule, an endpoint) does not tell us when it ends: look again later.
      if (this.options.isBusy?.() === true) return this.armIdle();
      this.idleFired = true;
      this.logger.info('agent idle', { socketPath: this.socketPath });
      onIdle();
    });
  }
}
