// Subjects as users type them, "CN=alice,OU=devops,O=Example,C=US" (RFC 4514 escaping: a backslash
// before , + " \ < > ; = or a leading # or space, or two hex digits), turned into attributes in the order
// written. Only attributes Roles Anywhere maps to principal tags are accepted, so every part of the name
// can be pinned by a trust policy; anything else is refused here, before a key is made.
import { RolecallError } from '../../shared/errors';

export interface SubjectAttribute {
  /** CN, OU, O, C, L, ST or UID. */
  readonly type: string;
  readonly value: string;
}

/** The attributes Roles Anywhere's default mapping turns into aws:PrincipalTag/x509Subject/… tags. */
export const SUBJECT_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['CN', '2.5.4.3'],
  ['OU', '2.5.4.11'],
  ['O', '2.5.4.10'],
  ['C', '2.5.4.6'],
  ['L', '2.5.4.7'],
  ['ST', '2.5.4.8'],
  ['UID', '0.9.2342.19200300.100.1.1'],
]);

/** Session tag values are at most 256 characters; longer ones are dropped by the service. */
const MAX_VALUE_LENGTH = 256;
// What STS accepts in a session tag value: a value outside it would silently not become a tag.
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function parseSubject(text: string): SubjectAttribute[] {
  const attributes = splitUnescaped(text, ',').map((part) => parseAttribute(part));
  if (attributes.length === 0) throw new RolecallError('SUBJECT_INVALID', 'the subject is empty');
  if (!attributes.some((attribute) => attribute.type === 'CN')) throw new RolecallError('SUBJECT_INVALID', 'it has no CN');
  return attributes;
}

/** The attributes back as text that parseSubject reads the same. */
export function formatSubject(attributes: readonly SubjectAttribute[]): string {
  return attributes.map(({ type, value }) => `${type}=${escapeValue(value)}`).join(',');
}

function parseAttribute(part: string): SubjectAttribute {
  const equals = part.indexOf('=');
  if (equals < 0) throw new RolecallError('SUBJECT_INVALID', `"${part.trim()}" is not TYPE=VALUE`);
  const type = part.slice(0, equals).trim().toUpperCase();
  if (!SUBJECT_ATTRIBUTES.has(type)) {
    throw new RolecallError('SUBJECT_INVALID', `${type || '(nothing)'} is not an attribute Roles Anywhere maps to a principal tag`);
  }
  if (splitUnescaped(part.slice(equals + 1), '+').length > 1) {
    throw new RolecallError('SUBJECT_INVALID', `${type}: multi-valued attributes (+) are not supported; escape a literal + as \\+`);
  }
  const value = unescapeValue(part.slice(equals + 1).trimStart().replace(/(?<!\\) +$/, ''), type);
  if (value === '') throw new RolecallError('SUBJECT_INVALID', `${type} is empty`);
  if (value.length > MAX_VALUE_LENGTH) throw new RolecallError('SUBJECT_INVALID', `${type} is longer than ${MAX_VALUE_LENGTH} characters`);
  if (!TAG_VALUE.test(value)) {
    throw new RolecallError('SUBJECT_INVALID', `${type} holds characters a session tag cannot carry (letters, digits, spaces and _ . : / = + - @ only)`);
  }
  if (type === 'C' && !/^[A-Z]{2}$/.test(value)) throw new RolecallError('SUBJECT_INVALID', 'C must be a two-letter country code such as US');
  return { type, value };
}

/** Splits on `separator` where it is not escaped by a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (char === '\\') {
      current += char + (text[index + 1] ?? '');
      index += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current);
  return parts;
}

function unescapeValue(text: string, type: string): string {
  let value = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = text.slice(index + 1, index + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(next)) {
      value += String.fromCharCode(Number.parseInt(next, 16));
      index += 2;
    } else if (next.length > 0 && ',+"\\<>;= #'.includes(next[0] ?? '')) {
      value += next[0];
      index += 1;
    } else {
      throw new RolecallError('SUBJECT_INVALID', `${type}: a backslash must come before , + " \\ < > ; = # or a space`);
    }
  }
  return value;
}

function escapeValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, '\\$&').replace(/^[ #]/, '\\$&').replace(/ $/, '\\ ');
}
