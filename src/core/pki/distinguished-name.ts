// Distinguished names (subject, issuer, SAN directoryName) read from DER: as the RFC 4514-style text
// users see ("C=US, O=Example, CN=alice", in the certificate's own order, not RFC 4514's reversed
// one) and as the attribute list principal tags are taken from.

import { RolecallError } from '../../shared/errors';
import { Asn1Class, Asn1Type, children, contentBytes, isUniversal, oidValue, sequenceChildren, toDer, type Asn1 } from './der';

/** One attribute of a distinguished name: a short name (CN, OU, C...) or a dotted OID, and its value. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

export interface DistinguishedName {
  readonly text: string;
  readonly attributes: readonly NameAttribute[];
}

// The short names Rolecall has always shown (those of @peculiar/x509, which it used before); any other
// attribute, serialNumber included, shows as its dotted OID.
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.6', 'C'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'E'],
  ['2.5.4.42', 'G'],
  ['2.5.4.43', 'I'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.12', 'T'],
]);

interface Attribute {
  readonly type: string;
  readonly value: string;
  /** True when the value is the "#"-prefixed hex of an encoding that is not a character string. */
  readonly hex: boolean;
}

/** Reads a Name (SEQUENCE OF RelativeDistinguishedName); CERT_UNREADABLE when it is malformed. */
export function readName(node: Asn1 | undefined, what: string): DistinguishedName {
  const rdns = sequenceChildren(node)?.map((rdn) => relativeName(rdn, what));
  if (rdns === undefined) throw damaged(what);
  return {
    text: rdns.map((rdn) => rdn.map((attribute) => `${attribute.type}=${attribute.hex ? attribute.value : escapeValue(attribute.value)}`).join('+')).join(', '),
    attributes: rdns.flatMap(groupedByType),
  };
}

function relativeName(node: Asn1, what: string): Attribute[] {
  if (!isUniversal(node, Asn1Type.SET)) throw damaged(what);
  return children(node).map((pair) => {
    const [typeNode, valueNode] = sequenceChildren(pair) ?? [];
    const type = oidValue(typeNode);
    if (type === undefined || valueNode === undefined) throw damaged(what);
    const text = characterString(valueNode);
    return {
      type: SHORT_NAMES.get(type) ?? type,
      value: text ?? `#${toDer(valueNode).toString('hex')}`,
      hex: text === undefined,
    };
  });
}

// A multi-valued RDN lists its values type by type, in order of each type's first appearance.
function groupedByType(rdn: readonly Attribute[]): NameAttribute[] {
  const types = [...new Set(rdn.map((attribute) => attribute.type))];
  return types.flatMap((type) => rdn.filter((attribute) => attribute.type === type).map(({ value }) => ({ type, value })));
}

const byteForByte = (bytes: string): string => bytes;

// Attribute values that are character strings (DirectoryString's five types, and IA5String for email
// and DC), by universal tag; node-forge names neither 20 (TeletexString) nor 28 (UniversalString).
// TeletexString is read byte for byte: T.61 text in certificates is Latin-1 in practice.
const STRING_DECODERS: Readonly<Record<number, (bytes: string) => string>> = {
  [Asn1Type.UTF8]: utf8OrBytes,
  [Asn1Type.PRINTABLESTRING]: byteForByte,
  20: byteForByte,
  [Asn1Type.IA5STRING]: byteForByte,
  28: (bytes) => codePoints(bytes, 4),
  [Asn1Type.BMPSTRING]: (bytes) => codePoints(bytes, 2),
};

/** The text of a character string; undefined for any other element. */
function characterString(node: Asn1): string | undefined {
  const decode = node.tagClass === Asn1Class.UNIVERSAL ? STRING_DECODERS[node.type] : undefined;
  const bytes = contentBytes(node);
  return decode === undefined || bytes === undefined ? undefined : decode(bytes);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

// Invalid UTF-8 (old CAs put Latin-1 in UTF8String) is shown byte for byte rather than as U+FFFD.
function utf8OrBytes(bytes: string): string {
  try {
    return STRICT_UTF8.decode(Buffer.from(bytes, 'binary'));
  } catch {
    return bytes;
  }
}

/** UniversalString (UCS-4) and BMPString (UCS-2), big-endian. */
function codePoints(bytes: string, width: 2 | 4): string {
  const buffer = Buffer.from(bytes, 'binary');
  if (buffer.length % width !== 0) throw new RolecallError('CERT_UNREADABLE', 'a name holds a damaged string');
  let text = '';
  for (let offset = 0; offset < buffer.length; offset += width) {
    const point = width === 2 ? buffer.readUInt16BE(offset) : buffer.readUInt32BE(offset);
    if (point > 0x10ffff) throw new RolecallError('CERT_UNREADABLE', 'a name holds a damaged string');
    text += String.fromCodePoint(point);
  }
  return text;
}

// RFC 4514 section 2.4, with line breaks and tabs shown as \0A-style escapes so a name stays on one line.
function escapeValue(value: string): string {
  return value
    .replace(/[,+"\\<>;]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    .replace(/[\r\n\t]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

function damaged(what: string): RolecallError {
  return new RolecallError('CERT_UNREADABLE', `the ${what} is damaged`);
}
