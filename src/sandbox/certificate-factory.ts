// Makes keys and certificates for the sandbox's world: the demo PKI, and tests that need a
// certificate broken in one precise way (a CA leaf, no digitalSignature, expired, SHA-1 signed…).
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { x509 } from './x509-library';

export type KeyKind = 'rsa-2048' | 'ec-p256' | 'ec-p384';
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface GeneratedKey {
  readonly kind: KeyKind;
  readonly pair: webcrypto.CryptoKeyPair;
  /** For node:crypto signing. */
  readonly privateKey: KeyObject;
  /** Unencrypted PKCS#8 PEM. A secret: write it only with mode 0600. */
  readonly privateKeyPem: string;
}

export interface IssuedCertificate {
  readonly certificate: x509.X509Certificate;
  readonly der: Buffer;
  readonly pem: string;
  readonly key: GeneratedKey;
  /** Lowercase hex, no leading zeros. */
  readonly serialHex: string;
  readonly serialDecimal: string;
}

export interface CertificateSpec {
  /** e.g. "CN=rolecall-demo, OU=devops, O=Rolecall Demo" */
  readonly subject: string;
  readonly key: GeneratedKey;
  /** Self-signed when omitted. */
  readonly issuer?: IssuedCertificate;
  readonly ca?: boolean;
  readonly pathLength?: number;
  /** x509.KeyUsageFlags bits; default keyCertSign|cRLSign for a CA, digitalSignature otherwise. 0 leaves the extension out. */
  readonly keyUsage?: number;
  /** OIDs; default clientAuth for an end entity, none for a CA. */
  readonly extendedKeyUsages?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Hex; random when omitted. */
  readonly serialNumber?: string;
  /** The issuer's signature hash; default SHA-256. An RSA issuer always signs with SHA-256. */
  readonly hash?: HashName;
}

export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const DAY_MS = 24 * 60 * 60 * 1000;

export async function generateKey(kind: KeyKind): Promise<GeneratedKey> {
  const algorithm =
    kind === 'rsa-2048'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: kind === 'ec-p256' ? 'P-256' : 'P-384' };
  const pair = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const privateKey = KeyObject.from(pair.privateKey);
  return { kind, pair, privateKey, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export async function issueCertificate(spec: CertificateSpec): Promise<IssuedCertificate> {
  const ca = spec.ca ?? false;
  const signer = spec.issuer?.key ?? spec.key;
  const now = Date.now();
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(ca, ca ? spec.pathLength : undefined, true)];
  const keyUsage = spec.keyUsage ?? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature);
  if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  const ekus = spec.extendedKeyUsages ?? (ca ? [] : [CLIENT_AUTH_OID]);
  if (ekus.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension([...ekus]));
  if (spec.dnsNames && spec.dnsNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(spec.dnsNames.map((value) => ({ type: 'dns' as const, value }))));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(spec.key.pair.publicKey as CryptoKeyLike));
  if (spec.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.certificate));

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? randomSerial(),
    subject: spec.subject,
    issuer: spec.issuer?.certificate.subject ?? spec.subject,
    notBefore: spec.notBefore ?? new Date(now - 60 * 60 * 1000),
    notAfter: spec.notAfter ?? new Date(now + (ca ? 3650 : 365) * DAY_MS),
    signingAlgorithm: signer.kind === 'rsa-2048' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: spec.hash ?? (signer.kind === 'ec-p384' ? 'SHA-384' : 'SHA-256') },
    publicKey: spec.key.pair.publicKey as CryptoKeyLike,
    signingKey: signer.pair.privateKey as CryptoKeyLike,
    extensions,
  });
  const der = Buffer.from(certificate.rawData);
  const serial = BigInt(`0x${certificate.serialNumber}`);
  return { certificate, der, pem: certificate.toString('pem') + '\n', key: spec.key, serialHex: serial.toString(16), serialDecimal: serial.toString(10) };
}

type CryptoKeyLike = Parameters<typeof x509.SubjectKeyIdentifierExtension.create>[0];

/** 16 random bytes, positive (high bit clear) and without a leading zero byte, as CAs issue them. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString('hex');
}
