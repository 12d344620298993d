// The CLI's HttpTransport: node:http(s) with keep-alive agents, so a long-running agent reuses its TLS
// connection to Roles Anywhere and a one-shot `credential-process` loads nothing heavy. Proxies are
// used only when asked (drop-in mode follows the reference client, which ignores HTTPS_PROXY unless
// --with-proxy is given); only then is undici, with its environment-aware proxy agent, loaded.

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isRolecallError, RolecallError } from '../../shared/errors';
import { checkDeclaredLength, readCappedBody, withDeadline } from './exchange-limits';
import type { HttpRequest, HttpResponse, HttpTransport } from './transport';

export interface NodeTransportOptions {
  /** Verify the server's certificate (default true); false is `--no-verify-ssl`. */
  readonly verifyTls?: boolean;
  /** Honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (default false). */
  readonly useProxy?: boolean;
}

export type NodeTransport = HttpTransport & {
  /** Closes pooled connections so the process can exit. */
  close(): Promise<void>;
};

const KEEP_ALIVE_MS = 30_000;

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/**
 * Whether the environment names a proxy. The agent and `--profile` runs follow it, as node tools do;
 * drop-in mode follows the reference client and uses it only with --with-proxy.
 */
export function usesProxy(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => Boolean(env[name]));
}

export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  return options.useProxy ? createProxyTransport(options.verifyTls ?? true) : createDirectTransport(options.verifyTls ?? true);
}

function createDirectTransport(verifyTls: boolean): NodeTransport {
  const agents = {
    http: new HttpAgent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS }),
    https: new HttpsAgent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS, rejectUnauthorized: verifyTls }),
  };
  const transport = (req: HttpRequest): Promise<HttpResponse> =>
    withDeadline(req.timeoutMs, async (signal) => {
      const url = new URL(req.url);
      const secure = url.protocol === 'https:';
      // node sets Host from the URL (with :port when not the default), which is what was signed. The
      // signal destroys the request, and with it the socket, when the deadline passes.
      const outgoing = (secure ? httpsRequest : httpRequest)(url, { method: req.method, headers: req.headers, agent: secure ? agents.https : agents.http, signal });
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        outgoing.on('response', resolve);
        // Stays attached: a socket error after the headers must not be an unhandled 'error' event.
        outgoing.on('error', reject);
        outgoing.end(req.body);
      });
      try {
        checkDeclaredLength(response.headers['content-length'], req.maxResponseBytes);
        const body = await readCappedBody(response, req.maxResponseBytes);
        return { status: response.statusCode ?? 0, headers: flattenHeaders(response.headers), body };
      } catch (error) {
        outgoing.destroy();
        throw error;
      }
    }).catch((error: unknown) => {
      throw transportError(error);
    });
  return Object.assign(transport, {
    close: async () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

function createProxyTransport(verifyTls: boolean): NodeTransport {
  const tls = { rejectUnauthorized: verifyTls };
  const undici = import('undici');
  const dispatcher = undici.then(({ EnvHttpProxyAgent }) => new EnvHttpProxyAgent({ keepAliveTimeout: KEEP_ALIVE_MS, connect: tls, requestTls: tls }));
  const transport = (req: HttpRequest): Promise<HttpResponse> =>
    withDeadline(req.timeoutMs, async (signal) => {
      const { request } = await undici;
      const response = await request(req.url, { method: req.method, headers: req.headers, body: req.body, dispatcher: await dispatcher, signal });
      try {
        checkDeclaredLength(response.headers['content-length']?.toString(), req.maxResponseBytes);
        const body = await readCappedBody(response.body, req.maxResponseBytes);
        return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
      } catch (error) {
        response.body.destroy();
        throw error;
      }
    }).catch((error: unknown) => {
      throw transportError(error);
    });
  return Object.assign(transport, { close: async () => (await dispatcher).close() });
}

function flattenHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** TIMEOUT, TLS or NETWORK, so the client knows what to retry and the user what to fix. */
function transportError(error: unknown): RolecallError {
  // The limits' own errors (the deadline, the size cap) are already what the caller should see.
  if (isRolecallError(error)) return error;
  const codes = errorCodes(error);
  const detail = describe(error);
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return new RolecallError('TIMEOUT', detail, { cause: error });
  if (codes.some((code) => TLS_CODE.test(code))) return new RolecallError('TLS', detail, { cause: error });
  return new RolecallError('NETWORK', detail, { cause: error });
}

// undici wraps socket errors; the useful code may sit on a cause.
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCodes(error)[0];
  return code ? `${code}: ${error.message}` : error.message;
}
