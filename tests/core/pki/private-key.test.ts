import { createHash, createPublicKey, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  parseCertificates,
  parsePrivateKey,
  privateKeyFromPkcs8Pem,
  privateKeyToPkcs8Pem,
  splitPem,
  toPem,
} from '../../../src/core/pki';
import { codeOf, garbage, PASSWORD, pki, signatureVerifies, UNICODE_PASSWORD, vector } from './helpers';

function certificateKey(name: string) {
  const [certificate] = parseCertificates(pki(name));
  if (!certificate) throw new Error(`no certificate in ${name}`);
  return certificate.publicKey;
}

// Every form a user may hand us, the certificate it belongs to, and what it must load as.
const FORMS = [
  { file: 'leaf-rsa2048.key.pkcs1.pem', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048' },
  { file: 'leaf-rsa2048.key.pkcs8.pem', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048' },
  { file: 'leaf-rsa2048.key.pkcs8-encrypted.pem', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048', passphrase: PASSWORD },
  { file: 'leaf-rsa2048.key.pkcs1-encrypted.pem', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048', passphrase: PASSWORD },
  { file: 'leaf-rsa2048.key.pkcs8.der', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048' },
  { file: 'leaf-rsa2048.key.pkcs1.der', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048' },
  { file: 'leaf-rsa2048.combined.pem', cert: 'leaf-rsa2048.cert.pem', algorithm: 'RSA-2048' },
  { file: 'leaf-rsa4096.key.pkcs8.pem', cert: 'leaf-rsa4096.cert.pem', algorithm: 'RSA-4096' },
  { file: 'leaf-ec-p256.key.sec1.pem', cert: 'leaf-ec-p256.cert.pem', algorithm: 'EC P-256' },
  { file: 'leaf-ec-p256.key.sec1-encrypted.pem', cert: 'leaf-ec-p256.cert.pem', algorithm: 'EC P-256', passphrase: PASSWORD },
  { file: 'leaf-ec-p256.key.sec1.der', cert: 'leaf-ec-p256.cert.pem', algorithm: 'EC P-256' },
  { file: 'leaf-ec-p256.key.pkcs8.pem', cert: 'leaf-ec-p256.cert.pem', algorithm: 'EC P-256' },
  { file: 'leaf-ec-p384.key.pkcs8.pem', cert: 'leaf-ec-p384.cert.pem', algorithm: 'EC P-384' },
  { file: 'leaf-ec-p384.key.pkcs8-encrypted-unicode.pem', cert: 'leaf-ec-p384.cert.pem', algorithm: 'EC P-384', passphrase: UNICODE_PASSWORD },
] as const;

describe('parsePrivateKey', () => {
  test.each(FORMS)('loads $file and signs what its certificate verifies', (form) => {
    const key = parsePrivateKey(pki(form.file), 'passphrase' in form ? { passphrase: form.passphrase } : {});
    expect(key.algorithm).toBe(form.algorithm);
    expect(key.kind).toBe(form.algorithm.startsWith('RSA') ? 'rsa' : 'ec');
    expect(key.keyObject.type).toBe('private');
    expect(signatureVerifies(key.keyObject, certificateKey(form.cert))).toBe(true);
  });

  test('decrypts the ACM export of the vector key to the same key as its plain PKCS#8 file', () => {
    const decrypted = parsePrivateKey(vector('leaf-key.acm-encrypted.pem'), { passphrase: 'password' });
    const plain = splitPem(vector('leaf-key.pkcs8.pem'), 'KEY_UNREADABLE')[0];
    expect(decrypted.keyObject.export({ type: 'pkcs8', format: 'der' }).equals(plain!.der)).toBe(true);
  });

  test('signs the reference client self-test message byte for byte like the reference client', () => {
    const key = parsePrivateKey(vector('leaf-key.acm-encrypted.pem'), { passphrase: 'password' }).keyObject;
    const publicKey = createPublicKey(key).export({ type: 'pkcs1', format: 'der' });
    const digest = createHash('sha256').update('IAM RA').update(publicKey).digest();
    const message = Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), digest]);
    expect(sign('sha256', message, key).toString('hex')).toBe(vector('sign-string.rsa-sha256.hex').toString('utf8').trim());
  });

  test('asks for the passphrase of every encrypted form', () => {
    for (const name of ['leaf-rsa2048.key.pkcs8-encrypted.pem', 'leaf-rsa2048.key.pkcs1-encrypted.pem', 'leaf-ec-p256.key.sec1-encrypted.pem']) {
      expect(codeOf(() => parsePrivateKey(pki(name))), name).toBe('KEY_PASSPHRASE_REQUIRED');
    }
    expect(codeOf(() => parsePrivateKey(vector('leaf-key.acm-encrypted.pem')))).toBe('KEY_PASSPHRASE_REQUIRED');
  });

  test('says KEY_PASSPHRASE_WRONG for a wrong passphrase on every encrypted form', () => {
    for (const name of ['leaf-rsa2048.key.pkcs8-encrypted.pem', 'leaf-rsa2048.key.pkcs1-encrypted.pem', 'leaf-ec-p256.key.sec1-encrypted.pem']) {
      expect(codeOf(() => parsePrivateKey(pki(name), { passphrase: 'Rolecall-test' })), name).toBe('KEY_PASSPHRASE_WRONG');
    }
    expect(codeOf(() => parsePrivateKey(vector('leaf-key.acm-encrypted.pem'), { passphrase: 'passw0rd' }))).toBe('KEY_PASSPHRASE_WRONG');
  });

  test('encodes a non-ASCII passphrase as UTF-8, as OpenSSL does', () => {
    const latin1Bytes = Buffer.from(UNICODE_PASSWORD, 'utf8').toString('latin1');
    expect(codeOf(() => parsePrivateKey(pki('leaf-ec-p384.key.pkcs8-encrypted-unicode.pem'), { passphrase: latin1Bytes }))).toBe('KEY_PASSPHRASE_WRONG');
  });

  test('ignores a passphrase given for a plain key', () => {
    expect(parsePrivateKey(pki('leaf-ec-p256.key.pkcs8.pem'), { passphrase: 'unused' }).algorithm).toBe('EC P-256');
  });

  test.each([
    ['ed25519.key.pkcs8.pem', /Ed25519/],
    ['ec-p521.key.pkcs8.pem', /P-521/],
    ['rsa1024.key.pkcs8.pem', /1024/],
    ['rsa4608.key.pkcs8.pem', /4608/],
    ['dsa.key.pkcs8.pem', /DSA/],
    ['dsa.key.traditional.pem', /DSA/],
  ])('refuses %s with KEY_UNSUPPORTED', (name, detail) => {
    let thrown: unknown;
    try {
      parsePrivateKey(pki(name));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'KEY_UNSUPPORTED', detail: expect.stringMatching(detail) });
  });

  test('says KEY_NOT_FOUND for a certificate or a PKCS#12 file passed as the key', () => {
    for (const name of ['leaf-rsa2048.cert.pem', 'leaf-rsa2048.cert.der', 'chain.bundle.pem', 'leaf-rsa2048.csr.pem', 'leaf-rsa2048.p12']) {
      expect(codeOf(() => parsePrivateKey(pki(name))), name).toBe('KEY_NOT_FOUND');
    }
  });

  test('says KEY_NOT_FOUND for empty input', () => {
    expect(codeOf(() => parsePrivateKey(Buffer.alloc(0)))).toBe('KEY_NOT_FOUND');
    expect(codeOf(() => parsePrivateKey(''))).toBe('KEY_NOT_FOUND');
  });

  test('says KEY_UNREADABLE for garbage bytes, plain text and a key block with damaged content', () => {
    expect(codeOf(() => parsePrivateKey(garbage(1200)))).toBe('KEY_UNREADABLE');
    expect(codeOf(() => parsePrivateKey('my key is in the other file'))).toBe('KEY_UNREADABLE');
    expect(codeOf(() => parsePrivateKey(toPem('PRIVATE KEY', garbage(600))))).toBe('KEY_UNREADABLE');
    expect(codeOf(() => parsePrivateKey(toPem('RSA PRIVATE KEY', garbage(600))))).toBe('KEY_UNREADABLE');
    const cut = pki('leaf-rsa2048.key.pkcs8.der').subarray(0, 700);
    expect(codeOf(() => parsePrivateKey(toPem('PRIVATE KEY', cut)))).toBe('KEY_UNREADABLE');
  });

  test('says KEY_UNREADABLE for an OpenSSH key, with how to convert it', () => {
    let thrown: unknown;
    try {
      parsePrivateKey(toPem('OPENSSH PRIVATE KEY', Buffer.from('openssh-key-v1\0')));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'KEY_UNREADABLE', detail: expect.stringContaining('ssh-keygen') });
  });

  test('says PEM_TRUNCATED for a key PEM cut before its END line', () => {
    const cut = pki('leaf-rsa2048.key.pkcs8.pem').toString('latin1').split('\n').slice(0, 10).join('\n');
    expect(codeOf(() => parsePrivateKey(cut))).toBe('PEM_TRUNCATED');
  });

  test('never puts key material in an error', () => {
    const pem = pki('leaf-rsa2048.key.pkcs8.pem').toString('latin1');
    const damaged = pem.replace(/^(MII.{20})/m, '$1AAAA');
    let thrown: unknown;
    try {
      parsePrivateKey(damaged);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'KEY_UNREADABLE' });
    const text = `${String(thrown)} ${JSON.stringify(thrown)} ${(thrown as { detail?: string }).detail ?? ''}`;
    for (const line of pem.split('\n').filter((candidate) => candidate.length > 40)) expect(text).not.toContain(line.slice(0, 24));
  });
});

describe('PKCS#8 PEM for the keychain', () => {
  test('round-trips every supported key type through PKCS#8 PEM', () => {
    for (const name of ['leaf-rsa2048.key.pkcs1.pem', 'leaf-ec-p256.key.sec1.pem', 'leaf-ec-p384.key.pkcs8.pem']) {
      const key = parsePrivateKey(pki(name));
      const pem = privateKeyToPkcs8Pem(key);
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
      const back = privateKeyFromPkcs8Pem(pem);
      expect(back.keyObject.equals(key.keyObject), name).toBe(true);
      expect(back.kind).toBe(key.kind);
    }
  });

  test('reads back only unencrypted PKCS#8 PEM', () => {
    expect(codeOf(() => privateKeyFromPkcs8Pem(pki('leaf-rsa2048.key.pkcs1.pem').toString()))).toBe('KEY_NOT_FOUND');
    expect(codeOf(() => privateKeyFromPkcs8Pem(pki('leaf-rsa2048.key.pkcs8-encrypted.pem').toString()))).toBe('KEY_NOT_FOUND');
    expect(codeOf(() => privateKeyFromPkcs8Pem(pki('ed25519.key.pkcs8.pem').toString()))).toBe('KEY_UNSUPPORTED');
  });
});
