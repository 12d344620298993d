// The canonical request as the service rebuilds it from what arrived on the wire. Written for the
// sandbox alone (never shared with the client's signer), so a canonicalisation bug in the client
// shows up as a rejected signature instead of agreeing with itself.
import { createHash } from 'node:crypto';

export type HeaderPairs = ReadonlyArray<readonly [name: string, value: string]>;

/** A request exactly as received: nothing normalised yet. */
export interface RawRequest {
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly path: string;
  /** The query string as sent, without the leading '?'. */
  readonly query: string;
  readonly headers: HeaderPairs;
  readonly body: Uint8Array;
}

/** Node's `req.rawHeaders` (name, value, name, value, …) as pairs, order and duplicates kept. */
export function headerPairs(rawHeaders: readonly string[]): HeaderPairs {
  const pairs: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  }
  return pairs;
}

export function headerValues(headers: HeaderPairs, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

/** One header's value; repeated headers are joined with ',' the way SigV4 joins them. */
export function headerValue(headers: HeaderPairs, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.map(normaliseHeaderValue).join(',');
}

function normaliseHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~ pass, every other UTF-8 byte is %XX. */
export function uriEncode(value: string): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes one query component; '+' means a space, as form decoding on the service side treats it. */
function decodeQueryComponent(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The query's parameters, decoded, in wire order. Undefined when a component is not valid percent-encoding. */
export function parseQuery(rawQuery: string): Array<[string, string]> | undefined {
  const params: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeQueryComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    params.push([key, value]);
  }
  return params;
}

export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  const encoded = params.map(([key, value]) => [uriEncode(key), uriEncode(value)] as const);
  encoded.sort(([ka, va], [kb, vb]) => compareBytes(ka, kb) || compareBytes(va, vb));
  return encoded.map(([key, value]) => `${key}=${value}`).join('&');
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Non-S3 services encode the path as sent once more, segment by segment. */
export function canonicalPath(path: string): string {
  if (path === '') return '/';
  return path.split('/').map(uriEncode).join('/');
}

/** `name:value\n` for each signed header, or the first signed name that was not sent. */
export function canonicalHeaders(headers: HeaderPairs, signedNames: readonly string[]): { block: string } | { missing: string } {
  let block = '';
  for (const name of signedNames) {
    const value = headerValue(headers, name);
    if (value === undefined) return { missing: name };
    block += `${name}:${value}\n`;
  }
  return { block };
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalRequest(parts: {
  method: string;
  path: string;
  query: string;
  headerBlock: string;
  signedNames: readonly string[];
  payloadHash: string;
}): string {
  return [parts.method, canonicalPath(parts.path), parts.query, parts.headerBlock, parts.signedNames.join(';'), parts.payloadHash].join('\n');
}

export interface AuthorizationHeader {
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * `ALGORITHM Credential=…, SignedHeaders=…, Signature=…`. Undefined when a part is missing or
 * repeated; the caller decides which error that is for its protocol.
 */
export function parseAuthorization(value: string): AuthorizationHeader | undefined {
  const match = /^(\S+) +(.+)$/.exec(value.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const piece of (match[2] as string).split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return undefined;
    const key = piece.slice(0, eq).trim();
    if (fields.has(key)) return undefined;
    fields.set(key, piece.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (fields.size !== 3 || !credential || !signedHeaders || !signature) return undefined;
  return { algorithm: match[1] as string, credential, signedHeaders: signedHeaders.split(';'), signature };
}

/** Signed header names must be lowercase, sorted and unique: the service does not reorder them for you. */
export function signedHeadersAreCanonical(names: readonly string[]): boolean {
  return names.every((name, i) => name !== '' && name === name.toLowerCase() && (i === 0 || compareBytes(names[i - 1] as string, name) < 0));
}

/** `YYYYMMDDTHHMMSSZ` → ms since the epoch; undefined when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject dates like 20240231 that Date.UTC would silently roll over.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export const MAX_SKEW_MS = 5 * 60 * 1000;

/** AWS's wording for a request date outside the allowed window, or undefined when it is inside. */
export function skewProblem(amzDate: string, requestMs: number, nowMs: number): { reason: 'SIGNATURE_EXPIRED' | 'SIGNATURE_NOT_YET_CURRENT'; message: string } | undefined {
  if (requestMs < nowMs - MAX_SKEW_MS) {
    return {
      reason: 'SIGNATURE_EXPIRED',
      message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_SKEW_MS)} (${formatAmzDate(nowMs)} - 5 min.)`,
    };
  }
  if (requestMs > nowMs + MAX_SKEW_MS) {
    return {
      reason: 'SIGNATURE_NOT_YET_CURRENT',
      message: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + MAX_SKEW_MS)} (${formatAmzDate(nowMs)} + 5 min.)`,
    };
  }
  return undefined;
}
