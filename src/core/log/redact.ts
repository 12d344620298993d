// Removes anything shaped like a secret from log messages and fields. It errs towards removing too much:
// a masked certificate in a debug line costs a little, a leaked session token costs an incident.
// Ordinary text (ARNs, profile names, hex serials, dates, paths) must survive, so shape rules that could
// hit it carry filters, and the tests hold both sides.
import { KeyObject } from 'node:crypto';

export const REDACTED = '[REDACTED]';

export interface Redactor {
  /** The text with every secret-shaped part replaced. */
  text(text: string): string;
  /** A JSON-safe deep copy: secret-named fields emptied, strings redacted, Errors flattened. */
  value(value: unknown): unknown;
}

export interface RedactorOptions {
  /** Exact values to mask wherever they appear (e.g. the credentials endpoint's token); shorter than 8 characters are ignored. */
  readonly knownSecrets?: () => Iterable<string>;
}

const MAX_DEPTH = 8;

// Key names are compared lowercased with separators removed: sessionToken, SESSION_TOKEN, session-token.
const SECRET_KEY_PARTS = ['secret', 'token', 'password', 'passwd', 'passphrase', 'privatekey', 'signature', 'cookie', 'apikey'];

function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[-_.\s]/g, '');
  return SECRET_KEY_PARTS.some((part) => normal.includes(part)) || normal.endsWith('credentials');
}

function isAuthorizationKey(key: string): boolean {
  return key.toLowerCase().replace(/[-_.\s]/g, '').endsWith('authorization');
}

