// The sandbox: Roles Anywhere (CreateSession, ListTrustAnchors, ListProfiles) and STS
// (GetCallerIdentity) on one loopback port, with runtime switches for the failures clients must
// survive and a log of every request so tests can count what reached "AWS".
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restJsonError, type Answer } from './answer';
import { headerPairs, type RawRequest } from './canonical';
import { resolveConfig, type AccountOptions, type SandboxConfig } from './config';
import { CredentialRegistry, type IssuedCredentials } from './credentials';
import { createSession, listProfiles, listTrustAnchors, type ServiceContext } from './rolesanywhere-api';
import { ServiceError, type Reason } from './service-error';
import { verifyHmacSigV4 } from './sigv4-hmac';
import { callerIdentityAnswer, readStsCall, requireGetCallerIdentity, stsErrorAnswer, type StsCall } from './sts';

export interface SandboxOptions extends AccountOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The service clock in ms since the epoch; default Date.now. The `clockSkewMs` switch is added to it. */
  readonly clock?: () => number;
  /** Called after each request is answered (or dropped), e.g. for `rolecall sandbox` to print a line. */
  readonly onRequest?: (record: RequestRecord) => void;
}

/** Mutable at runtime; every request reads them afresh. */
export interface SandboxSwitches {
  /** Delay before each request is handled (real time, not the sandbox clock). */
  latencyMs: number;
  /** The next n Roles Anywhere requests answer 429 ThrottlingException. */
  throttleNext: number;
  /** The next n Roles Anywhere requests answer 500 InternalServerException. */
  failNext: number;
  /** The next n Roles Anywhere requests get their connection destroyed without an answer. */
  dropNext: number;
  /** Issued credentials expire after this many seconds instead of their duration (below AWS's 900 s minimum, for tests). */
  shortLivedSeconds: number | undefined;
  /** Added to the sandbox clock: a server whose clock is ahead (positive) or behind (negative) the client's. */
  clockSkewMs: number;
  /** CreateSession calls allowed per second of sandbox clock (AWS allows 10); undefined for no limit. */
  createSessionsPerSecond: number | undefined;
}

export type SandboxOperation = 'CreateSession' | 'ListTrustAnchors' | 'ListProfiles' | 'GetCallerIdentity' | 'Unknown';

export interface RequestRecord {
  readonly operation: SandboxOperation;
  readonly method: string;
  readonly path: string;
  /** The HTTP status answered, or 'dropped' when the connection was destroyed on purpose. */
  readonly status: number | 'dropped';
  /** Sandbox clock (skew included) when the request arrived. */
  readonly at: number;
  /** The error code answered, when it was an error. */
  readonly code?: string;
  /** Which check failed, when one did. */
  readonly reason?: Reason;
  /** The issued access key that made the call (STS and list calls) or that was issued (CreateSession). */
  readonly accessKeyId?: string;
}

export class RequestLog {
  readonly #entries: RequestRecord[] = [];

  get entries(): readonly RequestRecord[] {
    return this.#entries;
  }

  add(record: RequestRecord): void {
    this.#entries.push(record);
  }

