// X.509 certificates: parsed once, in JavaScript (a DER walk over node-forge's ASN.1 codec), so the
// app and the CLI read them the same way. The exact DER is kept: it is what the X-Amz-X509 header
// carries and what the signature of the issuer covers. No X.509 library is loaded: this runs on every
// `rolecall credential-process`, where start-up time is what SDKs wait for.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import type { CertificateSummary, SubjectAlternativeNames } from '../../shared/model';
import { readExtensions, type KeyUsageName } from './certificate-extensions';
import {
  Asn1Class,
  Asn1Type,
  algorithmOid,
  algorithmParameters,
  children,
  contentBytes,
  isUniversal,
  oidValue,
  parseDer,
  sequenceChildren,
  smallInteger,
  timeValue,
  toDer,
  type Asn1,
} from './der';
import { derKind, kindOf } from './der-kind';
import { describeCertificate } from './describe';
import { readName, type NameAttribute } from './distinguished-name';
import { describeKey, describeKeyOids } from './key-type';
import { hasPemMarkers, splitPem, toPem } from './pem';
import { signatureAlgorithmOf, type SignatureAlgorithm } from './signature-algorithm';

export type { KeyUsageName } from './certificate-extensions';
export type { NameAttribute } from './distinguished-name';

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

export class Certificate {
  /** The exact DER bytes, as read. */
  readonly der: Buffer;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly serialHex: string;
  readonly serialDecimal: string;
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAttributes: readonly NameAttribute[];
  readonly issuerAttributes: readonly NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** undefined when the certificate has no keyUsage extension (then every usage is allowed). */
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined;
  readonly subjectAlternativeNames: SubjectAlternativeNames;
  /** The SAN directoryName entries, attribute by attribute. */
  readonly sanDirectoryNames: readonly (readonly NameAttribute[])[];
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Buffer;
  #publicKey: KeyObject | undefined;

  private constructor(der: Buffer) {
    const root = parseDer(der);
    if (!root || kindOf(root) !== 'certificate') throw new RolecallError('CERT_UNREADABLE', 'not an X.509 certificate');
    const [tbs, signatureAlgorithm] = sequenceChildren(root) ?? [];
    const tbsFields = children(tbs);
    const explicitVersion = isContext(tbsFields[0], 0);
    const version = explicitVersion ? smallInteger(children(tbsFields[0])[0]) : 0;
    const [serialField, innerSignature, issuer, validity, subject, spki, ...optional] = tbsFields.slice(explicitVersion ? 1 : 0);
    const serial = isUniversal(serialField, Asn1Type.INTEGER) ? contentBytes(serialField) : undefined;
    if (version === undefined || serial === undefined || serial.length === 0) {
      throw new RolecallError('CERT_UNREADABLE', 'the version or serial number is damaged');
    }
    const [notBefore, notAfter] = (sequenceChildren(validity) ?? []).map(timeValue);
    if (notBefore === undefined || notAfter === undefined) throw new RolecallError('CERT_UNREADABLE', 'the validity dates are damaged');
    if (algorithmOid(innerSignature) === undefined) throw new RolecallError('CERT_UNREADABLE', 'the signature algorithm is damaged');
    if (!isSubjectPublicKeyInfo(spki)) throw new RolecallError('CERT_UNREADABLE', 'the public key is damaged');

    const subjectName = readName(subject, 'subject name');
    const issuerName = readName(issuer, 'issuer name');
    const extensions = readExtensions(optional.find((field) => isContext(field, 3)));
    this.der = Buffer.from(der);
    this.version = version + 1;
    const serialBytes = Buffer.from(serial, 'binary');
    this.serialHex = serialHexOf(serialBytes);
    this.serialDecimal = serialDecimalOf(serialBytes);
    this.subject = subjectName.text;
    this.issuer = issuerName.text;
    this.subjectAttributes = subjectName.attributes;
    this.issuerAttributes = issuerName.attributes;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.signatureAlgorithm = signatureAlgorithmOf(signatureAlgorithm);
    this.isCa = extensions.isCa;
    this.keyUsage = extensions.keyUsage;
    this.subjectAlternativeNames = extensions.subjectAlternativeNames;
    this.sanDirectoryNames = extensions.sanDirectoryNames;
    this.spki = toDer(spki);
  }

  /** One DER-encoded certificate. */
  static fromDer(der: Buffer): Certificate {
    return new Certificate(der);
  }

