import { describe, expect, test } from 'vitest';
import { describeCertificate, parseCertificates, principalTags, type Certificate } from '../../../src/core/pki';
import { pki, vector } from './helpers';

function first(bytes: Buffer): Certificate {
  const [certificate] = parseCertificates(bytes);
  if (!certificate) throw new Error('no certificate');
  return certificate;
}

describe('describeCertificate', () => {
  test('describes the vector leaf with its decimal serial and CN', () => {
    const summary = first(vector('leaf-cert.pem')).toSummary();
    expect(summary.subject).toBe('CN=roles-anywhere-test-vector');
    expect(summary.issuer).toBe('CN=Test Vector Root CA');
    expect(summary.serialDecimal).toBe('41796794418840706582093025104159514797');
    expect(summary.serialHex).toBe('1F71C5114A119FC0CC5A5A52FB3720AD');
    expect(summary.keyAlgorithm).toBe('RSA-2048');
    expect(summary.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(summary.principalTags).toEqual({
      'x509Subject/CN': 'roles-anywhere-test-vector',
      'x509Issuer/CN': 'Test Vector Root CA',
    });
  });

  test('gives dates as ISO strings and survives a JSON round trip unchanged', () => {
    const summary = describeCertificate(first(pki('leaf-rsa2048.cert.pem')));
    expect(summary.notBefore).toBe('2025-01-01T00:00:00.000Z');
    expect(summary.notAfter).toBe('2124-12-31T00:00:00.000Z');
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  test('lists keyUsage only when the certificate has the extension', () => {
    expect(first(pki('leaf-ec-p256.cert.pem')).toSummary().keyUsage).toEqual(['digitalSignature']);
    expect(first(pki('v1.cert.pem')).toSummary()).not.toHaveProperty('keyUsage');
  });

  test('carries nothing from the private key of a combined PEM', () => {
    const text = JSON.stringify(first(pki('leaf-rsa2048.combined.pem')).toSummary());
    expect(text).not.toMatch(/PRIVATE|MII/);
  });
});

describe('principalTags', () => {
  test('maps subject, issuer and SAN the way the default attribute mapping does', () => {
    expect(principalTags(first(pki('leaf-rsa2048.cert.pem')))).toEqual({
      'x509Subject/CN': 'leaf-rsa2048',
      // The subject has OU=devops then OU=platform: the service joins them in certificate order.
      'x509Subject/OU': 'devops/platform',
      'x509Subject/O': 'Rolecall Tests',
      'x509Subject/C': 'US',
      'x509Subject/ST': 'Washington',
      'x509Subject/L': 'Seattle',
      'x509Issuer/CN': 'Rolecall Test Intermediate CA',
      'x509Issuer/OU': 'PKI',
      'x509Issuer/O': 'Rolecall Tests',
      'x509Issuer/C': 'US',
      'x509SAN/DNS': 'leaf-rsa2048.rolecall.test',
      'x509SAN/URI': 'spiffe://rolecall.test/workload/leaf-rsa2048',
      'x509SAN/Name/CN': 'san-directory-name',
      'x509SAN/Name/O': 'Rolecall SAN Org',
      'x509SAN/Name/C': 'DE',
    });
  });

  test('gives a leaf without directoryName only DNS and URI SAN tags', () => {
    const tags = principalTags(first(pki('leaf-ec-p256.cert.pem')));
    expect(Object.keys(tags).filter((key) => key.startsWith('x509SAN/'))).toEqual(['x509SAN/DNS', 'x509SAN/URI']);
    expect(tags['x509SAN/URI']).toBe('spiffe://rolecall.test/workload/leaf-ec-p256');
    expect(tags['x509Issuer/CN']).toBe('Rolecall Test Intermediate CA');
  });

  test('takes the issuer tags from the root for a leaf the root signed', () => {
    expect(principalTags(first(pki('leaf-by-root.cert.pem')))['x509Issuer/CN']).toBe('Rolecall Test Root CA');
  });
});
