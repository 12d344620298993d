import { KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCredentialFiles, loadCredentials, MAX_INPUT_FILE_BYTES, parseCertificates } from '../../../src/core/pki';
import { asyncCodeOf, codeOf, PASSWORD, pki, PKI_DIR, signatureVerifies } from './helpers';

const temp = mkdtempSync(join(tmpdir(), 'rolecall-pki-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const intermediate = parseCertificates(pki('intermediate-ca.cert.pem'))[0]!;
const root = parseCertificates(pki('root-ca.cert.pem'))[0]!;
const file = (name: string) => join(PKI_DIR, name);

describe('loadCredentials (bytes)', () => {
  test('loads a certificate, a PKCS#1 key and intermediates into a reusable KeyObject', () => {
    const credentials = loadCredentials({
      certificate: pki('leaf-rsa2048.cert.pem'),
      privateKey: pki('leaf-rsa2048.key.pkcs1.pem'),
      intermediates: pki('intermediate-ca.cert.pem'),
    });
    expect(credentials.leaf.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
    expect(credentials.chain.map((certificate) => certificate.subject)).toEqual([intermediate.subject]);
    expect(credentials.privateKey).toBeInstanceOf(KeyObject);
    expect(credentials.keyKind).toBe('rsa');
    expect(credentials.keyAlgorithm).toBe('RSA-2048');
    expect(signatureVerifies(credentials.privateKey, credentials.leaf.publicKey)).toBe(true);
    expect(signatureVerifies(credentials.privateKey, credentials.leaf.publicKey)).toBe(true);
  });

  test('loads an EC key in SEC1 form and reports its kind', () => {
    const credentials = loadCredentials({ certificate: pki('leaf-ec-p256.cert.pem'), privateKey: pki('leaf-ec-p256.key.sec1.pem') });
    expect(credentials.keyKind).toBe('ec');
    expect(credentials.chain).toEqual([]);
    expect(signatureVerifies(credentials.privateKey, credentials.leaf.publicKey)).toBe(true);
  });

  test('takes key, leaf and chain from a PKCS#12 file given as the certificate, modern or legacy', () => {
    for (const name of ['leaf-rsa2048.p12', 'leaf-rsa2048.legacy.p12', 'leaf-ec-p256.p12']) {
      const credentials = loadCredentials({ certificate: pki(name), passphrase: PASSWORD });
      expect(credentials.chain.map((certificate) => certificate.subject), name).toEqual([intermediate.subject]);
      expect(signatureVerifies(credentials.privateKey, credentials.leaf.publicKey), name).toBe(true);
    }
  });

  test('refuses a PKCS#12 file with a wrong password or none', () => {
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.p12'), passphrase: 'nope' }))).toBe('PKCS12_PASSWORD_WRONG');
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.legacy.p12') }))).toBe('KEY_PASSPHRASE_REQUIRED');
  });

  test('reads the key from a combined PEM when no key is given', () => {
    const credentials = loadCredentials({ certificate: pki('leaf-rsa2048.combined.pem') });
    expect(credentials.leaf.der.equals(pki('leaf-rsa2048.cert.der'))).toBe(true);
  });

  test('decrypts an encrypted key with the passphrase, and asks for it without', () => {
    const inputs = { certificate: pki('leaf-rsa2048.cert.pem'), privateKey: pki('leaf-rsa2048.key.pkcs8-encrypted.pem') };
    expect(loadCredentials({ ...inputs, passphrase: PASSWORD }).keyAlgorithm).toBe('RSA-2048');
    expect(codeOf(() => loadCredentials(inputs))).toBe('KEY_PASSPHRASE_REQUIRED');
    expect(codeOf(() => loadCredentials({ ...inputs, passphrase: 'nope' }))).toBe('KEY_PASSPHRASE_WRONG');
  });

  test('sends the rest of a full-chain certificate file, then the intermediates, without duplicates', () => {
    const credentials = loadCredentials({
      certificate: pki('leaf-rsa2048.fullchain.pem'),
      privateKey: pki('leaf-rsa2048.key.pkcs8.pem'),
      intermediates: Buffer.concat([pki('chain.bundle.pem'), pki('leaf-rsa2048.cert.pem')]),
    });
    expect(credentials.chain.map((certificate) => certificate.subject)).toEqual([intermediate.subject, root.subject]);
  });

  test('finds the leaf by its key wherever it sits in the certificate file', () => {
    const bundle = Buffer.concat([pki('intermediate-ca.cert.pem'), pki('leaf-ec-p384.cert.pem')]);
    const credentials = loadCredentials({ certificate: bundle, privateKey: pki('leaf-ec-p384.key.pkcs8.pem') });
    expect(credentials.leaf.subject).toContain('CN=leaf-ec-p384');
    expect(credentials.chain.map((certificate) => certificate.subject)).toEqual([intermediate.subject]);
  });

  test('accepts PEM text as strings', () => {
    const credentials = loadCredentials({ certificate: pki('leaf-ec-p256.cert.pem').toString(), privateKey: pki('leaf-ec-p256.key.pkcs8.pem').toString() });
    expect(credentials.keyAlgorithm).toBe('EC P-256');
  });

  test('refuses a key that does not belong to the certificate', () => {
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.cert.pem'), privateKey: pki('leaf-rsa4096.key.pkcs8.pem') }))).toBe('KEY_CERT_MISMATCH');
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.p12'), privateKey: pki('leaf-ec-p256.key.pkcs8.pem'), passphrase: PASSWORD }))).toBe('KEY_CERT_MISMATCH');
  });

  test('says which file is which when certificate and key are swapped', () => {
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.key.pkcs8.pem'), privateKey: pki('leaf-rsa2048.cert.pem') }))).toBe('CERT_NOT_FOUND');
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.cert.pem'), privateKey: pki('leaf-rsa2048.cert.pem') }))).toBe('KEY_NOT_FOUND');
  });

  test('asks for a key when only a certificate is given', () => {
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.cert.pem') }))).toBe('KEY_NOT_FOUND');
  });

  test('refuses unsupported keys before anything signs with them', () => {
    expect(codeOf(() => loadCredentials({ certificate: pki('ed25519.cert.pem'), privateKey: pki('ed25519.key.pkcs8.pem') }))).toBe('KEY_UNSUPPORTED');
  });

  test('reports damaged certificates, PEM and PKCS#12 inputs with their own codes', () => {
    const key = pki('leaf-rsa2048.key.pkcs8.pem');
    expect(codeOf(() => loadCredentials({ certificate: pki('truncated.cert.pem'), privateKey: key }))).toBe('PEM_TRUNCATED');
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.cert.der').subarray(0, 500), privateKey: key }))).toBe('CERT_UNREADABLE');
    expect(codeOf(() => loadCredentials({ certificate: pki('leaf-rsa2048.p12').subarray(0, 900), passphrase: PASSWORD }))).toBe('PKCS12_UNREADABLE');
  });
});

describe('loadCredentialFiles', () => {
  test('reads the files the CLI names', async () => {
    const credentials = await loadCredentialFiles({
      certificate: file('leaf-ec-p384.cert.pem'),
      privateKey: file('leaf-ec-p384.key.pkcs8-encrypted-unicode.pem'),
      intermediates: file('chain.bundle.pem'),
      passphrase: 'pässwörd-ключ',
    });
    expect(credentials.chain).toHaveLength(2);
    expect(signatureVerifies(credentials.privateKey, credentials.leaf.publicKey)).toBe(true);
  });

  test('reads a PKCS#12 file given as --certificate without --private-key', async () => {
    const credentials = await loadCredentialFiles({ certificate: file('leaf-rsa2048.legacy.p12'), passphrase: PASSWORD });
    expect(credentials.keyKind).toBe('rsa');
  });

  test('says FILE_UNREADABLE with the path for a missing file', async () => {
    const missing = join(temp, 'no-such-key.pem');
    const result = await asyncCodeOf(() => loadCredentialFiles({ certificate: file('leaf-rsa2048.cert.pem'), privateKey: missing }));
    expect(result.code).toBe('FILE_UNREADABLE');
    expect(result.detail).toContain(missing);
    expect(result.detail).toContain('private key file');
  });

  test('says FILE_UNREADABLE for a folder passed as a file', async () => {
    const folder = join(temp, 'a-folder');
    mkdirSync(folder);
    const result = await asyncCodeOf(() => loadCredentialFiles({ certificate: folder }));
    expect(result).toMatchObject({ code: 'FILE_UNREADABLE', detail: expect.stringContaining(folder) });
  });

  test.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('says FILE_UNREADABLE for a file without read permission', async () => {
    const locked = join(temp, 'locked.pem');
    writeFileSync(locked, pki('leaf-rsa2048.cert.pem'));
    chmodSync(locked, 0o000);
    const result = await asyncCodeOf(() => loadCredentialFiles({ certificate: locked }));
    expect(result).toMatchObject({ code: 'FILE_UNREADABLE', detail: expect.stringContaining('permission denied') });
  });

  test('refuses a file far larger than any certificate', async () => {
    const huge = join(temp, 'huge.pem');
    writeFileSync(huge, Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 0x41));
    const result = await asyncCodeOf(() => loadCredentialFiles({ certificate: huge }));
    expect(result).toMatchObject({ code: 'FILE_UNREADABLE', detail: expect.stringContaining(huge) });
  });
});
