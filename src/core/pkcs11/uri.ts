// RFC 7512 `pkcs11:` URIs. They are search terms, not names: each path attribute narrows which tokens
// and objects match, and the query carries how to get the PIN and, optionally, the module.
import { RolecallError } from '../../shared/errors';

const PATH_ATTRIBUTES = new Set([
  'token', 'manufacturer', 'serial', 'model', 'library-manufacturer', 'library-description', 'library-version',
  'object', 'type', 'id', 'slot-description', 'slot-manufacturer', 'slot-id',
]);
const QUERY_ATTRIBUTES = new Set(['pin-source', 'pin-value', 'module-name', 'module-path']);

/** Token and slot attributes compared as text with the token's and slot's (blank-trimmed) fields. */
export type SlotAttribute = 'token' | 'manufacturer' | 'serial' | 'model' | 'slot-description' | 'slot-manufacturer';

export interface Pkcs11Uri {
  /** Path attributes as decoded bytes (`id` is binary; the others are UTF-8 text). */
  readonly path: ReadonlyMap<string, Buffer>;
  readonly pinValue?: string;
  readonly pinSource?: string;
  readonly modulePath?: string;
}

export function isPkcs11Uri(value: string): boolean {
  return value.toLowerCase().startsWith('pkcs11:');
}

export function parsePkcs11Uri(text: string): Pkcs11Uri {
  if (!isPkcs11Uri(text)) throw invalid('it does not start with pkcs11:');
  const body = text.slice('pkcs11:'.length);
  const queryAt = body.indexOf('?');
  const pathPart = queryAt === -1 ? body : body.slice(0, queryAt);
  const queryPart = queryAt === -1 ? '' : body.slice(queryAt + 1);
  const path = new Map<string, Buffer>();
  for (const [name, value] of attributes(pathPart, ';')) {
    if (!PATH_ATTRIBUTES.has(name) && !name.startsWith('x-')) throw invalid(`unknown attribute "${name}"`);
    if (path.has(name)) throw invalid(`"${name}" appears twice`);
    path.set(name, value);
  }
  // The reference's URI parser takes slot-id in decimal only, so 0x1A is refused there as here.
  const slotId = path.get('slot-id');
  if (slotId !== undefined && !/^\d+$/.test(slotId.toString('utf8'))) throw invalid('slot-id must be a decimal number');
  const query: Record<string, string> = {};
  for (const [name, value] of attributes(queryPart, '&')) {
    if (!QUERY_ATTRIBUTES.has(name) && !name.startsWith('x-')) throw invalid(`unknown query attribute "${name}"`);
    query[name] = value.toString('utf8');
  }
  // RFC 7512 section 2.4: one PIN, from one place; the reference refuses both as well.
  if (query['pin-value'] !== undefined && query['pin-source'] !== undefined) throw invalid('pin-value and pin-source are both given: keep one');
  return {
    path,
    ...(query['pin-value'] !== undefined && { pinValue: query['pin-value'] }),
    ...(query['pin-source'] !== undefined && { pinSource: query['pin-source'] }),
    ...(query['module-path'] !== undefined && { modulePath: query['module-path'] }),
  };
}

/** The URI as given, less its pin-value: what may be stored and shown. */
export function withoutPinValue(text: string): string {
  const queryAt = text.indexOf('?');
  if (queryAt === -1) return text;
  const kept = text.slice(queryAt + 1).split('&').filter((item) => !item.toLowerCase().startsWith('pin-value='));
  return kept.length === 0 ? text.slice(0, queryAt) : `${text.slice(0, queryAt)}?${kept.join('&')}`;
}

/** The path attribute as text, when the URI has it. */
export function textAttribute(uri: Pkcs11Uri, name: string): string | undefined {
  return uri.path.get(name)?.toString('utf8');
}

/** A copy that looks for the key by the certificate's CKA_ID instead of its label. */
export function withIdInsteadOfLabel(uri: Pkcs11Uri, id: Buffer): Pkcs11Uri {
  const path = new Map(uri.path);
  path.delete('object');
  path.set('id', id);
  return { ...uri, path };
}

/** An URI naming one object: what `rolecall` prints so a user can pin down a certificate or key. */
export function formatPkcs11Uri(attributes: ReadonlyArray<readonly [string, Buffer | string]>): string {
  return `pkcs11:${attributes.map(([name, value]) => `${name}=${encode(typeof value === 'string' ? Buffer.from(value, 'utf8') : value, name === 'id')}`).join(';')}`;
}

function encode(bytes: Buffer, everyByte: boolean): string {
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += !everyByte && /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function* attributes(part: string, separator: string): Generator<[string, Buffer]> {
  if (part === '') return;
  for (const item of part.split(separator)) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw invalid(`an attribute has no "=": every attribute is name=value`);
    yield [item.slice(0, equals).toLowerCase(), percentDecode(item.slice(equals + 1))];
  }
}

function percentDecode(value: string): Buffer {
  const parts = value.split(/(%[0-9A-Fa-f]{2})/);
  return Buffer.concat(parts.map((part) => {
    if (/^%[0-9A-Fa-f]{2}$/.test(part)) return Buffer.from([parseInt(part.slice(1), 16)]);
    if (part.includes('%')) throw invalid('a % is not followed by two hex digits');
    return Buffer.from(part, 'utf8');
  }));
}

// The PIN may sit in the URI, so the detail quotes only the reason, never the URI.
function invalid(reason: string): RolecallError {
  return new RolecallError('PKCS11_URI_INVALID', reason);
}
