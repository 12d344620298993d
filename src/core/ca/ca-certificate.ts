// The self-signed certificate of a Rolecall CA, as the Roles Anywhere tutorials make one with openssl:
// X.509 v3, basicConstraints CA:TRUE (critical, path length 0: it signs end entities only), keyUsage
// keyCertSign and cRLSign (critical), a subject key identifier, signed with SHA-256 or stronger.
import { randomBytes, type KeyObject } from 'node:crypto';
import type { SubjectAttribute } from '../certificates/subject';
import { toJsonName } from '../certificates/csr';
import { loadX509, signingAlgorithmFor, toCryptoKeyPair } from '../certificates/x509-library';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a little in the past so a client clock slightly behind still accepts them. */
export const BACKDATE_MS = 5 * 60 * 1000;

export interface CaCertificateInput {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly subject: readonly SubjectAttribute[];
  readonly days: number;
  readonly now: number;
}

export async function createCaCertificate(input: CaCertificateInput): Promise<string> {
  const x509 = await loadX509();
  const keys = await toCryptoKeyPair(input.privateKey, input.publicKey);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: toJsonName(input.subject),
    notBefore: new Date(input.now - BACKDATE_MS),
    notAfter: new Date(input.now + input.days * DAY_MS),
    keys,
    signingAlgorithm: signingAlgorithmFor(input.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return `${certificate.toString('pem')}\n`;
}

/** 16 random bytes, positive and without a leading zero byte, as CAs issue them (RFC 5280: at most 20). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString('hex');
}
