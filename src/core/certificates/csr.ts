// PKCS#10 certificate signing requests: made with @peculiar/x509 (loaded lazily), signed by the new key,
// asking for what a Roles Anywhere client certificate needs: keyUsage digitalSignature, extendedKeyUsage
// clientAuth, not a CA, and the SANs given. The public key is read back with the core's own DER reader
// so importing a certificate never loads the library.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import { parseDer, sequenceChildren, toDer } from '../pki/der';
import { splitPem } from '../pki/pem';
import type { SubjectAlternativeName } from './subject-alternative-names';
import { SUBJECT_ATTRIBUTES, type SubjectAttribute } from './subject';
import { loadX509, signingAlgorithmFor, toCryptoKeyPair } from './x509-library';

export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

export interface CsrInput {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly subject: readonly SubjectAttribute[];
  readonly sans: readonly SubjectAlternativeName[];
}

export async function createCsr(input: CsrInput): Promise<string> {
  const x509 = await loadX509();
  const keys = await toCryptoKeyPair(input.privateKey, input.publicKey);
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([CLIENT_AUTH_OID]),
  ];
  if (input.sans.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(input.sans.map((san) => ({ type: san.type === 'dns' ? 'dns' : 'url', value: san.value }))));
  }
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: toJsonName(input.subject),
    keys,
    signingAlgorithm: signingAlgorithmFor(input.privateKey),
    extensions,
  });
  return `${csr.toString('pem')}\n`;
}

/** One RDN per attribute, in the order written, keyed by OID so every attribute encodes the same way. */
export function toJsonName(subject: readonly SubjectAttribute[]): Record<string, string[]>[] {
  return subject.map(({ type, value }) => ({ [SUBJECT_ATTRIBUTES.get(type) ?? type]: [value] }));
}

/** The public key a CSR asks to certify (CertificationRequestInfo's SubjectPublicKeyInfo). */
export function csrPublicKey(csrPem: string): KeyObject {
  const block = splitPem(csrPem, 'CSR_INVALID').find((candidate) => candidate.label === 'CERTIFICATE REQUEST');
  const [info] = sequenceChildren(block && parseDer(block.der)) ?? [];
  const spki = (sequenceChildren(info) ?? [])[2];
  if (spki === undefined) throw new RolecallError('CSR_INVALID', 'no public key in the request');
  try {
    return createPublicKey({ key: toDer(spki), format: 'der', type: 'spki' });
  } catch (error) {
    throw new RolecallError('CSR_INVALID', 'the public key cannot be read', { cause: error });
  }
}
