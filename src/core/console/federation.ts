// The AWS console, signed in with a profile's session: the federation endpoint's getSigninToken turns the
// session's keys (as JSON) into a sign-in token, and the login URL carries that token and the page to
// open (IAM User Guide, "Enable custom identity broker access to the AWS console"). The URL grants the
// console for 15 minutes to whoever has it: it is returned to the caller and nowhere else (no log line,
// no error detail holds it).
import { isRolecallError, RolecallError } from '../../shared/errors';
import type { HttpTransport } from '../platform/transport';
import { isLoopbackHost } from '../rolesanywhere/endpoint';

export interface SessionKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface ConsoleSignInRequest {
  readonly credentials: SessionKeys;
  /** The console's region: the profile's tool region, else its signing region. */
  readonly region: string;
  /** A console URL, or a path of the console (/s3/home); the region's console home when absent. */
  readonly destination?: string;
  /**
   * The profile's Roles Anywhere endpoint when it has one: a loopback one is the local sandbox, which
   * answers the federation endpoint too (its sessions mean nothing to AWS's).
   */
  readonly endpoint?: string;
  /** Shown by AWS on the sign-out page: where the user came from. */
  readonly issuer?: string;
}

export interface ConsoleSignInDeps {
  readonly transport: HttpTransport;
  readonly timeoutMs: number;
}

export interface ConsoleSignIn {
  /** The login URL, with its sign-in token: for the browser only. */
  readonly url: string;
  /** The console page it opens (no secret in it). */
  readonly destination: string;
}

const DEFAULT_ISSUER = 'https://github.com/rolecall';
const MAX_ANSWER_BYTES = 16 * 1024;

interface Partition {
  readonly signin: (region: string) => string;
  readonly console: (region: string) => string;
}

// Regional sign-in endpoints keep the console session in the region the user works in; China and
// GovCloud have one sign-in host each.
function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return { signin: () => 'https://signin.amazonaws.cn/federation', console: () => 'https://console.amazonaws.cn' };
  if (region.startsWith('us-gov-')) return { signin: () => 'https://signin.amazonaws-us-gov.com/federation', console: () => 'https://console.amazonaws-us-gov.com' };
  return { signin: (r) => `https://${r}.signin.aws.amazon.com/federation`, console: (r) => `https://${r}.console.aws.amazon.com` };
}

/** The local sandbox's origin when `endpoint` is one (http on a loopback host), else undefined. */
function sandboxOrigin(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  return isLoopbackHost(url.hostname) ? url.origin : undefined;
}

/** Where getSigninToken and the login go, and the console the destination must belong to. */
export function federationEndpoints(region: string, endpoint?: string): { readonly federation: string; readonly console: string } {
  const sandbox = sandboxOrigin(endpoint);
  if (sandbox !== undefined) return { federation: `${sandbox}/federation`, console: `${sandbox}/console` };
  const partition = partitionOf(region);
  return { federation: partition.signin(region), console: partition.console(region) };
}

/**
 * The page to open: the region's console home by default; a path is taken on the console's host; a
 * URL must be on an AWS console host (a sign-in link must never send the user elsewhere).
 */
export function consoleDestination(region: string, destination: string | undefined, endpoint?: string): string {
  const consoleOrigin = federationEndpoints(region, endpoint).console;
  const text = destination?.trim() ?? '';
  if (text === '') return `${consoleOrigin}/console/home?region=${encodeURIComponent(region)}`;
  if (text.startsWith('/') && !text.startsWith('//')) return `${consoleOrigin}${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RolecallError('CONSOLE_DESTINATION_INVALID', JSON.stringify(text.slice(0, 200)));
  }
  const host = url.hostname;
  const awsConsole = url.protocol === 'https:' && /(^|\.)console\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/.test(host);
  const sandboxConsole = url.href.startsWith(`${consoleOrigin}/`);
  if (!awsConsole && !sandboxConsole) throw new RolecallError('CONSOLE_DESTINATION_INVALID', JSON.stringify(text.slice(0, 200)));
  return url.href;
}

export async function consoleSignIn(request: ConsoleSignInRequest, deps: ConsoleSignInDeps): Promise<ConsoleSignIn> {
  const destination = consoleDestination(request.region, request.destination, request.endpoint);
  const { federation } = federationEndpoints(request.region, request.endpoint);
  // No SessionDuration: AWS refuses it for role sessions, whose console session lasts as they do.
  const session = JSON.stringify({ sessionId: request.credentials.accessKeyId, sessionKey: request.credentials.secretAccessKey, sessionToken: request.credentials.sessionToken });
  const tokenUrl = `${federation}?${new URLSearchParams({ Action: 'getSigninToken', Session: session }).toString()}`;
  let answer;
  try {
    answer = await deps.transport({ method: 'GET', url: tokenUrl, headers: { accept: 'application/json' }, timeoutMs: deps.timeoutMs, maxResponseBytes: MAX_ANSWER_BYTES });
  } catch (error) {
    // The request's URL holds the session's keys: keep only the code and the host, whatever the transport said.
    throw new RolecallError(isRolecallError(error) ? error.code : 'NETWORK', `federation endpoint ${new URL(federation).host}`);
  }
  if (answer.status !== 200) throw new RolecallError('CONSOLE_SIGNIN_FAILED', `the federation endpoint answered HTTP ${answer.status}`);
  const token = signinTokenOf(answer.body);
  const login = new URLSearchParams({ Action: 'login', Issuer: request.issuer ?? DEFAULT_ISSUER, Destination: destination, SigninToken: token });
  return { url: `${federation}?${login.toString()}`, destination };
}

function signinTokenOf(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RolecallError('CONSOLE_SIGNIN_FAILED', 'the federation endpoint did not answer JSON');
  }
  const token = (parsed as { SigninToken?: unknown } | null)?.SigninToken;
  if (typeof token !== 'string' || token === '') throw new RolecallError('CONSOLE_SIGNIN_FAILED', 'the answer holds no SigninToken');
  return token;
}
