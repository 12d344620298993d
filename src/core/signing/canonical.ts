// The pieces of a SigV4-X509 signature, each a pure function so the CLI's --debug output and the
// tests can show exactly what was signed.

import { createHash } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import { percentEncode } from './percent-encode';
import type { SigningAlgorithm } from './signer';

export const SERVICE_NAME = 'rolesanywhere';

const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lowercase hex SHA-256 of the exact body bytes. */
export function hashedPayload(body: string | Buffer): string {
  return sha256Hex(body);
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Keys sorted, keys and values strictly percent-encoded; also exactly what goes on the wire. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([a], [b]) => compare(a, b))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Lowercase names, sorted; same-name headers joined by `,` in the order given. */
function normalisedHeaders(headers: Readonly<Record<string, string>>): Array<[string, string]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    byName.set(lower, [...(byName.get(lower) ?? []), value]);
  }
  return [...byName.entries()]
    .map(([name, values]): [string, string] => [name, values.map(normaliseHeaderValue).join(',')])
    .sort(([a], [b]) => compare(a, b));
}

// HTTP strips leading and trailing whitespace from field values on receipt, so the signature
// must not depend on it; inner runs of spaces collapse as SigV4 (and the reference client) do.
function normaliseHeaderValue(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '').replace(/ {2,}/g, ' ');
}

/** One `name:value\n` per header. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): string {
  return normalisedHeaders(headers).map(([name, value]) => `${name}:${value}\n`).join('');
}

/** The signed header names, lowercase, sorted, joined by `;`. */
export function signedHeaderList(headers: Readonly<Record<string, string>>): string {
  return normalisedHeaders(headers).map(([name]) => name).join(';');
}

export interface CanonicalRequestInput {
  readonly method: string;
  /** The path as sent on the wire (already encoded), e.g. `/sessions`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  return [
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    canonicalHeaders(input.headers),
    signedHeaderList(input.headers),
    hashedPayload(input.body),
  ].join('\n');
}

function dateOf(amzDate: string): string {
  const match = AMZ_DATE.exec(amzDate);
  if (!match?.[1]) throw new RolecallError('INTERNAL', `X-Amz-Date must be YYYYMMDDTHHMMSSZ, got "${amzDate}"`);
  return match[1];
}

/** `YYYYMMDD/REGION/rolesanywhere/aws4_request`. */
export function credentialScope(amzDate: string, region: string, service: string = SERVICE_NAME): string {
  return `${dateOf(amzDate)}/${region}/${service}/aws4_request`;
}

/** Four lines, no trailing newline. */
export function stringToSign(algorithm: SigningAlgorithm, amzDate: string, scope: string, canonical: string): string {
  return [algorithm, amzDate, scope, sha256Hex(canonical)].join('\n');
}

// Code-unit order, as Go's sort.Strings and every SigV4 implementation use (not locale order).
function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
