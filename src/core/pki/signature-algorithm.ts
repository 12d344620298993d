// The algorithm a CA signed a certificate with, and the hash inside it: Roles Anywhere refuses
// certificates signed with a hash weaker than SHA-256.

import { algorithmOid, algorithmParameters, Asn1Class, children, oidValue, sequenceChildren, type Asn1 } from './der';

export interface SignatureAlgorithm {
  readonly oid: string;
  /** OpenSSL's name ("sha256WithRSAEncryption", "ecdsa-with-SHA384"), or the OID when unknown. */
  readonly name: string;
  /** "SHA-256", "SHA-1"...; undefined when the algorithm is unknown. */
  readonly hash: string | undefined;
}

const KNOWN: Readonly<Record<string, readonly [name: string, hash: string]>> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'SHA-1'],
  '2.16.840.1.101.3.4.3.1': ['dsa-with-SHA224', 'SHA-224'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'SHA-256'],
  // EdDSA hashes internally with SHA-512 (Ed25519) or SHAKE256 (Ed448).
  '1.3.101.112': ['ED25519', 'SHA-512'],
  '1.3.101.113': ['ED448', 'SHAKE256'],
};

const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';
const WEAK_HASHES = new Set(['MD2', 'MD5', 'SHA-1', 'SHA-224']);

/** Reads a certificate's signatureAlgorithm AlgorithmIdentifier. */
export function signatureAlgorithmOf(algorithm: Asn1 | undefined): SignatureAlgorithm {
  const oid = algorithmOid(algorithm) ?? 'unknown';
  if (oid === RSASSA_PSS) return { oid, name: 'rsassaPss', hash: pssHash(algorithmParameters(algorithm)) };
  const known = KNOWN[oid];
  return known ? { oid, name: known[0], hash: known[1] } : { oid, name: oid, hash: undefined };
}

/** True for hashes below SHA-256. An unknown algorithm is not called weak: we cannot tell. */
export function isWeakSignature(algorithm: SignatureAlgorithm): boolean {
  return algorithm.hash !== undefined && WEAK_HASHES.has(algorithm.hash);
}

// RSASSA-PSS-params: [0] hashAlgorithm, defaulting to SHA-1 when absent (RFC 4055).
function pssHash(parameters: Asn1 | undefined): string {
  const explicit = (sequenceChildren(parameters) ?? []).find((field) => field.tagClass === Asn1Class.CONTEXT_SPECIFIC && field.type === 0);
  if (explicit === undefined) return 'SHA-1';
  const oid = oidValue(children(children(explicit)[0])[0]);
  return (oid && HASH_BY_OID[oid]) ?? oid ?? 'SHA-1';
}
