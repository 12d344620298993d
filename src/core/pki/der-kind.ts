// What a DER blob is, judged by its ASN.1 shape. Files carry no reliable type marker (a ".pem" may hold
// DER, a ".key" a certificate), so the shape decides which parser runs and which error the user sees.

import { Asn1Type, children, isUniversal, oidValue, parseDer, sequenceChildren, smallInteger, type Asn1 } from './der';

export type DerKind =
  | 'certificate'
  | 'certificate-request'
  | 'pkcs12'
  | 'private-key-info'
  | 'encrypted-private-key-info'
  | 'rsa-private-key'
  | 'ec-private-key'
  | 'dsa-private-key'
  | 'unknown';

const PKCS7_DATA = '1.2.840.113549.1.7.1';
const PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';

export function derKind(bytes: Buffer): DerKind {
  const root = parseDer(bytes);
  return root ? kindOf(root) : 'unknown';
}

export function kindOf(root: Asn1): DerKind {
  const parts = sequenceChildren(root);
  if (!parts || parts.length < 2) return 'unknown';
  const [first, second, third] = parts;

  if (isSignedStructure(parts)) {
    // A certificate's TBS has at least six fields; a CSR's CertificationRequestInfo has four.
    return children(first).length >= 6 ? 'certificate' : 'certificate-request';
  }
  if (smallInteger(first) === 3 && isContentInfo(second, [PKCS7_DATA, PKCS7_SIGNED_DATA])) return 'pkcs12';
  if (parts.length === 2 && sequenceChildren(first) && oidValue(children(first)[0]) && isUniversal(second, Asn1Type.OCTETSTRING)) {
    return 'encrypted-private-key-info';
  }
  const version = smallInteger(first);
  if ((version === 0 || version === 1) && oidValue(children(second)[0]) && isUniversal(third, Asn1Type.OCTETSTRING)) {
    return 'private-key-info';
  }
  if (version === 1 && isUniversal(second, Asn1Type.OCTETSTRING)) return 'ec-private-key';
  if (parts.every((part) => isUniversal(part, Asn1Type.INTEGER))) {
    if (parts.length === 6 && version === 0) return 'dsa-private-key';
    if (parts.length >= 9 && (version === 0 || version === 1)) return 'rsa-private-key';
  }
  return 'unknown';
}

/**
 * True when the bytes start like a PKCS#12 PFX (SEQUENCE, then INTEGER 3), even if the file was cut
 * short: no certificate or key starts that way, and a damaged .p12 should be reported as one.
 */
export function startsLikePkcs12(bytes: Buffer): boolean {
  const lengthByte = bytes[1];
  if (bytes[0] !== 0x30 || lengthByte === undefined) return false;
  const header = lengthByte <= 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return bytes.subarray(header, header + 3).equals(Buffer.from([0x02, 0x01, 0x03]));
}

function isSignedStructure(parts: Asn1[]): boolean {
  const [body, algorithm, signature] = parts;
  return parts.length === 3 && sequenceChildren(body) !== undefined && sequenceChildren(algorithm) !== undefined
    && isUniversal(signature, Asn1Type.BITSTRING);
}

function isContentInfo(node: Asn1 | undefined, types: string[]): boolean {
  const type = oidValue(sequenceChildren(node)?.[0]);
  return type !== undefined && types.includes(type);
}
