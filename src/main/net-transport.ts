// The app's HttpTransport: Electron's net.fetch, which goes through Chromium's network stack and so
// honours the system proxy settings, PAC files and the OS certificate store, as corporate networks
// expect of a desktop app. Takes any fetch-shaped function, so node's fetch can stand in for tests.
import { isRolecallError, RolecallError } from '../shared/errors';
import { checkDeclaredLength, readCappedBody, streamChunks, withDeadline } from '../core/platform/exchange-limits';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/platform/transport';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

// Chromium reports failures as "net::ERR_…" messages; node's fetch as codes on the error's causes.
const TLS_FAILURE = /net::ERR_(CERT_|SSL_|BAD_SSL_)|\b(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;
const TIMEOUT_FAILURE = /net::ERR_(CONNECTION_)?TIMED_OUT|\bUND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT\b|\bETIMEDOUT\b/;

export function createFetchTransport(fetchImpl: FetchLike): HttpTransport {
  return (request: HttpRequest): Promise<HttpResponse> =>
    withDeadline(request.timeoutMs, async (signal) => {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        // Aborts the connection and the body's stream at the deadline, or when the answer is refused.
        signal,
        // A signed request goes where it was signed for, and carries no cookies of the app's session.
        redirect: 'error',
        credentials: 'omit',
      });
      checkDeclaredLength(response.headers.get('content-length'), request.maxResponseBytes);
      const body = response.body === null ? '' : await readCappedBody(streamChunks(response.body), request.maxResponseBytes);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body };
    }).catch((error: unknown) => {
      throw transportError(error);
    });
}

function transportError(error: unknown): RolecallError {
  // The limits' own errors (the deadline, the size cap) are already what the caller should see.
  if (isRolecallError(error)) return error;
  const detail = describeChain(error);
  if (TIMEOUT_FAILURE.test(detail)) return new RolecallError('TIMEOUT', detail, { cause: error });
  if (TLS_FAILURE.test(detail)) return new RolecallError('TLS', detail, { cause: error });
  return new RolecallError('NETWORK', detail, { cause: error });
}

/** "fetch failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1": messages and codes down the cause chain. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${code}: ${current.message}` : current.message);
    current = current.cause;
  }
  return parts.join(': ');
}
