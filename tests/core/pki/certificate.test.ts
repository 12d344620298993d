import { describe, expect, test } from 'vitest';
import { Certificate, parseCertificates, parsePrivateKey, toPem } from '../../../src/core/pki';
import { buildCertificate, time } from './build-certificate';
import { codeOf, garbage, nodeCertificate, pki, vector } from './helpers';

const LEAVES = ['leaf-rsa2048', 'leaf-rsa4096', 'leaf-ec-p256', 'leaf-ec-p384', 'leaf-by-root', 'serial-42', 'serial-high-bit', 'v1', 'ed25519'];

function only(name: string): Certificate {
  const [certificate] = parseCertificates(pki(name));
  if (!certificate) throw new Error(`no certificate in ${name}`);
  return certificate;
}

describe('parseCertificates', () => {
  test('reads PEM and DER forms of a certificate to the same exact DER bytes', () => {
    const fromPem = only('leaf-rsa2048.cert.pem');
    const fromDer = only('leaf-rsa2048.cert.der');
    expect(fromPem.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
    expect(fromDer.der.equals(fromPem.der)).toBe(true);
    expect(fromPem.toBase64()).toBe(pki('leaf-rsa2048.cert.der').toString('base64'));
  });

  test('reads every certificate of a bundle in file order', () => {
    const subjects = parseCertificates(pki('chain.bundle.pem')).map((certificate) => certificate.subject);
    expect(subjects).toEqual([
      'C=US, O=Rolecall Tests, OU=PKI, CN=Rolecall Test Intermediate CA',
      'C=US, O=Rolecall Tests, OU=PKI, CN=Rolecall Test Root CA',
    ]);
  });

  test('reads PEM given as a string', () => {
    expect(parseCertificates(pki('leaf-ec-p256.cert.pem').toString('utf8'))[0]?.der.equals(only('leaf-ec-p256.cert.pem').der)).toBe(true);
  });

  test('reads only the certificate of a combined key and certificate PEM', () => {
    const certificates = parseCertificates(pki('leaf-rsa2048.combined.pem'));
    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
  });

  test('says CERT_NOT_FOUND for a private key passed as the certificate, PEM or DER', () => {
    for (const name of ['leaf-rsa2048.key.pkcs8.pem', 'leaf-rsa2048.key.pkcs1.pem', 'leaf-ec-p256.key.sec1.pem', 'leaf-rsa2048.key.pkcs8.der', 'leaf-ec-p256.key.sec1.der']) {
      expect(codeOf(() => parseCertificates(pki(name))), name).toBe('CERT_NOT_FOUND');
    }
  });

  test('says CERT_NOT_FOUND for a certificate signing request and for empty input', () => {
    expect(codeOf(() => parseCertificates(pki('leaf-rsa2048.csr.pem')))).toBe('CERT_NOT_FOUND');
    expect(codeOf(() => parseCertificates(Buffer.alloc(0)))).toBe('CERT_NOT_FOUND');
    expect(codeOf(() => parseCertificates('  \n'))).toBe('CERT_NOT_FOUND');
  });

  test('says CERT_UNREADABLE for garbage bytes and text without PEM blocks', () => {
    expect(codeOf(() => parseCertificates(garbage(600)))).toBe('CERT_UNREADABLE');
    expect(codeOf(() => parseCertificates('this is a shopping list, not a certificate'))).toBe('CERT_UNREADABLE');
  });

  test('says CERT_UNREADABLE for a CERTIFICATE block whose content is not a certificate', () => {
    expect(codeOf(() => parseCertificates(toPem('CERTIFICATE', garbage(300))))).toBe('CERT_UNREADABLE');
    expect(codeOf(() => parseCertificates(toPem('CERTIFICATE', pki('leaf-rsa2048.key.pkcs8.der'))))).toBe('CERT_UNREADABLE');
    const cut = pki('leaf-rsa2048.cert.der').subarray(0, 400);
    expect(codeOf(() => parseCertificates(toPem('CERTIFICATE', cut)))).toBe('CERT_UNREADABLE');
  });

  test('says PEM_TRUNCATED for a PEM cut before its END line', () => {
    expect(codeOf(() => parseCertificates(pki('truncated.cert.pem')))).toBe('PEM_TRUNCATED');
  });
});

describe('Certificate fields', () => {
  test('gives the serial of the vector leaf in hex and in decimal', () => {
    const [leaf] = parseCertificates(vector('leaf-cert.pem'));
    expect(leaf?.serialHex).toBe('1F71C5114A119FC0CC5A5A52FB3720AD');
    expect(leaf?.serialDecimal).toBe('41796794418840706582093025104159514797');
  });

  test('normalises serials: no leading zero byte, uppercase hex, plain decimal', () => {
    expect(only('serial-42.cert.pem').serialHex).toBe('2A');
    expect(only('serial-42.cert.pem').serialDecimal).toBe('42');
    expect(only('serial-high-bit.cert.pem').serialHex).toBe('8000000000000001');
    expect(only('serial-high-bit.cert.pem').serialDecimal).toBe('9223372036854775809');
  });

  test('agrees with node X509Certificate on serial, dates and fingerprint of every fixture', () => {
    for (const name of LEAVES) {
      const ours = only(`${name}.cert.pem`);
      const node = nodeCertificate(`${name}.cert.pem`);
      const nodeSerial = node.serialNumber.replace(/^(?:00)+(?=..)/, '');
      expect(ours.serialHex, name).toBe(nodeSerial);
      expect(ours.serialDecimal, name).toBe(BigInt(`0x${node.serialNumber}`).toString());
      expect(ours.notBefore.getTime(), name).toBe(new Date(node.validFrom).getTime());
      expect(ours.notAfter.getTime(), name).toBe(new Date(node.validTo).getTime());
      expect(ours.fingerprintSha256, name).toBe(node.fingerprint256);
      expect(ours.publicKey.equals(node.publicKey), name).toBe(true);
    }
  });

  test('reads the validity the fixtures were issued with', () => {
    const leaf = only('leaf-rsa2048.cert.pem');
    expect(leaf.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(leaf.notAfter.toISOString()).toBe('2124-12-31T00:00:00.000Z');
    expect(only('not-yet-valid.cert.pem').notBefore.toISOString()).toBe('2100-01-01T00:00:00.000Z');
  });

  test('reads UTCTime years 50 to 99 as 19xx and GeneralizedTime years as written', () => {
    const early = Certificate.fromDer(buildCertificate({ notBefore: time.utc('500101000000Z'), notAfter: time.utc('491231235959Z') }));
    expect(early.notBefore.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(early.notAfter.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    const late = Certificate.fromDer(buildCertificate({ notBefore: time.generalized('20500101000000Z'), notAfter: time.generalized('99991231235959Z') }));
    expect(late.notBefore.toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(late.notAfter.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  test('says CERT_UNREADABLE for a validity time without seconds or without its Z', () => {
    expect(codeOf(() => Certificate.fromDer(buildCertificate({ notBefore: time.utc('2501010000Z') })))).toBe('CERT_UNREADABLE');
    expect(codeOf(() => Certificate.fromDer(buildCertificate({ notAfter: time.generalized('21241231000000') })))).toBe('CERT_UNREADABLE');
  });

  test('reads the version, the CA flag and keyUsage', () => {
    expect(only('leaf-rsa2048.cert.pem').version).toBe(3);
    expect(only('v1.cert.pem').version).toBe(1);
    expect(only('leaf-rsa2048.cert.pem').isCa).toBe(false);
    expect(only('root-ca.cert.pem').isCa).toBe(true);
    expect(only('intermediate-ca.cert.pem').isCa).toBe(true);
    expect(only('is-ca.cert.pem').isCa).toBe(true);
    expect([...(only('leaf-rsa2048.cert.pem').keyUsage ?? [])]).toEqual(['digitalSignature', 'keyEncipherment']);
    expect([...(only('no-digital-signature.cert.pem').keyUsage ?? [])]).toEqual(['keyEncipherment']);
    expect(only('v1.cert.pem').keyUsage).toBeUndefined();
  });

  test('names the signature algorithm and its hash', () => {
    expect(only('leaf-ec-p256.cert.pem').signatureAlgorithm).toMatchObject({ name: 'ecdsa-with-SHA256', hash: 'SHA-256' });
    expect(only('leaf-by-root.cert.pem').signatureAlgorithm).toMatchObject({ name: 'sha256WithRSAEncryption', hash: 'SHA-256' });
    expect(only('sha1-signed.cert.pem').signatureAlgorithm).toMatchObject({ name: 'sha1WithRSAEncryption', hash: 'SHA-1' });
  });

  test('describes the public key of each leaf', () => {
    expect(only('leaf-rsa2048.cert.pem').keyAlgorithm).toBe('RSA-2048');
    expect(only('leaf-rsa4096.cert.pem').keyAlgorithm).toBe('RSA-4096');
    expect(only('leaf-ec-p256.cert.pem').keyAlgorithm).toBe('EC P-256');
    expect(only('leaf-ec-p384.cert.pem').keyAlgorithm).toBe('EC P-384');
    expect(only('ed25519.cert.pem').keyAlgorithm).toBe('Ed25519');
  });

  test('reads every kind of subject alternative name', () => {
    expect(only('leaf-rsa2048.cert.pem').subjectAlternativeNames).toEqual({
      dns: ['leaf-rsa2048.rolecall.test', 'second.rolecall.test'],
      uri: ['spiffe://rolecall.test/workload/leaf-rsa2048', 'https://second.rolecall.test/'],
      email: ['dev@rolecall.test'],
      ip: ['192.0.2.10', '2001:db8::10'],
      directoryName: ['C=DE, O=Rolecall SAN Org, CN=san-directory-name'],
    });
  });

  test('matches its own private key and no other', () => {
    const leaf = only('leaf-rsa2048.cert.pem');
    expect(leaf.matchesPrivateKey(parsePrivateKey(pki('leaf-rsa2048.key.pkcs8.pem')).keyObject)).toBe(true);
    expect(leaf.matchesPrivateKey(parsePrivateKey(pki('leaf-rsa4096.key.pkcs8.pem')).keyObject)).toBe(false);
    expect(leaf.matchesPrivateKey(parsePrivateKey(pki('leaf-ec-p256.key.pkcs8.pem')).keyObject)).toBe(false);
  });

  test('leaves key loading working after comparing keys of different types', () => {
    const rsaLeaf = only('leaf-rsa2048.cert.pem');
    const ecKey = pki('leaf-ec-p256.key.pkcs8.pem');
    expect(rsaLeaf.matchesPrivateKey(parsePrivateKey(ecKey).keyObject)).toBe(false);
    expect(parsePrivateKey(ecKey).algorithm).toBe('EC P-256');
  });

  test('writes PEM that reads back to the same certificate', () => {
    const leaf = only('leaf-ec-p384.cert.pem');
    expect(parseCertificates(leaf.toPem())[0]?.equals(leaf)).toBe(true);
  });
});
