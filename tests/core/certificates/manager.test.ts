// Certificate requests on the real keychain of the test D-Bus session, with openssl as the outside CA:
// the key is born in the keychain and never reaches a file, the CSR verifies and asks for a client
// certificate, and only a usable certificate for that very key is imported.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateManager, KEY_TYPES, parseKeyType, publicKeyFingerprint, toCertificateView, csrPublicKey } from '../../../src/core/certificates';
import { parseCertificates, privateKeyToPkcs8Pem } from '../../../src/core/pki';
import { systemClock } from '../../../src/core/platform/clock';
import { RolecallError } from '../../../src/shared/errors';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa } from '../../sandbox/openssl-ca';
import { createKeychainWorld, filesUnder, pemBodyLines, signWithOpenssl, verifiedCsrText, type KeychainWorld } from './helpers';

const SUBJECT = 'CN=alice,OU=devops,O=Example Corp,C=US';
const DAY_MS = 24 * 60 * 60 * 1000;

let caDir: string;
let ca: OpensslCa;

beforeAll(async () => {
  caDir = await mkdtemp(join(tmpdir(), 'rolecall-openssl-ca-'));
  ca = await makeOpensslCa(caDir);
});

afterAll(async () => {
  await rm(caDir, { recursive: true, force: true });
});

