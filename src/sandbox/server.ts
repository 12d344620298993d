// The sandbox: Roles Anywhere (CreateSession and the control plane), IAM's role operations and STS
// (GetCallerIdentity) on one loopback port, with runtime switches for the failures clients must
// survive and a log of every request so tests can count what reached "AWS". One sandbox serves one
// region (its config's): a test of several regions starts one per region, each with its own switches.
// With a state file, the account survives a restart; without one it lives in memory only.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminKeyOf } from './admin-key';
import { jsonAnswer, restJsonError, type Answer } from './answer';
import { headerPairs, type RawRequest } from './canonical';
import { addMissing, resolveConfig, type AccountOptions, type SandboxConfig } from './config';
import { rolesAnywhereControlRoute, type RolesAnywhereControlOperation } from './control-plane/rolesanywhere-control';
import { CredentialRegistry, type IssuedCredentials } from './credentials';
import { answerFederation, federationError, federationOperationOf, SigninTokens, type FederationOperation } from './federation';
import { FaultPicker, takeAnswerFault, type FaultCounters, type FaultDraw, type FaultKind, type FaultRates } from './faults';
import { iamErrorAnswer, iamOperationOf, runIam, type IamOperation } from './iam-api';
import { createSession, listProfiles, listTrustAnchors, type ServiceContext } from './rolesanywhere-api';
import { notFound, ServiceError, type Reason } from './service-error';
import { signedServiceOf, verifyHmacSigV4 } from './sigv4-hmac';
import { openSeed, readState, SandboxStateError, writeState } from './state-store';
import { callerIdentityAnswer, readStsCall, requireGetCallerIdentity, stsErrorAnswer, type StsCall } from './sts';

export interface SandboxOptions extends AccountOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The service clock in ms since the epoch; default Date.now. The `clockSkewMs` switch is added to it. */
  readonly clock?: () => number;
  /**
   * How the sandbox waits out `latencyMs` and a dripping body's pauses; default real timers. A test on a
   * virtual clock hands in that clock's sleep, so a slow answer costs virtual time, not real time.
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each request is answered (or dropped), e.g. for `rolecall sandbox` to print a line. */
  readonly onRequest?: (record: RequestRecord) => void;
  /**
   * Where the account is kept across restarts (JSON, rewritten after each change; the seed its secrets
   * come from lives beside it). The options' trust anchors, profiles and roles are added when missing.
   * Without it the account lives in memory only.
   */
  readonly stateFile?: string;
}

/**
 * Mutable at runtime; every request reads them afresh. The `…Next` counters give exact faults to the
 * next Roles Anywhere requests (STS is never touched); `faultRates` adds random ones on top.
 */
export interface SandboxSwitches extends FaultCounters {
  /** Delay before each request is handled (through the `sleep` option: real time unless a test hands in its clock's). */
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
  /** The next n CreateSession answers carry credentials that expire `expiringInSeconds` after they are issued. */
  expiringNext: number;
  /** An "expiring" answer's lifetime: negative for credentials already expired when they arrive (default -60). */
  expiringInSeconds: number;
  /** The next n successful Roles Anywhere answers send their headers, then the body one byte every `dripByteMs`. */
  dripNext: number;
  dripByteMs: number;
  /**
   * The next n successful Roles Anywhere answers stream `oversizedBytes` (default 60 MiB) without a
   * Content-Length: the real answer padded with JSON whitespace, so only a size cap stops a client.
   */
  oversizedNext: number;
  oversizedBytes: number;
  /** Per-request probability of each fault, drawn after the counters are checked. */
  faultRates: FaultRates;
  /** Seeds the fault dice; the same seed and the same requests give the same faults. */
  faultSeed: number;
}

export type SandboxOperation = 'CreateSession' | 'ListTrustAnchors' | 'ListProfiles' | 'GetCallerIdentity' | RolesAnywhereControlOperation | IamOperation | FederationOperation | 'Explain' | 'Unknown';

/** `GET /__explain/<requestId>`: why the sandbox answered a request as it did (see explainRoute). */
export const EXPLAIN_PATH = '/__explain/';

