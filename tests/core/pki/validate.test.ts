import { describe, expect, test } from 'vitest';
import {
  assertUsableLeaf,
  daysUntilExpiry,
  expiresWithin,
  leafProblems,
  MAX_CHAIN_CERTIFICATES,
  parseCertificates,
  parsePrivateKey,
  type Certificate,
} from '../../../src/core/pki';
import { AT_2030, codeOf, pki, vector } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

function certificate(name: string): Certificate {
  const [first] = parseCertificates(pki(name));
  if (!first) throw new Error(`no certificate in ${name}`);
  return first;
}

function codes(check: Parameters<typeof leafProblems>[0]): string[] {
  return leafProblems(check).map((problem) => problem.code);
}

describe('leafProblems', () => {
  test.each([
    ['leaf-rsa2048', 'leaf-rsa2048.key.pkcs8.pem'],
    ['leaf-rsa4096', 'leaf-rsa4096.key.pkcs8.pem'],
    ['leaf-ec-p256', 'leaf-ec-p256.key.pkcs8.pem'],
    ['leaf-ec-p384', 'leaf-ec-p384.key.pkcs8.pem'],
    ['leaf-by-root', 'leaf-by-root.key.pkcs8.pem'],
  ])('finds nothing wrong with %s and its key', (name, key) => {
    const intermediate = certificate('intermediate-ca.cert.pem');
    expect(leafProblems({ leaf: certificate(`${name}.cert.pem`), chain: [intermediate], privateKey: parsePrivateKey(pki(key)).keyObject, at: AT_2030 })).toEqual([]);
  });

  test.each([
    ['expired.cert.pem', 'CERT_EXPIRED'],
    ['not-yet-valid.cert.pem', 'CERT_NOT_YET_VALID'],
    ['is-ca.cert.pem', 'CERT_IS_CA'],
    ['no-digital-signature.cert.pem', 'CERT_KEY_USAGE'],
    ['sha1-signed.cert.pem', 'CERT_WEAK_SIGNATURE'],
    ['v1.cert.pem', 'CERT_NOT_V3'],
    ['ed25519.cert.pem', 'KEY_UNSUPPORTED'],
  ])('refuses %s with %s', (name, code) => {
    expect(codes({ leaf: certificate(name), at: AT_2030 })).toEqual([code]);
  });

  test('refuses a CA certificate, whose keyUsage also lacks digitalSignature', () => {
    expect(codes({ leaf: certificate('intermediate-ca.cert.pem'), at: AT_2030 })).toEqual(['CERT_IS_CA', 'CERT_KEY_USAGE']);
  });

  test('refuses a key that does not belong to the certificate', () => {
    const leaf = certificate('leaf-rsa2048.cert.pem');
    expect(codes({ leaf, privateKey: parsePrivateKey(pki('leaf-rsa4096.key.pkcs8.pem')).keyObject, at: AT_2030 })).toEqual(['KEY_CERT_MISMATCH']);
    expect(codes({ leaf, privateKey: parsePrivateKey(pki('leaf-ec-p256.key.pkcs8.pem')).keyObject, at: AT_2030 })).toEqual(['KEY_CERT_MISMATCH']);
  });

  test('lists every problem, not only the first', () => {
    const leaf = certificate('not-yet-valid.cert.pem');
    const otherKey = parsePrivateKey(pki('leaf-ec-p256.key.pkcs8.pem')).keyObject;
    expect(codes({ leaf, privateKey: otherKey, at: AT_2030 })).toEqual(['KEY_CERT_MISMATCH', 'CERT_NOT_YET_VALID']);
  });

  test('treats notBefore and notAfter as inside the validity period', () => {
    const leaf = certificate('leaf-ec-p256.cert.pem');
    const notBefore = Date.UTC(2025, 0, 1);
    const notAfter = Date.UTC(2124, 11, 31);
    expect(codes({ leaf, at: notBefore })).toEqual([]);
    expect(codes({ leaf, at: notBefore - 1 })).toEqual(['CERT_NOT_YET_VALID']);
    expect(codes({ leaf, at: notAfter })).toEqual([]);
    expect(codes({ leaf, at: notAfter + 1 })).toEqual(['CERT_EXPIRED']);
  });

  test('judges validity at the time it is given, not the current time', () => {
    const [leaf] = parseCertificates(vector('leaf-cert.pem'));
    // The vector leaf is valid from 2026-11-21 to 2036-11-18.
    expect(codes({ leaf: leaf!, at: Date.UTC(2024, 0, 2, 3, 4, 5) })).toEqual(['CERT_NOT_YET_VALID']);
    expect(codes({ leaf: leaf!, at: Date.UTC(2030, 0, 1) })).toEqual([]);
    expect(codes({ leaf: leaf!, at: Date.UTC(2037, 0, 1) })).toEqual(['CERT_EXPIRED']);
  });

  test(`accepts ${MAX_CHAIN_CERTIFICATES} intermediates and refuses one more with CHAIN_TOO_LONG`, () => {
    const leaf = certificate('leaf-rsa2048.cert.pem');
    const intermediate = certificate('intermediate-ca.cert.pem');
    expect(codes({ leaf, chain: Array.from({ length: 5 }, () => intermediate), at: AT_2030 })).toEqual([]);
    expect(codes({ leaf, chain: Array.from({ length: 6 }, () => intermediate), at: AT_2030 })).toEqual(['CHAIN_TOO_LONG']);
  });

  test('gives each problem its message, next step and a detail', () => {
    const [problem] = leafProblems({ leaf: certificate('expired.cert.pem'), at: AT_2030 });
    expect(problem).toMatchObject({ code: 'CERT_EXPIRED', message: expect.any(String), next: expect.any(String), detail: expect.stringContaining('2021-06-01') });
  });
});

describe('assertUsableLeaf', () => {
  test('throws the first problem as a RolecallError', () => {
    expect(codeOf(() => assertUsableLeaf({ leaf: certificate('sha1-signed.cert.pem'), at: AT_2030 }))).toBe('CERT_WEAK_SIGNATURE');
  });

  test('passes a usable leaf', () => {
    expect(() => assertUsableLeaf({ leaf: certificate('leaf-rsa2048.cert.pem'), at: AT_2030 })).not.toThrow();
  });
});

describe('expiry warning', () => {
  const leaf = certificate('leaf-ec-p256.cert.pem');
  const notAfter = Date.UTC(2124, 11, 31);

  test('warns within the last 14 days and not before', () => {
    expect(expiresWithin(leaf, notAfter - 14 * DAY)).toBe(true);
    expect(expiresWithin(leaf, notAfter - 14 * DAY - 1)).toBe(false);
    expect(expiresWithin(leaf, notAfter)).toBe(true);
    expect(expiresWithin(leaf, AT_2030)).toBe(false);
  });

  test('does not call an expired certificate "expiring"', () => {
    expect(expiresWithin(leaf, notAfter + 1)).toBe(false);
  });

  test('takes another window when asked', () => {
    expect(expiresWithin(leaf, notAfter - 20 * DAY, 30)).toBe(true);
    expect(expiresWithin(leaf, notAfter - 20 * DAY, 7)).toBe(false);
  });

  test('counts whole days left', () => {
    expect(daysUntilExpiry(leaf, notAfter - 3 * DAY - 1000)).toBe(3);
    expect(daysUntilExpiry(leaf, notAfter + DAY)).toBe(-1);
  });
});
