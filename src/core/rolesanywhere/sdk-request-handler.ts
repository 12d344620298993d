// Lets the AWS SDK send its requests through Rolecall's injected HttpTransport, so discovery goes
// through the same network stack as CreateSession: Electron's net.fetch in the app (system proxy, PAC,
// OS trust store), undici in the CLI. The SDK still builds and signs the request.
import type { RolesAnywhereClientConfig } from '@aws-sdk/client-rolesanywhere';
import { RolecallError } from '../../shared/errors';
import type { HttpRequest as TransportRequest, HttpTransport } from '../platform/transport';
import { percentEncode } from '../signing';

type SdkRequestHandler = NonNullable<RolesAnywhereClientConfig['requestHandler']>;
type SdkRequest = Parameters<SdkRequestHandler['handle']>[0];

// The transport derives these from the URL and the body; browsers and net.fetch refuse them as headers.
const DERIVED_HEADERS = new Set(['host', 'content-length']);
// A page of a list (profiles with their role ARNs and session policies) can be far larger than a
// CreateSession answer; still, nothing real comes near this.
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export function transportRequestHandler(transport: HttpTransport, timeoutMs: number): SdkRequestHandler {
  return {
    async handle(request: SdkRequest) {
      const response = await transport({
        method: methodOf(request.method),
        url: urlOf(request),
        headers: forwardedHeaders(request.headers),
        ...(request.body === undefined || request.body === null || request.body === '' ? {} : { body: bodyText(request.body) }),
        timeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      });
      // A Uint8Array body is what the SDK's deserializers collect without a stream, and it can be read twice.
      return { response: { statusCode: response.status, headers: { ...response.headers }, body: Buffer.from(response.body, 'utf8') } };
    },
  };
}

function methodOf(method: string): TransportRequest['method'] {
  if (method === 'GET' || method === 'POST' || method === 'PUT' || method === 'DELETE') return method;
  throw new RolecallError('INTERNAL', `the SDK asked for an HTTP ${method} request`);
}

/** The query encoded as the SDK signed it: RFC 3986 unreserved characters only. */
function urlOf(request: SdkRequest): string {
  const port = request.port === undefined ? '' : `:${request.port}`;
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === null) pairs.push(percentEncode(key));
    else for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${percentEncode(key)}=${percentEncode(item)}`);
  }
  const query = pairs.length === 0 ? '' : `?${pairs.join('&')}`;
  return `${request.protocol}//${request.hostname}${port}${request.path}${query}`;
}

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !DERIVED_HEADERS.has(name.toLowerCase())));
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new RolecallError('INTERNAL', 'the SDK sent a streaming request body');
}
