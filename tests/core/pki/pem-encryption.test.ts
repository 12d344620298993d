import { describe, expect, test } from 'vitest';
import { parsePrivateKey } from '../../../src/core/pki';
import { codeOf, PASSWORD, pki } from './helpers';

/** The fixture with its DEK-Info line replaced, everything else (body, Proc-Type) untouched. */
function withDekInfo(file: string, dekInfo: string): string {
  return pki(file).toString('latin1').replace(/^DEK-Info:.*$/m, `DEK-Info: ${dekInfo}`);
}

describe('legacy Proc-Type: 4,ENCRYPTED PEM keys', () => {
  // The IV must be exactly one cipher block; node-forge throws a plain Error on any other length.
  test.each([
    ['leaf-rsa2048.key.pkcs1-encrypted.pem', 'DES-EDE3-CBC,00'],
    ['leaf-rsa2048.key.pkcs1-encrypted.pem', 'DES-EDE3-CBC,1C8D57AC4B9E81'],
    ['leaf-rsa2048.key.pkcs1-encrypted.pem', 'DES-EDE3-CBC,1C8D57AC4B9E81C000'],
    ['leaf-ec-p256.key.sec1-encrypted.pem', 'AES-256-CBC,D69A6CEBDE22C1F4'],
    ['leaf-ec-p256.key.sec1-encrypted.pem', 'AES-256-CBC,D69A6CEBDE22C1F4DB5A30D25679A6EF00'],
    ['leaf-ec-p256.key.sec1-encrypted.pem', 'AES-256-CBC,'],
    ['leaf-ec-p256.key.sec1-encrypted.pem', 'AES-256-CBC,D69A6CEBDE22C1F4DB5A30D25679A6E'],
    ['leaf-ec-p256.key.sec1-encrypted.pem', 'AES-256-CBC,XY9A6CEBDE22C1F4DB5A30D25679A6EF'],
  ])('refuses %s whose DEK-Info is "%s" as an unreadable key, with or without a passphrase', (file, dekInfo) => {
    const text = withDekInfo(file, dekInfo);
    expect(codeOf(() => parsePrivateKey(text, { passphrase: PASSWORD }))).toBe('KEY_UNREADABLE');
    expect(codeOf(() => parsePrivateKey(text))).toBe('KEY_UNREADABLE');
  });

  test('names the IV problem in the detail, not an unsupported cipher', () => {
    try {
      parsePrivateKey(withDekInfo('leaf-rsa2048.key.pkcs1-encrypted.pem', 'DES-EDE3-CBC,00'), { passphrase: PASSWORD });
    } catch (error) {
      expect((error as { detail?: string }).detail).toMatch(/IV/);
      return;
    }
    throw new Error('expected an error');
  });

  test('still decrypts the fixtures whose DEK-Info is well formed, in lower case too', () => {
    const text = pki('leaf-ec-p256.key.sec1-encrypted.pem').toString('latin1').replace(/^DEK-Info: (.*)$/m, (_, value: string) => `DEK-Info: ${value.toLowerCase()}`);
    expect(parsePrivateKey(text, { passphrase: PASSWORD }).algorithm).toBe('EC P-256');
    expect(parsePrivateKey(pki('leaf-rsa2048.key.pkcs1-encrypted.pem'), { passphrase: PASSWORD }).algorithm).toBe('RSA-2048');
  });
});
