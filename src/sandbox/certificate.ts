// One certificate as the service sees it: node:crypto for signatures and issuer checks,
// @peculiar/x509 for extensions and dates, and a few DER bytes read directly for the version.
import { X509Certificate } from 'node:crypto';
import { x509 } from './x509-library';

export interface ServiceCertificate {
  readonly der: Buffer;
  readonly node: X509Certificate;
  readonly parsed: x509.X509Certificate;
  /** 1, 2 or 3. */
  readonly version: number;
  /** The serial number in decimal, as the credential scope carries it. */
  readonly serialDecimal: string;
  /** The serial number in lowercase hex without leading zeros. */
  readonly serialHex: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCa: boolean;
  /** keyUsage bits, or undefined when the certificate has no keyUsage extension. */
  readonly keyUsage: number | undefined;
  /** The hash of the issuer's signature over this certificate ('SHA-256', …), or undefined when unknown. */
  readonly signatureHash: string | undefined;
}

/** Parses DER; undefined when it is not a certificate node and @peculiar/x509 both accept. */
export function parseCertificate(der: Buffer): ServiceCertificate | undefined {
  let node: X509Certificate;
  let parsed: x509.X509Certificate;
  try {
    node = new X509Certificate(der);
    parsed = new x509.X509Certificate(der);
  } catch {
    return undefined;
  }
  const serial = BigInt(`0x${node.serialNumber}`);
  return {
    der,
    node,
    parsed,
    version: certificateVersion(der),
    serialDecimal: serial.toString(10),
    serialHex: serial.toString(16),
    notBefore: parsed.notBefore.getTime(),
    notAfter: parsed.notAfter.getTime(),
    isCa: node.ca,
    keyUsage: parsed.getExtension(x509.KeyUsagesExtension)?.usages,
    signatureHash: signatureHashOf(parsed),
  };
}

export function parseCertificatesPem(pem: string): ServiceCertificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const certificate = parseCertificate(Buffer.from(body, 'base64'));
    if (!certificate) throw new Error('A trust anchor certificate could not be parsed.');
    return certificate;
  });
}

export function toPem(certificate: ServiceCertificate): string {
  const lines = certificate.der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function signatureHashOf(certificate: x509.X509Certificate): string | undefined {
  try {
    const algorithm = certificate.signatureAlgorithm as { hash?: { name?: string } };
    return algorithm.hash?.name?.toUpperCase();
  } catch {
    return undefined;
  }
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] EXPLICIT Version DEFAULT v1, … } … }.
 * @peculiar/x509 keeps the version private, so read the two headers and the optional [0] field.
 */
function certificateVersion(der: Buffer): number {
  const outer = readHeader(der, 0);
  const tbs = readHeader(der, outer.contentStart);
  if (der[tbs.contentStart] !== 0xa0) return 1;
  const explicit = readHeader(der, tbs.contentStart);
  const integer = readHeader(der, explicit.contentStart);
  if (der[explicit.contentStart] !== 0x02 || integer.length !== 1) return 0;
  return (der[integer.contentStart] ?? -1) + 1;
}

function readHeader(der: Buffer, offset: number): { contentStart: number; length: number } {
  const first = der[offset + 1] ?? 0;
  if (first < 0x80) return { contentStart: offset + 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
  return { contentStart: offset + 2 + count, length };
}