describe('certificate requests on the real keychain', () => {
  let world: KeychainWorld;

  beforeEach(async () => {
    world = await createKeychainWorld();
  });
  afterEach(async () => {
    await world.dispose();
  });

  /** The request's private key as stored in the keychain. */
  const storedKey = async (name: string): Promise<string> => {
    const record = await world.certificates.get(name);
    if (record.key.kind !== 'keychain') throw new Error('expected a keychain key');
    return (await world.secrets.get(record.key.account)) ?? '';
  };

  it('makes a P-256 key straight into the keychain and a CSR openssl verifies, asking for a client certificate with the SANs', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT, sans: ['dns:alice.example.com', 'uri:spiffe://example.com/alice'] });
    expect(record).toMatchObject({ state: 'pending', keyType: 'p256', subject: SUBJECT, sans: ['dns:alice.example.com', 'uri:spiffe://example.com/alice'] });
    expect(record.key).toEqual({ kind: 'keychain', account: expect.stringMatching(/^certificate-key:/) });
    expect(await world.accounts()).toEqual([record.key.kind === 'keychain' ? record.key.account : '']);

    const text = await verifiedCsrText(world.dataDir, record.csrPem);
    expect(text).toMatch(/Subject: CN\s?=\s?alice, OU\s?=\s?devops, O\s?=\s?Example Corp, C\s?=\s?US/);
    expect(text).toContain('prime256v1');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication/);
    expect(text).toContain('DNS:alice.example.com');
    expect(text).toContain('URI:spiffe://example.com/alice');
    expect(text).toContain('ecdsa-with-SHA256');

    const key = await storedKey('alice');
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    for (const file of await filesUnder(world.dataDir)) {
      expect(file.text).not.toContain('PRIVATE KEY');
      for (const line of pemBodyLines(key)) expect(file.text).not.toContain(line);
    }
  });

  it('makes every key type Roles Anywhere accepts, each CSR signed with SHA-256 or stronger', async () => {
    const expected: Record<string, RegExp> = {
      p256: /prime256v1[\s\S]*ecdsa-with-SHA256/,
      p384: /secp384r1[\s\S]*ecdsa-with-SHA384/,
      rsa2048: /Public-Key: \(2048 bit\)[\s\S]*sha256WithRSAEncryption/,
      rsa3072: /Public-Key: \(3072 bit\)[\s\S]*sha256WithRSAEncryption/,
      rsa4096: /Public-Key: \(4096 bit\)[\s\S]*sha256WithRSAEncryption/,
    };
    for (const keyType of KEY_TYPES) {
      const record = await world.certificates.create({ name: `k-${keyType}`, subject: `CN=${keyType}`, keyType });
      expect(await verifiedCsrText(world.dataDir, record.csrPem), keyType).toMatch(expected[keyType] ?? /never/);
    }
  }, 60_000);

  it('refuses a key type or curve it cannot make for Roles Anywhere, naming it', () => {
    for (const name of ['ed25519', 'p521', 'secp256k1', 'rsa1024', 'rsa8192', '']) {
      expect(() => parseKeyType(name), name).toThrow(expect.objectContaining({ code: 'KEY_TYPE_UNSUPPORTED', detail: JSON.stringify(name) }));
    }
  });

  it('refuses a bad subject or SAN before any key is made', async () => {
    await expect(world.certificates.create({ name: 'x', subject: 'OU=devops' })).rejects.toMatchObject({ code: 'SUBJECT_INVALID' });
    await expect(world.certificates.create({ name: 'x', subject: 'CN=x', sans: ['ip:10.0.0.1'] })).rejects.toMatchObject({ code: 'SAN_INVALID' });
    await expect(world.certificates.create({ name: 'no spaces', subject: 'CN=x' })).rejects.toMatchObject({ code: 'CERTIFICATE_NAME_INVALID' });
    expect(await world.accounts()).toEqual([]);
    expect(await world.certificates.list()).toEqual([]);
  });

  it('imports the certificate openssl x509 -req issued for the CSR, and hands its key to a profile draft', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT });
    const issued = await signWithOpenssl(ca, record.csrPem);
    const imported = await world.certificates.import({ name: 'alice', certificate: issued });
    expect(imported).toMatchObject({ state: 'issued', issuedBy: { kind: 'external' }, chainPem: [], issuedAt: expect.any(String) });
    const credentials = await world.certificates.credentials('alice');
    expect(credentials.leaf.matchesPrivateKey(credentials.privateKey)).toBe(true);
    expect(credentials.leaf.subject).toBe('CN=alice, OU=devops, O=Example Corp, C=US');
    expect(credentials.keyAlgorithm).toBe('EC P-256');
    await expect(world.certificates.import({ name: 'alice', certificate: issued })).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_PENDING' });
  });

  it('finds the leaf for the key in a full-chain file and keeps the other certificates as the chain', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT });
    const issued = await signWithOpenssl(ca, record.csrPem);
    const imported = await world.certificates.import({ name: 'alice', certificate: `${ca.pem}${issued}` });
    expect(imported.chainPem).toEqual([parseCertificates(ca.pem)[0]?.toPem()]);
  });

  it('refuses a certificate for another key, naming both public keys\' SHA-256 fingerprints, and stays pending', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT });
    const other = await issueOpensslLeaf(ca, 'other', '/CN=alice/OU=devops');
    const otherCertificate = parseCertificates(await readFile(other.certificatePath))[0];
    const error = await world.certificates.import({ name: 'alice', certificate: otherCertificate?.toPem() ?? '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RolecallError);
    expect(error).toMatchObject({ code: 'ISSUED_KEY_MISMATCH' });
    const detail = (error as RolecallError).detail ?? '';
    expect(detail).toContain(publicKeyFingerprint(csrPublicKey(record.csrPem)));
    expect(detail).toContain(publicKeyFingerprint(otherCertificate?.publicKey ?? csrPublicKey(record.csrPem)));
    expect((await world.certificates.get('alice')).state).toBe('pending');
  });

  it('refuses a certificate without digitalSignature, and one whose extendedKeyUsage lacks clientAuth', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT });
    const noSignature = await signWithOpenssl(ca, record.csrPem, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\n');
    await expect(world.certificates.import({ name: 'alice', certificate: noSignature })).rejects.toMatchObject({ code: 'CERT_KEY_USAGE' });
    const serverOnly = await signWithOpenssl(ca, record.csrPem, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
    await expect(world.certificates.import({ name: 'alice', certificate: serverOnly })).rejects.toMatchObject({ code: 'CERT_NO_CLIENT_AUTH' });
    const noEku = await signWithOpenssl(ca, record.csrPem, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    await expect(world.certificates.import({ name: 'alice', certificate: noEku })).resolves.toMatchObject({ state: 'issued' });
  });

  it('removes the keychain item when the record cannot be written', async () => {
    world.certificates.records.add = () => Promise.reject(new RolecallError('STORE_UNWRITABLE', 'disk full'));
    await expect(world.certificates.create({ name: 'alice', subject: SUBJECT })).rejects.toMatchObject({ code: 'STORE_UNWRITABLE' });
    expect(await world.accounts()).toEqual([]);
  });

  it('writes no record when the keychain cannot store the key', async () => {
    const secrets = new MemorySecretStore();
    secrets.failure = 'KEYCHAIN_UNAVAILABLE';
    const certificates = new CertificateManager({ dataDir: world.dataDir, secrets, clock: systemClock });
    await expect(certificates.create({ name: 'alice', subject: SUBJECT })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await certificates.list()).toEqual([]);
  });

  it('removes a request with its keychain item', async () => {
    await world.certificates.create({ name: 'alice', subject: SUBJECT });
    await world.certificates.remove('alice');
    expect(await world.accounts()).toEqual([]);
    expect(await world.certificates.list()).toEqual([]);
    await expect(world.certificates.remove('alice')).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
  });

  it('flags a request left pending for more than 30 days', async () => {
    const record = await world.certificates.create({ name: 'alice', subject: SUBJECT });
    const created = Date.parse(record.createdAt);
    expect(toCertificateView(record, created + 30 * DAY_MS).stale).toBe(false);
    expect(toCertificateView(record, created + 31 * DAY_MS)).toMatchObject({ stale: true, ageDays: 31 });
  });

  it('keeps the key in a new 0600 file of the user\'s with --key-in-file, and never overwrites one', async () => {
    const keyFile = join(world.dataDir, '..', `${world.service}.key`);
    try {
      const record = await world.certificates.create({ name: 'alice', subject: SUBJECT, keyFile });
      expect(record.key).toEqual({ kind: 'file', path: keyFile });
      expect(await world.accounts()).toEqual([]);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      await expect(world.certificates.create({ name: 'bob', subject: SUBJECT, keyFile })).rejects.toMatchObject({ code: 'USAGE' });
      await world.certificates.import({ name: 'alice', certificate: await signWithOpenssl(ca, record.csrPem) });
      const credentials = await world.certificates.credentials('alice');
      expect(privateKeyToPkcs8Pem(credentials.privateKey)).toBe(await readFile(keyFile, 'utf8'));
    } finally {
      await rm(keyFile, { force: true });
    }
  });
});