  /** How many requests of this operation arrived, optionally only those answered with `status`. */
  count(operation?: SandboxOperation, status?: number | 'dropped'): number {
    return this.#entries.filter((e) => (operation === undefined || e.operation === operation) && (status === undefined || e.status === status)).length;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly config: SandboxConfig;
  readonly switches: SandboxSwitches;
  readonly requests: RequestLog;
  /** The sandbox clock, skew included. */
  now(): number;
  issuedCredentials(accessKeyId: string): IssuedCredentials | undefined;
  allIssuedCredentials(): IssuedCredentials[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const RA_OPERATIONS: readonly SandboxOperation[] = ['CreateSession', 'ListTrustAnchors', 'ListProfiles'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? Date.now;
  const switches: SandboxSwitches = {
    latencyMs: 0,
    throttleNext: 0,
    failNext: 0,
    dropNext: 0,
    shortLivedSeconds: undefined,
    clockSkewMs: 0,
    createSessionsPerSecond: undefined,
  };
  const now = () => clock() + switches.clockSkewMs;
  const config = resolveConfig(options, now());
  const registry = new CredentialRegistry();
  const requests = new RequestLog();
  const context: ServiceContext = { config, registry, now, shortLivedSeconds: () => switches.shortLivedSeconds };
  const recentCreateSessions: number[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (switches.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, switches.latencyMs));
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const request: RawRequest = {
      method: req.method ?? 'GET',
      path: queryAt < 0 ? target : target.slice(0, queryAt),
      query: queryAt < 0 ? '' : target.slice(queryAt + 1),
      headers: headerPairs(req.rawHeaders),
      body: body ?? Buffer.alloc(0),
    };
    const at = now();
    const route = routeOf(request);
    const record = (status: number | 'dropped', extra: Partial<RequestRecord> = {}) => {
      const entry: RequestRecord = { operation: route.operation, method: request.method, path: request.path, status, at, ...extra };
      requests.add(entry);
      options.onRequest?.(entry);
    };

    if (RA_OPERATIONS.includes(route.operation) && switches.dropNext > 0) {
      switches.dropNext--;
      record('dropped');
      req.socket.destroy();
      return;
    }
    const requestId = randomUUID();
    let answer: Answer;
    let accessKeyId: string | undefined;
    try {
      if (body === undefined) throw new ServiceError(400, 'ValidationException', `Request body exceeds ${MAX_BODY_BYTES} bytes`, 'INVALID_PARAMETER');
      injectFaults(route.operation, at);
      const result = route.run(request);
      answer = result.answer;
      accessKeyId = result.accessKeyId;
    } catch (error) {
      const serviceError =
        error instanceof ServiceError ? error : new ServiceError(500, 'InternalServerException', 'An internal error occurred in the sandbox', 'INJECTED_FAILURE');
      if (!(error instanceof ServiceError)) console.error('sandbox: unexpected error', error);
      answer = route.renderError(serviceError, requestId);
      record(answer.status, { code: serviceError.code, reason: serviceError.reason });
      send(res, answer, requestId);
      return;
    }
    record(answer.status, accessKeyId === undefined ? {} : { accessKeyId });
    send(res, answer, requestId);
  }

  function injectFaults(operation: SandboxOperation, at: number): void {
    if (!RA_OPERATIONS.includes(operation)) return;
    if (switches.throttleNext > 0) {
      switches.throttleNext--;
      throw new ServiceError(429, 'ThrottlingException', 'Rate exceeded', 'THROTTLED');
    }
    if (switches.failNext > 0) {
      switches.failNext--;
      throw new ServiceError(500, 'InternalServerException', 'An internal error occurred', 'INJECTED_FAILURE');
    }
    const limit = switches.createSessionsPerSecond;
    if (operation === 'CreateSession' && limit !== undefined) {
      while (recentCreateSessions.length > 0 && (recentCreateSessions[0] as number) <= at - 1000) recentCreateSessions.shift();
      if (recentCreateSessions.length >= limit) throw new ServiceError(429, 'ThrottlingException', 'Rate exceeded', 'THROTTLED');
      recentCreateSessions.push(at);
    }
  }

  interface Route {
    readonly operation: SandboxOperation;
    run(request: RawRequest): { answer: Answer; accessKeyId?: string };
    renderError(error: ServiceError, requestId: string): Answer;
  }

  function routeOf(request: RawRequest): Route {
    const restJson = (operation: SandboxOperation, run: Route['run']): Route => ({ operation, run, renderError: (error) => restJsonError(error) });
    if (request.method === 'POST' && request.path === '/sessions') {
      return restJson('CreateSession', (r) => {
        const { answer, issued } = createSession(r, context);
        return { answer, accessKeyId: issued.accessKeyId };
      });
    }
    if (request.method === 'GET' && request.path === '/trustanchors') return restJson('ListTrustAnchors', (r) => listTrustAnchors(r, context));
    if (request.method === 'GET' && request.path === '/profiles') return restJson('ListProfiles', (r) => listProfiles(r, context));
    const sts = request.path === '/' && (request.method === 'POST' || request.method === 'GET') ? readStsCall(request) : undefined;
    if (sts) return stsRoute(sts);
    return restJson('Unknown', () => {
      throw new ServiceError(404, 'UnknownOperationException', `No operation at ${request.method} ${request.path}`, 'UNKNOWN_OPERATION');
    });
  }

  function stsRoute(call: StsCall): Route {
    return {
      operation: call.action === 'GetCallerIdentity' ? 'GetCallerIdentity' : 'Unknown',
      run(request) {
        requireGetCallerIdentity(call);
        const credentials = verifyHmacSigV4(request, { now: now(), service: 'sts', lookup: (id) => registry.find(id), dialect: 'sts' });
        return { answer: callerIdentityAnswer(call.protocol, credentials, randomUUID()), accessKeyId: credentials.accessKeyId };
      },
      renderError: (error, requestId) => stsErrorAnswer(call.protocol, error, requestId),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}`,
    host,
    port: address.port,
    config,
    switches,
    requests,
    now,
    issuedCredentials: (accessKeyId) => registry.find(accessKeyId),
    allIssuedCredentials: () => registry.all(),
    stop: () => closeServer(server),
  };
}

/** The whole body, or undefined when it is larger than the service accepts. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: Answer, requestId: string): void {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, {
    ...answer.headers,
    'x-amzn-RequestId': requestId,
    'Content-Length': String(body.length),
    Date: new Date().toUTCString(),
  });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