// A CLI argument such as --pkcs8-password whose value is the next argument.
const SECRET_FLAG = /^--?[\w-]*(?:password|passphrase|secret|token)[\w-]*$/i;

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const SIGNATURE_VALUE = /\b((?:X-Amz-)?Signature=)(?!\[REDACTED)[^\s,&"';]+/gi;
const BEARER = /\b(Bearer|Basic)\s+(?!\[REDACTED)[A-Za-z0-9._~+/=-]+/g;
// SigV4 Authorization values keep their Credential scope (certificate serial, date, region): only the
// signature, removed above, is secret. Any other Authorization value is a token as a whole.
const AUTHORIZATION_VALUE = /\b(authorization["']?\s*[:=]\s*["']?)(?!AWS4-|Bearer\b|Basic\b|\[REDACTED)[^\s"',;]+/gi;
// name=value, name: value, "name":"value" where the name looks secret. The name must start a word, so
// "arn:aws:secretsmanager:…" is not taken for a key; a value opening an object is left to its inner keys.
const SECRET_ASSIGNMENT =
  /(?<![\w:/.-])(["']?)([A-Za-z0-9_.-]*?(?:secret|token|password|passwd|passphrase|private[_-]?key|credentials)[A-Za-z0-9_.-]*)\1(\s*[:=]\s*)(?![{[]|"?\[REDACTED)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}\]]+)/gi;
const SECRET_FLAG_VALUE = /(--?[\w-]*(?:password|passphrase|secret|token)[\w-]*)(\s+|=)(?!-|\[REDACTED)(\S+)/gi;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g;
// Secret access keys are 40 characters of base64; session tokens are hundreds.
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
// '=' may appear inside: two tokens glued together, or a padded value after "name=".
const LONG_BASE64 = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/][A-Za-z0-9+/=]{63,}(?![A-Za-z0-9+/=])/g;

const HEX = /^[0-9a-fA-F]+$/;

// An absolute path without digits; a random key starts with "/" and lacks digits once in ~50,000.
function looksLikePath(candidate: string): boolean {
  return candidate.startsWith('/') && !/\d/.test(candidate);
}

/** An access key id as people may see it: `ASIA…WXYZ` (enough to tell sessions apart, useless to an attacker). */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? REDACTED : `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

function maskSecretAccessKey(candidate: string): string {
  if (HEX.test(candidate) || looksLikePath(candidate)) return candidate;
  // A random key has both cases; a 40-letter run without them is a word or a constant.
  return /[A-Z]/.test(candidate) && /[a-z]/.test(candidate) ? REDACTED : candidate;
}

function maskLongBase64(candidate: string): string {
  return HEX.test(candidate) || looksLikePath(candidate) ? candidate : REDACTED;
}

function quoteLike(value: string): string {
  if (value.startsWith('"')) return `"${REDACTED}"`;
  if (value.startsWith("'")) return `'${REDACTED}'`;
  return REDACTED;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const text = (input: string): string => {
    let out = input;
    for (const known of options.knownSecrets?.() ?? []) {
      if (known.length >= 8) out = out.split(known).join(REDACTED);
    }
    return out
      .replace(PEM_PRIVATE_KEY, '[REDACTED PRIVATE KEY]')
      .replace(JWT, REDACTED)
      .replace(SIGNATURE_VALUE, `$1${REDACTED}`)
      .replace(BEARER, `$1 ${REDACTED}`)
      .replace(AUTHORIZATION_VALUE, `$1${REDACTED}`)
      .replace(SECRET_ASSIGNMENT, (_match, quote: string, name: string, separator: string, value: string) =>
        `${quote}${name}${quote}${separator}${quoteLike(value)}`)
      .replace(SECRET_FLAG_VALUE, `$1$2${REDACTED}`)
      .replace(ACCESS_KEY_ID, '$1…$2')
      .replace(LONG_BASE64, maskLongBase64)
      .replace(SECRET_ACCESS_KEY, maskSecretAccessKey);
  };

  const value = (input: unknown): unknown => copy(input, text, new Set(), 0);
  return { text, value };
}

function copy(input: unknown, text: (s: string) => string, ancestors: Set<object>, depth: number): unknown {
  switch (typeof input) {
    case 'string':
      return text(input);
    case 'number':
    case 'boolean':
      return input;
    case 'bigint':
      return input.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return input.toString();
    case 'function':
      return `[Function ${input.name || 'anonymous'}]`;
  }
  if (input === null) return null;
  const object = input as object;
  // Raw bytes may be key material; their size is all a log needs.
  if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`;
  if (object instanceof ArrayBuffer) return `[${object.byteLength} bytes]`;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (object instanceof URL) return text(object.href);
  if (ancestors.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.add(object);
  try {
    const nested = (item: unknown) => copy(item, text, ancestors, depth + 1);
    if (Array.isArray(object)) return copyArray(object, nested);
    if (object instanceof Set) return copyArray([...object], nested);
    if (object instanceof Map) return copyEntries([...object].map(([k, v]) => [String(k), v]), nested);
    if (object instanceof Error) return copyError(object, text, nested);
    if (object instanceof KeyObject) return `[KeyObject ${object.type}]`;
    return copyEntries(Object.entries(object), nested);
  } finally {
    ancestors.delete(object);
  }
}

function copyArray(items: readonly unknown[], nested: (item: unknown) => unknown): unknown[] {
  return items.map((item, index) => {
    const previous = items[index - 1];
    return typeof previous === 'string' && SECRET_FLAG.test(previous) && typeof item === 'string' ? REDACTED : nested(item);
  });
}

function copyEntries(entries: Iterable<[string, unknown]>, nested: (item: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (item === undefined) continue;
    out[key] = copyField(key, item, nested);
  }
  return out;
}

function copyField(key: string, item: unknown, nested: (item: unknown) => unknown): unknown {
  if (isAuthorizationKey(key)) {
    return typeof item === 'string' && item.startsWith('AWS4-') ? nested(item) : REDACTED;
  }
  if (isSecretKey(key)) {
    // Flags such as hasPassphrase: true carry no secret and help reading the log.
    return typeof item === 'boolean' || item === null ? item : REDACTED;
  }
  return nested(item);
}

function copyError(error: Error, text: (s: string) => string, nested: (item: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: text(error.message) };
  Object.assign(out, copyEntries(Object.entries(error), nested));
  if (error.stack !== undefined) out.stack = text(error.stack);
  if (error.cause !== undefined) out.cause = nested(error.cause);
  if (error instanceof AggregateError) out.errors = nested(error.errors);
  return out;
}
