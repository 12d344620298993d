// Where CreateSession goes. The Host header is signed, so the host here must be exactly what the
// HTTP stack derives from the URL: WHATWG URL parsing drops a default port just as undici and
// fetch do.

import { RolecallError } from '../../shared/errors';

export interface EndpointOptions {
  readonly region: string;
  /** Use the FIPS endpoint `rolesanywhere-fips.{region}…`. Ignored with an explicit endpoint. */
  readonly fips?: boolean;
  /** An explicit endpoint URL (empty means none); `/sessions` is appended to its path, as the reference client does. */
  readonly endpoint?: string;
}

export interface SessionEndpoint {
  /** Origin and path, without the query. */
  readonly url: string;
  readonly host: string;
  readonly path: string;
}

const SAFE_PATH = /^[A-Za-z0-9\-._~/]*$/;

export function resolveEndpoint(options: EndpointOptions): SessionEndpoint {
  const explicit = options.endpoint?.trim();
  if (!explicit) {
    const domain = options.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    const host = `${options.fips ? 'rolesanywhere-fips' : 'rolesanywhere'}.${options.region}.${domain}`;
    return { url: `https://${host}/sessions`, host, path: '/sessions' };
  }
  return explicitEndpoint(explicit);
}

function explicitEndpoint(text: string): SessionEndpoint {
  // Like the reference client, a bare host name means https.
  const withScheme = text.includes('://') ? text : `https://${text}`;
  const invalid = (why: string) => new RolecallError('ENDPOINT_INVALID', `${redactUserInfo(text)}: ${why}`);
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('only https (or http on loopback) is supported');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw invalid('plain http is allowed only for 127.0.0.1, ::1 or localhost');
  if (url.username || url.password) throw invalid('credentials in the URL are not allowed');
  if (url.search || url.hash) throw invalid('a query or fragment is not allowed');
  const base = url.pathname.replace(/\/+$/, '');
  // Only unreserved characters, so the path sent and the path signed cannot differ by encoding.
  if (!SAFE_PATH.test(base)) throw invalid('the path may hold only letters, digits, - . _ ~ and /');
  const path = `${base}/sessions`;
  return { url: `${url.origin}${path}`, host: url.host, path };
}

/** 127.0.0.0/8, ::1 and localhost: the hosts where plain http cannot leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function redactUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1…@');
}
