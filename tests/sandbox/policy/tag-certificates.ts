// Certificates shaped for principal-tag tests: any subject and issuer name (as JSON, so values may hold
// commas and plus signs) and any SAN entries, in the sandbox's own certificate representation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, type GeneratedKey } from '../../../src/sandbox/certificate-factory';
import { parseCertificate, parseCertificatesPem, type ServiceCertificate } from '../../../src/sandbox/certificate';
import { x509 } from '../../../src/sandbox/x509-library';

type CryptoKeyLike = Parameters<typeof x509.X509CertificateGenerator.create>[0]['publicKey'];
export type NameSpec = x509.JsonName;

let key: GeneratedKey | undefined;

export async function certificateWith(spec: { subject: NameSpec; issuer?: NameSpec; san?: x509.JsonGeneralNames; serialNumber?: string }): Promise<ServiceCertificate> {
  key ??= await generateKey('ec-p256');
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)];
  if (spec.san) extensions.push(new x509.SubjectAlternativeNameExtension(spec.san));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? '01a2b3c4',
    subject: spec.subject,
    issuer: spec.issuer ?? [{ CN: ['Tag Test CA'] }],
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: key.pair.publicKey as CryptoKeyLike,
    signingKey: key.pair.privateKey as CryptoKeyLike,
    extensions,
  });
  const parsed = parseCertificate(Buffer.from(certificate.rawData));
  if (!parsed) throw new Error('the test certificate did not parse');
  return parsed;
}

export function fixtureCertificate(name: string): ServiceCertificate {
  const [certificate] = parseCertificatesPem(readFileSync(join(__dirname, '..', '..', 'fixtures', 'pki', `${name}.cert.pem`), 'utf8'));
  if (!certificate) throw new Error(`no certificate in fixture ${name}`);
  return certificate;
}
