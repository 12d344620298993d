// The CreateSession call: validate, sign, send, read the answer, and retry what a retry can fix
// (throttling, 5xx, network trouble), re-signing each time because the service rejects stale
// X-Amz-Date values.

import { isRolecallError, RolecallError, type ErrorCode } from '../../shared/errors';
import type { Clock } from '../platform/clock';
import { deadlineExceeded, withDeadline } from '../platform/exchange-limits';
import { DEFAULT_MAX_RESPONSE_BYTES, type HttpRequest, type HttpResponse, type HttpTransport } from '../platform/transport';
import { createSessionHeaders, formatAmzDate, signRequest } from '../signing';
import { credentialsFromResponse, errorFromResponse, isSuccess, type SessionCredentials } from './response';
import { prepareCreateSession, type CreateSessionRequest, type PreparedSessionRequest } from './session-request';

export interface CreateSessionDeps {
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** [0, 1); jitters the backoff. */
  readonly random?: () => number;
  /** Receives the canonical request, string to sign and statuses; never credentials. */
  readonly onDebug?: (line: string) => void;
  /**
   * Awaited before every attempt, retries included, and before it is signed: the service's 10/s
   * limit counts each request, so the caller's rate limiter grants each one a slot. What it resolves
   * to, if anything, is called once that attempt's answer or failure is in.
   */
  readonly beforeAttempt?: () => Promise<(() => void) | undefined>;
}

export const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 3000;
/** How long after its own deadline a transport has to give up before the attempt is abandoned. */
const BACKSTOP_GRACE_MS = 250;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['THROTTLED', 'SERVICE_UNAVAILABLE', 'NETWORK', 'TIMEOUT']);

/**
 * Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so bursts from many profiles spread out without retrying at once.
 */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function createSession(request: CreateSessionRequest, deps: CreateSessionDeps): Promise<SessionCredentials> {
  const prepared = prepareCreateSession(request);
  const random = deps.random ?? Math.random;
  const debug = deps.onDebug ?? (() => undefined);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce(request, prepared, deps, attempt);
    } catch (error) {
      if (!isRolecallError(error) || !RETRYABLE.has(error.code) || attempt >= MAX_ATTEMPTS) throw error;
      const delay = backoffDelay(attempt, random);
      debug(`CreateSession attempt ${attempt} failed with ${error.code}; retrying in ${delay} ms`);
      await deps.clock.sleep(delay);
    }
  }
}

async function attemptOnce(
  request: CreateSessionRequest,
  prepared: PreparedSessionRequest,
  deps: CreateSessionDeps,
  attempt: number,
): Promise<SessionCredentials> {
  const answered = await deps.beforeAttempt?.();
  try {
    return await signAndSend(request, prepared, deps, attempt);
  } finally {
    answered?.();
  }
}

async function signAndSend(
  request: CreateSessionRequest,
  prepared: PreparedSessionRequest,
  deps: CreateSessionDeps,
  attempt: number,
): Promise<SessionCredentials> {
  const debug = deps.onDebug ?? (() => undefined);
  // Signed after the slot is granted, so a long wait never sends a stale X-Amz-Date.
  const amzDate = formatAmzDate(deps.clock.now());
  const signedHeaders = createSessionHeaders({
    host: prepared.host,
    amzDate,
    certificateDer: request.certificateDer,
    chainDer: request.chainDer,
  });
  const signed = await signRequest({
    method: 'POST',
    path: prepared.path,
    query: prepared.query,
    headers: signedHeaders,
    body: prepared.body,
    amzDate,
    region: prepared.region,
    serialDecimal: request.serialDecimal,
    signer: request.signer,
  });
  debug(`CreateSession attempt ${attempt}: POST ${prepared.url}`);
  debug(`canonical request:\n${signed.canonicalRequest}`);
  debug(`string to sign:\n${signed.stringToSign}`);

  // Host stays out: every transport derives it from the URL, and it equals what was signed.
  const { Host: _host, ...sent } = signedHeaders;
  const headers: Record<string, string> = { ...sent, Authorization: signed.authorization };
  if (request.userAgent) headers['User-Agent'] = request.userAgent;

  const response = await send(deps.transport, {
    method: 'POST',
    url: prepared.url,
    headers,
    body: prepared.body,
    timeoutMs: prepared.timeoutMs,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  });
  if (isSuccess(response)) {
    debug(`response: HTTP ${response.status}`);
    return credentialsFromResponse(response, prepared.query.roleArn);
  }
  const error = errorFromResponse(response);
  debug(`response: ${error.detail ?? `HTTP ${response.status}`}`);
  throw error;
}

/**
 * The transport ends the exchange at its deadline and frees the connection; this backstop, a moment
 * later, abandons an attempt whose transport did not (a stuck network stack), so one stuck attempt can
 * never hold up the retries, nor every later refresh that waits on this mint. It runs on real time, as
 * the network does: a virtual clock in tests must not abandon real I/O.
 */
async function send(transport: HttpTransport, request: HttpRequest): Promise<HttpResponse> {
  try {
    return await withDeadline(request.timeoutMs + BACKSTOP_GRACE_MS, () => transport(request), () => deadlineExceeded(request.timeoutMs));
  } catch (error) {
    if (isRolecallError(error)) throw error;
    // A transport that does not classify its failures: treat them as the network's.
    throw new RolecallError('NETWORK', error instanceof Error ? error.message : String(error), { cause: error });
  }
}
