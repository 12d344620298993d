// Keys and certificates for signing tests, loaded with node:crypto and @peculiar/x509 directly so
// the tests do not depend on src/core/pki.

import { createPrivateKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const VECTORS_DIR = fileURLToPath(new URL('../../fixtures/vectors/', import.meta.url));

export function readVector(name: string): string {
  return readFileSync(`${VECTORS_DIR}${name}`, 'utf8');
}

export interface LoadedCertificate {
  readonly der: Buffer;
  readonly serialDecimal: string;
  readonly certificate: X509Certificate;
}

export function loadCertificate(pem: string | Buffer): LoadedCertificate {
  const certificate = new X509Certificate(pem);
  return { der: certificate.raw, serialDecimal: BigInt(`0x${certificate.serialNumber}`).toString(10), certificate };
}

export function vectorLeaf(): LoadedCertificate & { readonly key: KeyObject } {
  return {
    ...loadCertificate(readFileSync(`${VECTORS_DIR}leaf-cert.pem`)),
    key: createPrivateKey(readFileSync(`${VECTORS_DIR}leaf-key.pkcs8.pem`)),
  };
}

export function vectorCa(): LoadedCertificate {
  return loadCertificate(readFileSync(`${VECTORS_DIR}ca-cert.pem`));
}

export type EcCurve = 'P-256' | 'P-384';

/** A fresh self-signed EC leaf with the given serial (hex), and its private key as a KeyObject. */
export async function ecLeaf(curve: EcCurve, serialHex = '2a'): Promise<LoadedCertificate & { readonly key: KeyObject }> {
  const algorithm = { name: 'ECDSA', namedCurve: curve, hash: curve === 'P-256' ? 'SHA-256' : 'SHA-384' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex,
    name: `CN=rolecall-test-${curve}`,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
    signingAlgorithm: algorithm,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { ...loadCertificate(Buffer.from(cert.rawData)), key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
}