  /** The public key as a Node KeyObject (to verify signatures and match private keys). */
  get publicKey(): KeyObject {
    if (this.#publicKey === undefined) {
      try {
        this.#publicKey = createPublicKey({ key: this.spki, format: 'der', type: 'spki' });
      } catch {
        throw new RolecallError('KEY_UNSUPPORTED', `the certificate's ${this.keyAlgorithmFromOids()} public key cannot be loaded`);
      }
    }
    return this.#publicKey;
  }

  /** "RSA-2048", "EC P-256", "Ed25519". */
  get keyAlgorithm(): string {
    try {
      return describeKey(this.publicKey);
    } catch {
      return this.keyAlgorithmFromOids();
    }
  }

  get fingerprintSha256(): string {
    return createHash('sha256').update(this.der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
  }

  /** Standard padded base64 of the DER, no line breaks: the X-Amz-X509 header form. */
  toBase64(): string {
    return this.der.toString('base64');
  }

  toPem(): string {
    return toPem('CERTIFICATE', this.der);
  }

  toSummary(): CertificateSummary {
    return describeCertificate(this);
  }

  /** True when `privateKey` is the private half of this certificate's public key. */
  matchesPrivateKey(privateKey: KeyObject): boolean {
    // Compared as SPKI DER exported by Node (one canonical encoding), not with KeyObject.equals: on
    // keys of different types that leaves an OpenSSL error queued (Node 20), and the next
    // createPrivateKey then fails with "different key types".
    try {
      const spki = { type: 'spki', format: 'der' } as const;
      return this.publicKey.export(spki).equals(createPublicKey(privateKey).export(spki));
    } catch {
      return false;
    }
  }

  equals(other: Certificate): boolean {
    return this.der.equals(other.der);
  }

  private keyAlgorithmFromOids(): string {
    const [algorithm] = sequenceChildren(parseDer(this.spki)) ?? [];
    return describeKeyOids(algorithmOid(algorithm), oidValue(algorithmParameters(algorithm)));
  }
}

/**
 * Every certificate in PEM text (in order; text between blocks ignored) or one DER certificate.
 * CERT_NOT_FOUND when the input holds something else, such as a private key or a CSR.
 */
export function parseCertificates(input: Buffer | string): Certificate[] {
  if (hasPemMarkers(input)) {
    const blocks = splitPem(input, 'CERT_UNREADABLE');
    const certificates = blocks.filter((block) => CERTIFICATE_LABELS.has(block.label)).map((block) => Certificate.fromDer(block.der));
    if (certificates.length === 0) throw new RolecallError('CERT_NOT_FOUND', notACertificate(blocks.map((block) => block.label)));
    return certificates;
  }
  if (typeof input === 'string') {
    if (input.trim() === '') throw new RolecallError('CERT_NOT_FOUND', 'the input is empty');
    throw new RolecallError('CERT_UNREADABLE', 'the text holds no PEM block');
  }
  if (input.length === 0) throw new RolecallError('CERT_NOT_FOUND', 'the input is empty');
  const kind = derKind(input);
  if (kind === 'certificate') return [Certificate.fromDer(input)];
  if (kind === 'unknown') throw new RolecallError('CERT_UNREADABLE', 'neither PEM nor a DER certificate');
  throw new RolecallError('CERT_NOT_FOUND', notACertificate([kind]));
}

/** Says what the input holds instead, so a swapped --certificate / --private-key is obvious. */
function notACertificate(found: readonly string[]): string {
  if (found.some((label) => /PRIVATE KEY|private-key/.test(label))) return 'the input holds a private key, not a certificate';
  if (found.some((label) => /REQUEST|certificate-request/.test(label))) return 'the input holds a certificate signing request (CSR), not a certificate';
  if (found.includes('pkcs12')) return 'the input is a PKCS#12 file, which needs its password';
  return found.length === 0 ? 'no PEM block' : `the input holds only ${found.join(', ')}`;
}

function isContext(node: Asn1 | undefined, tag: number): node is Asn1 {
  return node !== undefined && node.tagClass === Asn1Class.CONTEXT_SPECIFIC && node.type === tag;
}

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
function isSubjectPublicKeyInfo(node: Asn1 | undefined): node is Asn1 {
  const [algorithm, key] = sequenceChildren(node) ?? [];
  return algorithmOid(algorithm) !== undefined && isUniversal(key, Asn1Type.BITSTRING);
}

// DER INTEGERs carry a leading 0x00 when the top bit is set; it is not part of the number.
function serialHexOf(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start).toString('hex').toUpperCase();
}

// Two's complement, as DER defines it: RFC 5280 wants positive serials, but some CAs got it wrong
// and the number must still match what the service computes.
function serialDecimalOf(bytes: Buffer): string {
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  const negative = ((bytes[0] ?? 0) & 0x80) !== 0;
  return (negative ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned).toString();
}
