// X.509 certificates: parsed once, in JavaScript (@peculiar/x509 plus a small DER walk for what it does
// not expose), so the app and the CLI read them the same way. The exact DER is kept: it is what the
// X-Amz-X509 header carries and what the signature of the issuer covers.

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import type { CertificateSummary, SubjectAlternativeNames } from '../../shared/model';
import { Asn1Class, algorithmOid, algorithmParameters, children, contentBytes, oidValue, parseDer, sequenceChildren, smallInteger } from './der';
import { derKind } from './der-kind';
import { describeCertificate } from './describe';
import { describeKey, describeKeyOids } from './key-type';
import { hasPemMarkers, splitPem, toPem } from './pem';
import { signatureAlgorithmOf, type SignatureAlgorithm } from './signature-algorithm';

export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** One attribute of a distinguished name: a short name (CN, OU, C...) or a dotted OID, and its value. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

const KEY_USAGE_FLAGS: readonly (readonly [KeyUsageName, number])[] = [
  ['digitalSignature', x509.KeyUsageFlags.digitalSignature],
  ['nonRepudiation', x509.KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', x509.KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', x509.KeyUsageFlags.dataEncipherment],
  ['keyAgreement', x509.KeyUsageFlags.keyAgreement],
  ['keyCertSign', x509.KeyUsageFlags.keyCertSign],
  ['cRLSign', x509.KeyUsageFlags.cRLSign],
  ['encipherOnly', x509.KeyUsageFlags.encipherOnly],
  ['decipherOnly', x509.KeyUsageFlags.decipherOnly],
];

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
    if (!root || derKind(der) !== 'certificate') throw new RolecallError('CERT_UNREADABLE', 'not an X.509 certificate');
    const [tbs, signatureAlgorithm] = sequenceChildren(root) ?? [];
    const tbsFields = children(tbs);
    const explicitVersion = tbsFields[0]?.tagClass === Asn1Class.CONTEXT_SPECIFIC && tbsFields[0].type === 0;
    const version = explicitVersion ? smallInteger(children(tbsFields[0])[0]) : 0;
    const serial = contentBytes(tbsFields[explicitVersion ? 1 : 0]);
    if (version === undefined || serial === undefined || serial.length === 0) {
      throw new RolecallError('CERT_UNREADABLE', 'the version or serial number is damaged');
    }

    let parsed: x509.X509Certificate;
    try {
      parsed = new x509.X509Certificate(der);
      this.subject = parsed.subject;
      this.issuer = parsed.issuer;
      this.subjectAttributes = nameAttributes(parsed.subjectName);
      this.issuerAttributes = nameAttributes(parsed.issuerName);
      this.notBefore = parsed.notBefore;
      this.notAfter = parsed.notAfter;
      this.isCa = parsed.getExtension(x509.BasicConstraintsExtension)?.ca ?? false;
      this.keyUsage = keyUsageOf(parsed.getExtension(x509.KeyUsagesExtension));
      const names = parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
      this.subjectAlternativeNames = alternativeNames(names);
      this.sanDirectoryNames = names.filter((name) => name.type === 'dn').map((name) => nameAttributes(new x509.Name(name.value)));
      this.spki = Buffer.from(parsed.publicKey.rawData);
    } catch (error) {
      throw new RolecallError('CERT_UNREADABLE', 'the certificate structure is damaged', { cause: error });
    }

    this.der = Buffer.from(der);
    this.version = version + 1;
    const serialBytes = Buffer.from(serial, 'binary');
    this.serialHex = serialHexOf(serialBytes);
    this.serialDecimal = serialDecimalOf(serialBytes);
    this.signatureAlgorithm = signatureAlgorithmOf(signatureAlgorithm);
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

function nameAttributes(name: x509.Name): NameAttribute[] {
  return name.toJSON().flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((value) => ({ type, value }))));
}

function keyUsageOf(extension: x509.KeyUsagesExtension | null): ReadonlySet<KeyUsageName> | undefined {
  if (!extension) return undefined;
  return new Set(KEY_USAGE_FLAGS.filter(([, flag]) => (extension.usages & flag) !== 0).map(([name]) => name));
}

function alternativeNames(names: readonly x509.GeneralName[]): SubjectAlternativeNames {
  const of = (type: string): string[] => names.filter((name) => name.type === type).map((name) => name.value);
  return { dns: of('dns'), uri: of('url'), email: of('email'), ip: of('ip'), directoryName: of('dn') };
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
