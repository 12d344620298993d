// A container-credentials endpoint on 127.0.0.1: SDKs given AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN fetch and refresh credentials from it by themselves, so long-running
// tools never hold expired keys. Each profile has its own path; one random token guards them all.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RolecallError } from '../../shared/errors';
import { nullLogger, type Logger } from '../log';
import { systemClock, type Clock } from '../platform/clock';
import type { EndpointAddress } from './env-script';
import { IMDS_DEFAULT_PORT, startImds, type ImdsServer } from './imds';
import { closeServer, isLoopbackHost, listenOnLoopback, LOOPBACK, pathOf, sendJson } from './loopback-http';
import { DEFAULT_MIN_VALIDITY_SECONDS, servableCredentials, type CredentialsProvider, type ServeContext } from './served-credentials';

export interface ImdsRequest {
  /** Default 9911, the reference client's port. */
  readonly port?: number;
  /** What `…/security-credentials/` lists; default: the profile name. */
  readonly roleName?: string;
  /** The one profile IMDS serves (EC2 has one role per instance); default: the first of `names`. */
  readonly name?: string;
}

export interface CredentialsEndpointOptions {
  readonly provider: CredentialsProvider;
  readonly names: readonly string[];
  /** Default 0: a free port. */
  readonly port?: number;
  /** IMDSv2 emulation on its own port, only when given. */
  readonly imds?: ImdsRequest;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Credentials with less time left are refused with 503 (default 60). */
  readonly minValiditySeconds?: number;
}

export interface CredentialsEndpoint extends EndpointAddress {
  readonly port: number;
  /** http://127.0.0.1:PORT/ for AWS_EC2_METADATA_SERVICE_ENDPOINT, when IMDS emulation runs. */
  readonly imdsUrl?: string;
  /** What the user must be told (IMDS emulation is open to every local process). */
  readonly warnings: readonly string[];
  stop(): Promise<void>;
}

const CREDENTIALS_PREFIX = '/credentials/';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function error(code: string, message: string) {
  return { code, message };
}

/** Compares digests so neither the token's content nor its length shows in the timing. */
function tokenMatcher(token: string): (given: string) => boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = digest(token);
  return (given) => timingSafeEqual(digest(given), expected);
}

function imdsWarning(url: string, name: string): string {
  return (
    `IMDSv2 emulation at ${url} serves the credentials of ${name} to any process or user on this computer that asks: ` +
    'its tokens are not secrets. Prefer AWS_CONTAINER_CREDENTIALS_FULL_URI for tools that support it.'
  );
}

function imdsProfile(names: readonly string[], request: ImdsRequest): { name: string; roleName: string } {
  const name = request.name ?? names[0] ?? '';
  if (!names.includes(name)) throw new RolecallError('USAGE', `IMDS can only serve a profile the endpoint serves (${name})`);
  const roleName = request.roleName ?? name;
  if (!ROLE_NAME.test(roleName)) throw new RolecallError('USAGE', `not a usable IMDS role name: ${roleName}`);
  return { name, roleName };
}

export async function startCredentialsEndpoint(options: CredentialsEndpointOptions): Promise<CredentialsEndpoint> {
  const names = [...new Set(options.names)];
  if (names.length === 0) throw new RolecallError('USAGE', 'the credentials endpoint needs at least one profile');
  const imdsRequest = options.imds === undefined ? undefined : imdsProfile(names, options.imds);
  const logger = options.logger ?? nullLogger;
  const context: ServeContext = {
    provider: options.provider,
    clock: options.clock ?? systemClock,
    logger,
    minValiditySeconds: options.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_SECONDS,
  };
  const token = randomBytes(32).toString('hex');
  const matchesToken = tokenMatcher(token);
  const served = new Set(names);
  let port = options.port ?? 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(request.headers.host, port)) {
      return sendJson(response, 403, error('HostNotAllowed', 'Use http://127.0.0.1 or http://localhost.'));
    }
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      return sendJson(response, 405, error('MethodNotAllowed', 'Only GET is served.'));
    }
    const authorization = request.headers.authorization;
    if (!authorization) {
      return sendJson(response, 401, error('Unauthorized', 'Send the token of AWS_CONTAINER_AUTHORIZATION_TOKEN in the Authorization header.'));
    }
    if (!matchesToken(authorization)) {
      logger.warn('credentials endpoint refused a wrong token');
      return sendJson(response, 403, error('AccessDenied', 'The authorization token is not this endpoint\'s.'));
    }
    const path = pathOf(request);
    const name = path?.startsWith(CREDENTIALS_PREFIX) ? path.slice(CREDENTIALS_PREFIX.length) : undefined;
    if (name === undefined || !served.has(name)) {
      return sendJson(response, 404, error('NotFound', 'No profile is served at this path.'));
    }
    const result = await servableCredentials(name, context);
    if (!result.ok) return sendJson(response, 503, result.error);
    const credentials = result.value;
    return sendJson(response, 200, {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: credentials.expiration,
      ...(credentials.roleArn ? { RoleArn: credentials.roleArn } : {}),
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, error('InternalError', 'The endpoint failed.'));
    });
  });
  port = await listenOnLoopback(server, port);

  let imds: ImdsServer | undefined;
  if (imdsRequest !== undefined) {
    try {
      imds = await startImds({ ...imdsRequest, port: options.imds?.port ?? IMDS_DEFAULT_PORT, context });
    } catch (cause) {
      await closeServer(server);
      throw cause;
    }
  }

  const urls = Object.fromEntries(names.map((name) => [name, `http://${LOOPBACK}:${port}${CREDENTIALS_PREFIX}${encodeURIComponent(name)}`]));
  const warnings = imds === undefined || imdsRequest === undefined ? [] : [imdsWarning(imds.url, imdsRequest.name)];
  warnings.forEach((warning) => logger.warn(warning));
  logger.info('credentials endpoint listening', { port, profiles: names, ...(imds ? { imdsPort: imds.port } : {}) });
  return {
    urls,
    token,
    port,
    ...(imds ? { imdsUrl: imds.url } : {}),
    warnings,
    stop: async () => {
      await Promise.all([closeServer(server), imds?.stop()]);
    },
  };
}