export interface RequestRecord {
  readonly operation: SandboxOperation;
  readonly method: string;
  readonly path: string;
  /** The raw query string (the ARNs of a CreateSession call, a list call's paging): tells calls apart by profile or role. */
  readonly query: string;
  /** The HTTP status answered, or 'dropped' when the connection was destroyed on purpose. */
  readonly status: number | 'dropped';
  /** Sandbox clock (skew included) when the request arrived. */
  readonly at: number;
  /** The error code answered, when it was an error. */
  readonly code?: string;
  /** Which check failed, when one did. */
  readonly reason?: Reason;
  /** The id the answer carried in x-amzn-RequestId (absent for a dropped connection). */
  readonly requestId?: string;
  /** Why, in full, where the wire message is AWS's terse one (a trust policy refusal, a revoked certificate). */
  readonly explanation?: string;
  /** The issued access key that made the call (STS and list calls) or that was issued (CreateSession). */
  readonly accessKeyId?: string;
  /** The faults injected into this request, when any was. */
  readonly faults?: readonly FaultKind[];
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
  /** The long-term key that may call every API (stable for one state file's folder). */
  readonly adminKey: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The state file, when the account is kept on disk. */
  readonly stateFile: string | undefined;
  /** Saves the account now; for hosts that change `config` directly (requests that change it save themselves). */
  persist(): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const OVERSIZED_CHUNK_BYTES = 64 * 1024;
export const DEFAULT_OVERSIZED_BYTES = 60 * 1024 * 1024;

/** Every switch off: how a sandbox starts, and what a test puts back after changing some. */
export function defaultSwitches(): SandboxSwitches {
  return {
    latencyMs: 0,
    throttleNext: 0,
    failNext: 0,
    dropNext: 0,
    shortLivedSeconds: undefined,
    clockSkewMs: 0,
    createSessionsPerSecond: undefined,
    expiringNext: 0,
    expiringInSeconds: -60,
    dripNext: 0,
    dripByteMs: 500,
    oversizedNext: 0,
    oversizedBytes: DEFAULT_OVERSIZED_BYTES,
    faultRates: {},
    faultSeed: 1,
  };
}
const RA_OPERATIONS: readonly SandboxOperation[] = ['CreateSession', 'ListTrustAnchors', 'ListProfiles'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const switches = defaultSwitches();
  const now = () => clock() + switches.clockSkewMs;
  const { config, registry, seed } = openAccount(options, now());
  const adminKey = adminKeyOf(seed, config.account);
  registry.admit(adminKey);
  const persist = () => {
    if (options.stateFile !== undefined) writeState(options.stateFile, { config, credentials: registry.records() }, now());
  };
  persist();
  const requests = new RequestLog();
  const picker = new FaultPicker(switches.faultSeed);
  // The draw of the request being served: handlers run synchronously, so one variable is enough.
  let serving: { draw: FaultDraw; faults: FaultKind[] } | undefined;
  const context: ServiceContext = {
    config,
    registry,
    now,
    // Asked only when credentials are being issued, so an "expiring" fault is spent on a real answer.
    shortLivedSeconds: () => {
      if (serving && takeAnswerFault('expiring', switches, serving.draw)) {
        serving.faults.push('expiring');
        return switches.expiringInSeconds;
      }
      return switches.shortLivedSeconds;
    },
  };
  const recentCreateSessions: number[] = [];
  const signinTokens = new SigninTokens();
  let origin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (switches.latencyMs > 0) await sleep(switches.latencyMs);
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
    // A federation query holds a session's secret or a sign-in token: the log keeps none of it.
    const loggedQuery = federationOperationOf(request.path, request.query) === undefined ? request.query : '';
    const record = (status: number | 'dropped', extra: Partial<RequestRecord> = {}) => {
      const entry: RequestRecord = { operation: route.operation, method: request.method, path: request.path, query: loggedQuery, status, at, ...extra };
      requests.add(entry);
      options.onRequest?.(entry);
    };

    const faultable = RA_OPERATIONS.includes(route.operation);
    const draw = faultable ? picker.draw(switches, switches.faultRates, switches.faultSeed) : undefined;
    if (draw?.refusal === 'drop') {
      record('dropped', { faults: ['drop'] });
      req.socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const faults: FaultKind[] = draw?.refusal === undefined ? [] : [draw.refusal];
    let answer: Answer;
    let accessKeyId: string | undefined;
    try {
      if (body === undefined) throw new ServiceError(400, 'ValidationException', `Request body exceeds ${MAX_BODY_BYTES} bytes`, 'INVALID_PARAMETER');
      refuse(draw?.refusal);
      if (route.operation === 'CreateSession') applyRateLimit(at);
      serving = draw && { draw, faults };
      const result = route.run(request, requestId);
      answer = result.answer;
      accessKeyId = result.accessKeyId;
      if (result.changed) persist();
    } catch (error) {
      const serviceError =
        error instanceof ServiceError ? error : new ServiceError(500, 'InternalServerException', 'An internal error occurred in the sandbox', 'INJECTED_FAILURE');
      if (!(error instanceof ServiceError)) console.error('sandbox: unexpected error', error);
      answer = route.renderError(serviceError, requestId);
      record(answer.status, {
        requestId,
        code: serviceError.code,
        reason: serviceError.reason,
        ...(serviceError.explanation !== undefined && { explanation: serviceError.explanation }),
        ...(faults.length > 0 && { faults }),
      });
      send(res, answer, requestId, now());
      return;
    } finally {
      serving = undefined;
    }
    // Only a served answer can arrive badly; one that is oversized is not also dripped.
    const oversized = faultable && takeAnswerFault('oversized', switches, draw);
    const drip = faultable && !oversized && takeAnswerFault('drip', switches, draw);
    if (oversized) faults.push('oversized');
    if (drip) faults.push('drip');
    record(answer.status, { requestId, ...(accessKeyId !== undefined && { accessKeyId }), ...(faults.length > 0 && { faults }) });
    if (oversized) await sendOversized(res, answer, requestId, now(), switches.oversizedBytes);
    else if (drip) await sendDripping(res, answer, requestId, now(), () => sleep(switches.dripByteMs));
    else send(res, answer, requestId, now());
  }

  function refuse(refusal: FaultDraw['refusal']): void {
    if (refusal === 'throttle') throw new ServiceError(429, 'ThrottlingException', 'Rate exceeded', 'THROTTLED');
    if (refusal === 'fail') throw new ServiceError(500, 'InternalServerException', 'An internal error occurred', 'INJECTED_FAILURE');
  }

  function applyRateLimit(at: number): void {
    const limit = switches.createSessionsPerSecond;
    if (limit !== undefined) {
      while (recentCreateSessions.length > 0 && (recentCreateSessions[0] as number) <= at - 1000) recentCreateSessions.shift();
      if (recentCreateSessions.length >= limit) throw new ServiceError(429, 'ThrottlingException', 'Rate exceeded', 'THROTTLED');
      recentCreateSessions.push(at);
    }
  }

  interface Route {
    readonly operation: SandboxOperation;
    /** `changed`: the account changed, so the state file is rewritten before the answer goes out. */
    run(request: RawRequest, requestId: string): { answer: Answer; accessKeyId?: string; changed?: boolean };
    renderError(error: ServiceError, requestId: string): Answer;
  }

  function routeOf(request: RawRequest): Route {
    const restJson = (operation: SandboxOperation, run: Route['run']): Route => ({ operation, run, renderError: (error) => restJsonError(error) });
    if (request.method === 'POST' && request.path === '/sessions') {
      return restJson('CreateSession', (r) => {
        const { answer, issued } = createSession(r, context);
        return { answer, accessKeyId: issued.accessKeyId, changed: true };
      });
    }
    if (request.method === 'GET' && request.path === '/trustanchors') return restJson('ListTrustAnchors', (r) => listTrustAnchors(r, context));
    if (request.method === 'GET' && request.path === '/profiles') return restJson('ListProfiles', (r) => listProfiles(r, context));
    if (request.method === 'GET' && request.path.startsWith(EXPLAIN_PATH)) return explainRoute(decodeURIComponent(request.path.slice(EXPLAIN_PATH.length)));
    const federation = request.method === 'GET' ? federationOperationOf(request.path, request.query) : undefined;
    if (federation !== undefined) {
      return {
        operation: federation,
        run: (r) => answerFederation(federation, r.query, { registry, now, origin: () => origin }, signinTokens),
        renderError: federationError,
      };
    }
    const control = rolesAnywhereControlRoute(request.method, request.path);
    if (control) return restJson(control.operation, (r) => control.run(r, context));
    const atRoot = request.path === '/' && (request.method === 'POST' || request.method === 'GET');
    // IAM and STS share POST /: the signed service in the credential scope tells them apart.
    if (atRoot && signedServiceOf(request) === 'iam') {
      return { operation: iamOperationOf(request) ?? 'Unknown', run: (r, requestId) => runIam(r, context, requestId), renderError: iamErrorAnswer };
    }
    const sts = atRoot ? readStsCall(request) : undefined;
    if (sts) return stsRoute(sts);
    return restJson('Unknown', () => {
      throw new ServiceError(404, 'UnknownOperationException', `No operation at ${request.method} ${request.path}`, 'UNKNOWN_OPERATION');
    });
  }

  // The sandbox's own endpoint, not AWS's: why a request was answered as it was, for tests and for
  // diagnosis. It holds no secret (the log never does), so it needs no signature, like the rest of
  // the loopback-only sandbox's test hooks.
  function explainRoute(requestId: string): Route {
    return {
      operation: 'Explain',
      run() {
        const entry = requests.entries.find((candidate) => candidate.requestId === requestId);
        if (!entry) throw notFound('REQUEST_NOT_FOUND', `No request ${requestId} in this sandbox's log`);
        const { operation, status, code, reason, explanation, at } = entry;
        return { answer: jsonAnswer(200, { requestId, operation, status, at: new Date(at).toISOString(), ...(code && { code }), ...(reason && { reason }), ...(explanation && { explanation }) }) };
      },
      renderError: (error) => restJsonError(error),
    };
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
  origin = `http://${urlHost}:${address.port}`;

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
    adminKey: { accessKeyId: adminKey.accessKeyId, secretAccessKey: adminKey.secretAccessKey },
    stateFile: options.stateFile,
    persist,
    stop: () => closeServer(server),
  };
}

/** The account from the state file (the options' resources added when missing), or from the options alone. */
function openAccount(options: SandboxOptions, nowMs: number): { config: SandboxConfig; registry: CredentialRegistry; seed: Buffer } {
  const fromOptions = resolveConfig(options, nowMs);
  const seed = options.stateFile === undefined ? randomBytes(32) : openSeed(options.stateFile);
  const registry = new CredentialRegistry(seed);
  if (options.stateFile === undefined) return { config: fromOptions, registry, seed };
  const state = readState(options.stateFile);
  if (!state) return { config: fromOptions, registry, seed };
  const { config } = state;
  if (config.region !== fromOptions.region || config.account !== fromOptions.account) {
    throw new SandboxStateError(options.stateFile, `it holds account ${config.account} in ${config.region}, not ${fromOptions.account} in ${fromOptions.region}`);
  }
  addMissing(config, fromOptions);
  registry.restore(state.credentials);
  return { config, registry, seed };
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

/** The Date header follows the sandbox clock: a client that reads the service's time sees the virtual one. */
function send(res: ServerResponse, answer: Answer, requestId: string, at: number): void {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'x-amzn-RequestId': requestId, 'Content-Length': String(body.length), Date: new Date(at).toUTCString() });
  res.end(body);
}

