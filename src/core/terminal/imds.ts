// IMDSv2 emulation for tools that only know EC2's metadata service, answering as the reference client's
// `serve` does. Its session tokens protect against nothing local (any process or user on this machine
// can PUT for one), so it runs only when asked and the caller is told so.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, isLoopbackHost, listenOnLoopback, LOOPBACK, pathOf, sendJson, sendText } from './loopback-http';
import { isoSeconds, servableCredentials, type ServeContext } from './served-credentials';

export const IMDS_DEFAULT_PORT = 9911;
export const MAX_TOKEN_TTL_SECONDS = 21600;
/** Like the reference client: beyond this many live tokens the one expiring first is dropped. */
const MAX_TOKENS = 256;

const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_PATH = '/latest/api/token';
const ROLES_PATH = '/latest/meta-data/iam/security-credentials';

export interface ImdsOptions {
  /** The profile whose credentials are served. */
  readonly name: string;
  /** What `…/security-credentials/` lists. */
  readonly roleName: string;
  readonly port: number;
  readonly context: ServeContext;
}

export interface ImdsServer {
  /** http://127.0.0.1:PORT/, the value for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Session tokens and their monotonic expiry. */
class TokenTable {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly monotonic: () => number) {}

  issue(ttlSeconds: number): string {
    this.dropExpired();
    if (this.expiries.size >= MAX_TOKENS) {
      const [first] = [...this.expiries.entries()].sort((a, b) => a[1] - b[1]);
      if (first) this.expiries.delete(first[0]);
    }
    const token = randomBytes(48).toString('base64url');
    this.expiries.set(token, this.monotonic() + ttlSeconds * 1000);
    return token;
  }

  /** Whole seconds the token has left, or undefined when it is unknown or expired. */
  secondsLeft(token: string | undefined): number | undefined {
    const expiry = token === undefined ? undefined : this.expiries.get(token);
    if (token === undefined || expiry === undefined) return undefined;
    const left = expiry - this.monotonic();
    if (left <= 0) {
      this.expiries.delete(token);
      return undefined;
    }
    return Math.floor(left / 1000);
  }

  private dropExpired(): void {
    const now = this.monotonic();
    for (const [token, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(token);
  }
}

function parseTtl(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,5}$/.test(header)) return undefined;
  const ttl = Number(header);
  return ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined;
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export async function startImds(options: ImdsOptions): Promise<ImdsServer> {
  const { context, roleName } = options;
  const tokens = new TokenTable(() => context.clock.monotonic());
  let port = options.port;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(request.headers.host, port)) return sendText(response, 403, 'host not allowed');
    // A proxy in front of us would let other machines in; EC2's own service refuses these too.
    if (request.headers['x-forwarded-for'] !== undefined) {
      return sendText(response, 400, 'unable to process requests with X-Forwarded-For header');
    }
    const rawPath = pathOf(request);
    const path = rawPath === undefined ? undefined : withoutTrailingSlash(rawPath);
    if (path === TOKEN_PATH) {
      if (request.method !== 'PUT') return sendText(response, 405, 'method not allowed', { allow: 'PUT' });
      const ttl = parseTtl(request.headers[TTL_HEADER]);
      if (ttl === undefined) return sendText(response, 400, `${TTL_HEADER} must be 1 to ${MAX_TOKEN_TTL_SECONDS}`);
      return sendText(response, 200, tokens.issue(ttl), { [TTL_HEADER]: String(ttl) });
    }
    const isRoles = path === ROLES_PATH;
    const isCredentials = path === `${ROLES_PATH}/${roleName}`;
    if (!isRoles && !isCredentials) return sendText(response, 404, 'not found');
    if (request.method !== 'GET') return sendText(response, 405, 'method not allowed', { allow: 'GET' });
    const header = request.headers[TOKEN_HEADER];
    const secondsLeft = tokens.secondsLeft(typeof header === 'string' ? header : undefined);
    if (secondsLeft === undefined) return sendText(response, 401, 'missing, unknown or expired token');
    const ttlHeader = { [TTL_HEADER]: String(secondsLeft) };
    if (isRoles) return sendText(response, 200, roleName, ttlHeader);

    const result = await servableCredentials(options.name, context);
    if (!result.ok) return sendJson(response, 503, { Code: result.error.code, Message: result.error.message });
    const credentials = result.value;
    response.setHeader(TTL_HEADER, String(secondsLeft));
    return sendJson(response, 200, {
      Code: 'Success',
      LastUpdated: isoSeconds(context.clock.now()),
      Type: 'AWS-HMAC',
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: credentials.expiration,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'internal error');
    });
  });
  port = await listenOnLoopback(server, options.port);
  return { url: `http://${LOOPBACK}:${port}/`, port, stop: () => closeServer(server) };
}
