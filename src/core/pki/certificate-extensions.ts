// The three certificate extensions Rolecall reads: basicConstraints (a CA certificate cannot sign in),
// keyUsage (it must allow digitalSignature) and subjectAltName (shown, and mapped to principal tags).
// Any other extension is left alone: Roles Anywhere does not judge it and neither do we.

import { RolecallError } from '../../shared/errors';
import type { SubjectAlternativeNames } from '../../shared/model';
import { Asn1Class, Asn1Type, booleanValue, children, contentBytes, isUniversal, oidValue, parseDer, sequenceChildren, type Asn1 } from './der';
import { readName, type DistinguishedName, type NameAttribute } from './distinguished-name';

export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** In bit order: bit 0 (the first bit of the BIT STRING) is digitalSignature. */
const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const SUBJECT_ALT_NAME = '2.5.29.17';

export interface CertificateExtensions {
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** undefined when the certificate has no keyUsage extension (then every usage is allowed). */
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined;
  readonly subjectAlternativeNames: SubjectAlternativeNames;
  /** The SAN directoryName entries, attribute by attribute. */
  readonly sanDirectoryNames: readonly (readonly NameAttribute[])[];
}

/**
 * Reads the TBSCertificate's [3] extensions (absent in v1 and v2 certificates). When an extension
 * appears twice the first one counts. CERT_UNREADABLE when the list or one of the three is malformed.
 */
export function readExtensions(extensions: Asn1 | undefined): CertificateExtensions {
  const values = new Map<string, Buffer>();
  const list = extensions === undefined ? [] : sequenceChildren(children(extensions)[0]);
  if (list === undefined) throw new RolecallError('CERT_UNREADABLE', 'the extensions are damaged');
  for (const extension of list) {
    // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const fields = sequenceChildren(extension) ?? [];
    const id = oidValue(fields[0]);
    const value = fields.at(-1);
    const bytes = fields.length <= 3 && isUniversal(value, Asn1Type.OCTETSTRING) ? contentBytes(value) : undefined;
    if (id === undefined || bytes === undefined) throw new RolecallError('CERT_UNREADABLE', 'the extensions are damaged');
    if (!values.has(id)) values.set(id, Buffer.from(bytes, 'binary'));
  }
  const names = generalNames(values.get(SUBJECT_ALT_NAME));
  return {
    isCa: isCa(values.get(BASIC_CONSTRAINTS)),
    keyUsage: keyUsage(values.get(KEY_USAGE)),
    subjectAlternativeNames: {
      dns: names.dns,
      uri: names.uri,
      email: names.email,
      ip: names.ip,
      directoryName: names.directoryNames.map((name) => name.text),
    },
    sanDirectoryNames: names.directoryNames.map((name) => name.attributes),
  };
}

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
function isCa(der: Buffer | undefined): boolean {
  if (der === undefined) return false;
  const fields = sequenceChildren(parseDer(der));
  const [first] = fields ?? [];
  if (fields === undefined || (isUniversal(first, Asn1Type.BOOLEAN) && booleanValue(first) === undefined)) throw damaged('basicConstraints');
  return booleanValue(first) ?? false;
}

// KeyUsage ::= BIT STRING; the first content byte counts the unused bits at the end.
function keyUsage(der: Buffer | undefined): ReadonlySet<KeyUsageName> | undefined {
  if (der === undefined) return undefined;
  const node = parseDer(der);
  const content = isUniversal(node, Asn1Type.BITSTRING) ? contentBytes(node) : undefined;
  const bits = content === undefined ? undefined : Buffer.from(content, 'binary');
  const unused = bits?.[0];
  if (bits === undefined || unused === undefined || unused > 7 || (bits.length === 1 && unused !== 0)) throw damaged('keyUsage');
  const usedBits = (bits.length - 1) * 8 - unused;
  return new Set(KEY_USAGE_BITS.filter((_, bit) => bit < usedBits && ((bits[1 + (bit >> 3)] ?? 0) & (0x80 >> (bit & 7))) !== 0));
}

interface GeneralNames {
  readonly dns: string[];
  readonly uri: string[];
  readonly email: string[];
  readonly ip: string[];
  readonly directoryNames: DistinguishedName[];
}

// GeneralNames ::= SEQUENCE OF GeneralName, a CHOICE of context tags: [1] rfc822Name, [2] dNSName,
// [4] directoryName, [6] URI, [7] iPAddress (IA5Strings read byte for byte). Other forms (otherName,
// registeredID...) are not shown.
const SAN_LISTS: Readonly<Record<number, 'email' | 'dns' | 'uri' | 'ip'>> = { 1: 'email', 2: 'dns', 6: 'uri', 7: 'ip' };

function generalNames(der: Buffer | undefined): GeneralNames {
  const names: GeneralNames = { dns: [], uri: [], email: [], ip: [], directoryNames: [] };
  if (der === undefined) return names;
  const entries = sequenceChildren(parseDer(der));
  if (entries === undefined) throw damaged('subjectAltName');
  for (const entry of entries) {
    if (entry.tagClass !== Asn1Class.CONTEXT_SPECIFIC) throw damaged('subjectAltName');
    if (entry.type === 4) {
      names.directoryNames.push(readName(children(entry)[0], 'subjectAltName directoryName'));
      continue;
    }
    const list = SAN_LISTS[entry.type];
    if (list === undefined) continue;
    const bytes = contentBytes(entry);
    if (bytes === undefined) throw damaged('subjectAltName');
    names[list].push(list === 'ip' ? ipAddress(Buffer.from(bytes, 'binary')) : bytes);
  }
  return names;
}

/** Dotted IPv4, compressed lowercase IPv6, "address/prefix" for the 8- and 32-byte masked forms. */
function ipAddress(bytes: Buffer): string {
  switch (bytes.length) {
    case 4:
      return [...bytes].join('.');
    case 16:
      return ipv6(bytes);
    case 8:
    case 32: {
      const half = bytes.length / 2;
      if (bytes.every((byte) => byte === 0)) return half === 4 ? '0.0.0.0/0' : '::/0';
      const prefix = [...bytes.subarray(half)].reduce((sum, byte) => sum + byte.toString(2).replace(/0/g, '').length, 0);
      return `${ipAddress(bytes.subarray(0, half))}/${prefix}`;
    }
    default:
      return bytes.toString('hex');
  }
}

// RFC 5952: the longest run of two or more zero groups (the first of equal runs) becomes "::".
function ipv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16));
  let best = { start: -1, length: 0 };
  let run = { start: -1, length: 0 };
  groups.forEach((group, index) => {
    run = group === '0' ? { start: run.length === 0 ? index : run.start, length: run.length + 1 } : { start: -1, length: 0 };
    if (run.length > best.length) best = run;
  });
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function damaged(extension: string): RolecallError {
  return new RolecallError('CERT_UNREADABLE', `the ${extension} extension is damaged`);
}
