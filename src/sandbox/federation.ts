// The AWS sign-in federation endpoint, as far as a console sign-in link needs it: `getSigninToken` takes a
// session's keys as JSON (sessionId, sessionKey, sessionToken), checks they are temporary credentials this
// sandbox issued and still valid, and answers {"SigninToken": …}; `login` takes that token (good for 15
// minutes) and redirects to the Destination, as AWS does once the console session is set. Nothing of the
// query is logged: it holds the session's secret and the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { jsonAnswer, type Answer } from './answer';
import type { CredentialRegistry } from './credentials';
import { ServiceError } from './service-error';

export const FEDERATION_PATH = '/federation';
/** The console the sandbox stands in for: login redirects may only go here (or to AWS's console hosts). */
export const SANDBOX_CONSOLE_PATH = '/console';
const TOKEN_LIFETIME_MS = 15 * 60_000;
const AWS_CONSOLE_HOST = /(^|\.)console\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/;

export type FederationOperation = 'GetSigninToken' | 'FederationLogin' | 'Console';

interface Grant {
  readonly accessKeyId: string;
  readonly expiresAt: number;
}

export interface FederationContext {
  readonly registry: CredentialRegistry;
  readonly now: () => number;
  /** The sandbox's own origin (http://127.0.0.1:PORT), whose /console pages a login may open. */
  readonly origin: () => string;
}

/** Sign-in tokens handed out, until they expire; memory only, like AWS's they do not survive much. */
export class SigninTokens {
  readonly #grants = new Map<string, Grant>();

  issue(accessKeyId: string, now: number): string {
    for (const [token, grant] of this.#grants) if (grant.expiresAt <= now) this.#grants.delete(token);
    const token = randomBytes(48).toString('base64url');
    this.#grants.set(token, { accessKeyId, expiresAt: now + TOKEN_LIFETIME_MS });
    return token;
  }

  redeem(token: string, now: number): Grant | undefined {
    const grant = this.#grants.get(token);
    return grant !== undefined && now < grant.expiresAt ? grant : undefined;
  }
}

export function federationOperationOf(path: string, query: string): FederationOperation | undefined {
  if (path.startsWith(`${SANDBOX_CONSOLE_PATH}/`) || path === SANDBOX_CONSOLE_PATH) return 'Console';
  if (path !== FEDERATION_PATH) return undefined;
  const action = new URLSearchParams(query).get('Action');
  return action === 'login' ? 'FederationLogin' : 'GetSigninToken';
}

export function answerFederation(operation: FederationOperation, query: string, context: FederationContext, tokens: SigninTokens): { answer: Answer; accessKeyId?: string } {
  const params = new URLSearchParams(query);
  if (operation === 'Console') return { answer: { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Rolecall sandbox console\n' } };
  if (operation === 'GetSigninToken') {
    if (params.get('Action') !== 'getSigninToken') throw badRequest('Action must be getSigninToken or login');
    const accessKeyId = verifySession(params.get('Session'), context);
    return { answer: jsonAnswer(200, { SigninToken: tokens.issue(accessKeyId, context.now()) }), accessKeyId };
  }
  const grant = tokens.redeem(params.get('SigninToken') ?? '', context.now());
  if (!grant) throw new ServiceError(400, 'InvalidSigninToken', 'The sign-in token is not valid or has expired', 'CREDENTIALS_EXPIRED');
  const destination = params.get('Destination') ?? '';
  if (!allowedDestination(destination, context.origin())) throw badRequest('Destination must be a page of the AWS console');
  return { answer: { status: 302, headers: { Location: destination, 'Content-Type': 'text/plain' }, body: '' }, accessKeyId: grant.accessKeyId };
}

export function federationError(error: ServiceError): Answer {
  return { status: error.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${error.code}: ${error.message}\n` };
}

/** The access key id of a valid temporary session this sandbox issued, whose secret and token match. */
function verifySession(sessionJson: string | null, context: FederationContext): string {
  let session: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
  try {
    session = JSON.parse(sessionJson ?? '') as typeof session;
  } catch {
    throw badRequest('Session must be JSON with sessionId, sessionKey and sessionToken');
  }
  const { sessionId, sessionKey, sessionToken } = session ?? {};
  if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
    throw badRequest('Session must be JSON with sessionId, sessionKey and sessionToken');
  }
  const issued = context.registry.find(sessionId);
  // Long-term keys cannot sign in to the console through federation; only temporary sessions can.
  if (!issued || issued.longTerm || !same(issued.secretAccessKey, sessionKey)) throw new ServiceError(400, 'InvalidSession', 'The session credentials are not valid', 'UNKNOWN_ACCESS_KEY');
  if (!same(issued.sessionToken, sessionToken)) throw new ServiceError(400, 'InvalidSession', 'The session token does not match', 'SESSION_TOKEN_MISMATCH');
  if (context.now() >= issued.expiresAt) throw new ServiceError(400, 'InvalidSession', 'The session credentials have expired', 'CREDENTIALS_EXPIRED');
  return sessionId;
}

function allowedDestination(text: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.origin === origin) return url.pathname === SANDBOX_CONSOLE_PATH || url.pathname.startsWith(`${SANDBOX_CONSOLE_PATH}/`);
  return url.protocol === 'https:' && AWS_CONSOLE_HOST.test(url.hostname);
}

function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function badRequest(message: string): ServiceError {
  return new ServiceError(400, 'InvalidParameter', message, 'INVALID_PARAMETER');
}