/** The headers at once, then one byte after each pause, until the body is out or the client gives up. */
async function sendDripping(res: ServerResponse, answer: Answer, requestId: string, at: number, pause: () => Promise<void>): Promise<void> {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'x-amzn-RequestId': requestId, 'Content-Length': String(body.length), Date: new Date(at).toUTCString() });
  res.flushHeaders();
  for (let offset = 0; offset < body.length; offset++) {
    await pause();
    if (res.destroyed) return;
    res.write(body.subarray(offset, offset + 1));
  }
  res.end();
}

/**
 * The real answer, then JSON whitespace up to `totalBytes`, written a chunk at a time as the client
 * reads (never built in memory), chunked so no Content-Length warns the client beforehand.
 */
async function sendOversized(res: ServerResponse, answer: Answer, requestId: string, at: number, totalBytes: number): Promise<void> {
  res.writeHead(answer.status, { ...answer.headers, 'x-amzn-RequestId': requestId, Date: new Date(at).toUTCString() });
  const head = Buffer.from(answer.body, 'utf8');
  const padding = Buffer.alloc(OVERSIZED_CHUNK_BYTES, 0x20);
  let remaining = Math.max(0, totalBytes - head.length);
  let writable = res.write(head);
  while (remaining > 0 && !res.destroyed) {
    if (!writable && !(await drained(res))) return;
    const size = Math.min(remaining, padding.length);
    writable = res.write(size === padding.length ? padding : padding.subarray(0, size));
    remaining -= size;
  }
  if (!res.destroyed) res.end();
}

/** Waits until the client has read what was written: true when drained, false when it went away. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    const settle = (value: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(value);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
