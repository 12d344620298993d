import { describe, expect, test } from 'vitest';
import { hasPemMarkers, splitPem, toPem } from '../../../src/core/pki';
import { codeOf, pki } from './helpers';

describe('splitPem', () => {
  test('decodes a certificate block to the same bytes OpenSSL wrote as DER', () => {
    const [block] = splitPem(pki('leaf-rsa2048.cert.pem'), 'CERT_UNREADABLE');
    expect(block?.label).toBe('CERTIFICATE');
    expect(block?.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
  });

  test('returns every block in order and ignores the text between them', () => {
    const blocks = splitPem(pki('chain.bundle.pem'), 'CERT_UNREADABLE');
    const intermediate = splitPem(pki('intermediate-ca.cert.pem'), 'CERT_UNREADABLE')[0];
    const root = splitPem(pki('root-ca.cert.pem'), 'CERT_UNREADABLE')[0];
    expect(blocks.map((block) => block.label)).toEqual(['CERTIFICATE', 'CERTIFICATE']);
    expect(blocks[0]?.der.equals(intermediate!.der)).toBe(true);
    expect(blocks[1]?.der.equals(root!.der)).toBe(true);
  });

  test('reads the key and the EC PARAMETERS block OpenSSL writes before it', () => {
    expect(splitPem(pki('leaf-ec-p256.key.sec1.pem'), 'KEY_UNREADABLE').map((block) => block.label)).toEqual(['EC PARAMETERS', 'EC PRIVATE KEY']);
  });

  test('keeps the RFC 1421 headers of a legacy encrypted key apart from its body', () => {
    const [block] = splitPem(pki('leaf-rsa2048.key.pkcs1-encrypted.pem'), 'KEY_UNREADABLE');
    expect(block?.headers.get('Proc-Type')).toBe('4,ENCRYPTED');
    expect(block?.headers.get('DEK-Info')).toMatch(/^DES-EDE3-CBC,[0-9A-F]{16}$/);
    expect(block?.der.length).toBeGreaterThan(1000);
  });

  test('accepts CRLF line ends, indentation and a whole block on one line', () => {
    const original = pki('leaf-rsa2048.cert.pem').toString('latin1');
    const crlfIndented = original.split('\n').map((line) => `   ${line}`).join('\r\n');
    const oneLine = original.replace(/\n/g, ' ');
    for (const variant of [crlfIndented, oneLine]) {
      expect(splitPem(variant, 'CERT_UNREADABLE')[0]?.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
    }
  });

  test('reports a BEGIN line without its END line as PEM_TRUNCATED', () => {
    expect(codeOf(() => splitPem(pki('truncated.cert.pem'), 'CERT_UNREADABLE'))).toBe('PEM_TRUNCATED');
  });

  test('reports a block cut off before the next BEGIN as PEM_TRUNCATED', () => {
    const [head] = pki('leaf-rsa2048.cert.pem').toString('latin1').split('-----END');
    expect(codeOf(() => splitPem(`${head}\n${pki('root-ca.cert.pem').toString('latin1')}`, 'CERT_UNREADABLE'))).toBe('PEM_TRUNCATED');
  });

  test('reports an END line with another label as PEM_TRUNCATED', () => {
    const mixed = pki('leaf-rsa2048.cert.pem').toString('latin1').replace('END CERTIFICATE', 'END PRIVATE KEY');
    expect(codeOf(() => splitPem(mixed, 'CERT_UNREADABLE'))).toBe('PEM_TRUNCATED');
  });

  test('reports a body that is not base64 with the code the caller chose', () => {
    const damaged = '-----BEGIN PRIVATE KEY-----\nMIIE*not base64*\n-----END PRIVATE KEY-----\n';
    expect(codeOf(() => splitPem(damaged, 'KEY_UNREADABLE'))).toBe('KEY_UNREADABLE');
    expect(codeOf(() => splitPem(damaged, 'CERT_UNREADABLE'))).toBe('CERT_UNREADABLE');
  });

  test('finds no block in text without markers', () => {
    expect(hasPemMarkers('just some notes')).toBe(false);
    expect(splitPem('just some notes', 'CERT_UNREADABLE')).toEqual([]);
  });
});

describe('toPem', () => {
  test('writes 64-character lines that split back to the same bytes', () => {
    const der = pki('leaf-rsa2048.cert.der');
    const pem = toPem('CERTIFICATE', der);
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
    expect(splitPem(pem, 'CERT_UNREADABLE')[0]?.der.equals(der)).toBe(true);
  });
});
