import { describe, expect, test } from 'vitest';
import { isPkcs12, parseCertificates, parsePkcs12 } from '../../../src/core/pki';
import { codeOf, garbage, PASSWORD, pki, signatureVerifies, UNICODE_PASSWORD } from './helpers';

const intermediate = parseCertificates(pki('intermediate-ca.cert.pem'))[0]!;

describe('parsePkcs12', () => {
  test.each([
    { file: 'leaf-rsa2048.p12', password: PASSWORD, leaf: 'leaf-rsa2048', algorithm: 'RSA-2048', what: 'OpenSSL 3 (PBES2/AES-256, SHA-256 MAC)' },
    { file: 'leaf-ec-p256.p12', password: PASSWORD, leaf: 'leaf-ec-p256', algorithm: 'EC P-256', what: 'OpenSSL 3 with an EC key' },
    { file: 'leaf-rsa2048.legacy.p12', password: PASSWORD, leaf: 'leaf-rsa2048', algorithm: 'RSA-2048', what: '-legacy (RC2-40 and 3DES, SHA-1 MAC)' },
    { file: 'leaf-ec-p256.legacy.p12', password: PASSWORD, leaf: 'leaf-ec-p256', algorithm: 'EC P-256', what: '-legacy with an EC key' },
    { file: 'leaf-rsa2048.empty-password.p12', password: undefined, leaf: 'leaf-rsa2048', algorithm: 'RSA-2048', what: 'an empty password, none given' },
    { file: 'leaf-rsa2048.empty-password.p12', password: '', leaf: 'leaf-rsa2048', algorithm: 'RSA-2048', what: 'an empty password, given' },
    { file: 'leaf-rsa2048.no-password.p12', password: undefined, leaf: 'leaf-rsa2048', algorithm: 'RSA-2048', what: 'no encryption and no MAC' },
    { file: 'leaf-ec-p384.unicode-password.p12', password: UNICODE_PASSWORD, leaf: 'leaf-ec-p384', algorithm: 'EC P-384', what: 'a non-ASCII password' },
  ])('reads $what: the exact leaf, the intermediate and a key that signs', ({ file, password, leaf, algorithm }) => {
    const contents = parsePkcs12(pki(file), password);
    expect(contents.leaf.der.equals(parseCertificates(pki(`${leaf}.cert.pem`))[0]!.der)).toBe(true);
    expect(contents.chain).toHaveLength(1);
    expect(contents.chain[0]?.equals(intermediate)).toBe(true);
    expect(contents.privateKey.algorithm).toBe(algorithm);
    expect(signatureVerifies(contents.privateKey.keyObject, contents.leaf.publicKey)).toBe(true);
  });

  test('says PKCS12_PASSWORD_WRONG for a wrong password, modern or legacy', () => {
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.p12'), 'Rolecall-test'))).toBe('PKCS12_PASSWORD_WRONG');
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.legacy.p12'), 'wrong'))).toBe('PKCS12_PASSWORD_WRONG');
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.empty-password.p12'), 'something'))).toBe('PKCS12_PASSWORD_WRONG');
  });

  test('asks for the password when none was given and the file has one', () => {
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.p12')))).toBe('KEY_PASSPHRASE_REQUIRED');
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.legacy.p12')))).toBe('KEY_PASSPHRASE_REQUIRED');
  });

  test('says PKCS12_UNREADABLE for a PKCS#12 file cut short', () => {
    const cut = pki('leaf-rsa2048.p12').subarray(0, 1500);
    expect(isPkcs12(cut)).toBe(true);
    expect(codeOf(() => parsePkcs12(cut, PASSWORD))).toBe('PKCS12_UNREADABLE');
  });

  test('says PKCS12_UNREADABLE for something that is not PKCS#12', () => {
    expect(codeOf(() => parsePkcs12(pki('leaf-rsa2048.cert.der'), PASSWORD))).toBe('PKCS12_UNREADABLE');
    expect(codeOf(() => parsePkcs12(garbage(900), PASSWORD))).toBe('PKCS12_UNREADABLE');
  });
});

describe('isPkcs12', () => {
  test('tells PKCS#12 files from certificates and keys', () => {
    for (const name of ['leaf-rsa2048.p12', 'leaf-rsa2048.legacy.p12', 'leaf-rsa2048.no-password.p12']) expect(isPkcs12(pki(name)), name).toBe(true);
    for (const name of ['leaf-rsa2048.cert.der', 'leaf-rsa2048.key.pkcs8.der', 'leaf-rsa2048.key.pkcs1.der', 'leaf-ec-p256.key.sec1.der', 'leaf-rsa2048.cert.pem']) {
      expect(isPkcs12(pki(name)), name).toBe(false);
    }
  });
});
