// Each check the service makes on a CreateSession request, proven by one tampered request each.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/sandbox/canonical';
import { generateKey, issueCertificate, type IssuedCertificate } from '../../src/sandbox/certificate-factory';
import { parseCertificatesPem } from '../../src/sandbox/certificate';
import { ServiceError } from '../../src/sandbox/service-error';
import { verifyCreateSession } from '../../src/sandbox/verifier';
import { x509 } from '../../src/sandbox/x509-library';
import { makeTestPki, type TestPki } from './test-pki';
import { signCreateSession, type X509SignInput } from './test-signer';

// Whole seconds, as X-Amz-Date carries them; the test PKI is valid around the real clock.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const DAY = 24 * 60 * 60 * 1000;
const PARAMS = {
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
  roleArn: "arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2(*)'",
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
};

let pki: TestPki;
let anchors: ReturnType<typeof parseCertificatesPem>;

beforeAll(async () => {
  pki = await makeTestPki();
  anchors = parseCertificatesPem(pki.root.pem);
});

function signed(leaf: IssuedCertificate, overrides: Partial<X509SignInput> = {}) {
  return signCreateSession({
    host: 'rolesanywhere.us-east-1.amazonaws.com',
    params: PARAMS,
    certificateDer: leaf.der,
    chainDer: [pki.intermediate.der],
    privateKey: leaf.key.privateKey,
    date: new Date(NOW),
    scopeSerial: leaf.serialDecimal,
    ...overrides,
  });
}

function verify(request: RawRequest, now = NOW) {
  return verifyCreateSession(request, { now, region: 'us-east-1', trustAnchors: anchors });
}

function rejection(request: RawRequest, now = NOW): ServiceError {
  try {
    verify(request, now);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

function withHeader(request: ReturnType<typeof signed>, name: string, value: string) {
  return { ...request, headers: request.headers.map(([k, v]) => [k, k.toLowerCase() === name ? value : v] as [string, string]) };
}

describe('a well-formed request', () => {
  it.each(['rsaLeaf', 'ecLeaf', 'ec384Leaf'] as const)('is accepted when signed by the %s with its intermediate', (which) => {
    const verified = verify(signed(pki[which]));
    expect(verified.path.map((c) => c.serialHex)).toEqual([pki[which].serialHex, pki.intermediate.serialHex, pki.root.serialHex]);
  });

  it('is accepted when the chain also carries the leaf and the root', () => {
    const request = signed(pki.ecLeaf, { chainDer: [pki.ecLeaf.der, pki.intermediate.der, pki.root.der] });
    expect(verify(request).path).toHaveLength(3);
  });

  it('is accepted with a date 4 minutes off the service clock', () => {
    expect(() => verify(signed(pki.ecLeaf, { date: new Date(NOW - 4 * 60 * 1000) }))).not.toThrow();
    expect(() => verify(signed(pki.ecLeaf, { date: new Date(NOW + 4 * 60 * 1000) }))).not.toThrow();
  });
});

describe('the signature layer', () => {
  it('rejects a changed body', () => {
    const request = { ...signed(pki.rsaLeaf), body: Buffer.from('{"durationSeconds":43200}') };
    const error = rejection(request);
    expect([error.status, error.code, error.message, error.reason]).toEqual([403, 'AccessDeniedException', 'Invalid signature', 'SIGNATURE_MISMATCH']);
  });

  it('rejects a changed query', () => {
    const request = signed(pki.rsaLeaf);
    const tampered = { ...request, query: request.query.replace('Example', 'Admin') };
    expect(rejection(tampered).reason).toBe('SIGNATURE_MISMATCH');
  });

  it("rejects a client whose canonical query leaves ! ' ( ) * unescaped, as encodeURIComponent does", () => {
    const loose = Object.keys(PARAMS)
      .sort()
      .map((k) => `${k}=${encodeURIComponent(PARAMS[k as keyof typeof PARAMS])}`)
      .join('&');
    expect(rejection(signed(pki.rsaLeaf, { rawQuery: loose })).reason).toBe('SIGNATURE_MISMATCH');
  });

  it('rejects a change to a signed header', () => {
    const request = signed(pki.ecLeaf, { signedExtras: { 'Amz-Sdk-Request': 'attempt=1; max=3' } });
    expect(rejection(withHeader(request, 'amz-sdk-request', 'attempt=2; max=3')).reason).toBe('SIGNATURE_MISMATCH');
  });

  it('accepts a change to a header that was not signed', () => {
    const request = signed(pki.ecLeaf, { unsignedExtras: { 'User-Agent': 'one/1.0' } });
    expect(() => verify(withHeader(request, 'user-agent', 'two/2.0'))).not.toThrow();
  });

  it('rejects flipped signature bytes', () => {
    const request = signed(pki.rsaLeaf);
    const authorization = request.headers.find(([k]) => k === 'Authorization')?.[1] ?? '';
    const flipped = authorization.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    expect(rejection(withHeader(request, 'authorization', flipped)).reason).toBe('SIGNATURE_MISMATCH');
  });

  it('rejects an ECDSA signature sent as raw r||s instead of DER', () => {
    const error = rejection(signed(pki.ecLeaf, { ecdsaRaw: true }));
    expect([error.code, error.message, error.reason]).toEqual(['AccessDeniedException', 'Invalid signature', 'SIGNATURE_MISMATCH']);
  });

  it('rejects an x-amz-content-sha256 header that does not match the body', () => {
    const request = signed(pki.ecLeaf, { signedExtras: { 'X-Amz-Content-Sha256': '0'.repeat(64) } });
    expect(rejection(request).reason).toBe('PAYLOAD_HASH_MISMATCH');
  });

  it('rejects a date more than 5 minutes in the past', () => {
    const error = rejection(signed(pki.ecLeaf, { date: new Date(NOW - 6 * 60 * 1000) }));
    expect(error.reason).toBe('SIGNATURE_EXPIRED');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('rejects a date more than 5 minutes in the future', () => {
    expect(rejection(signed(pki.ecLeaf, { date: new Date(NOW + 6 * 60 * 1000) })).reason).toBe('SIGNATURE_NOT_YET_CURRENT');
  });

  it("rejects a credential scope date that is not X-Amz-Date's day", () => {
    expect(rejection(signed(pki.ecLeaf, { scopeDate: new Date(NOW - DAY).toISOString().slice(0, 10).replace(/-/g, '') })).reason).toBe('SCOPE_DATE_MISMATCH');
  });

  it('rejects a serial in the credential scope that is not the leaf serial in decimal', () => {
    expect(['MALFORMED_CREDENTIAL_SCOPE', 'SERIAL_MISMATCH']).toContain(rejection(signed(pki.ecLeaf, { scopeSerial: pki.ecLeaf.serialHex })).reason);
    expect(rejection(signed(pki.ecLeaf, { scopeSerial: `0${pki.ecLeaf.serialDecimal}` })).reason).toBe('MALFORMED_CREDENTIAL_SCOPE');
    expect(rejection(signed(pki.ecLeaf, { scopeSerial: pki.rsaLeaf.serialDecimal })).reason).toBe('SERIAL_MISMATCH');
  });

  it('rejects a credential scope for another region', () => {
    expect(rejection(signed(pki.ecLeaf, { region: 'eu-west-1' })).reason).toBe('WRONG_REGION');
  });

  it.each(['host', 'x-amz-date', 'x-amz-x509', 'content-type', 'x-amz-x509-chain'])('rejects a request that sends %s without signing it', (name) => {
    const error = rejection(signed(pki.ecLeaf, { leaveUnsigned: [name] }));
    expect([error.code, error.reason]).toEqual(['AccessDeniedException', 'SIGNED_HEADER_REQUIRED']);
  });

  it('rejects a signed header that is not in the request', () => {
    const request = signed(pki.ecLeaf, { signedExtras: { 'X-Custom': 'x' } });
    const without = { ...request, headers: request.headers.filter(([k]) => k !== 'X-Custom') };
    expect(rejection(without).reason).toBe('SIGNED_HEADER_ABSENT');
  });

  it('rejects SignedHeaders that are not sorted', () => {
    const request = signed(pki.ecLeaf);
    const authorization = request.headers.find(([k]) => k === 'Authorization')?.[1] ?? '';
    const unsorted = authorization.replace('content-type;host', 'host;content-type');
    expect(rejection(withHeader(request, 'authorization', unsorted)).reason).toBe('SIGNED_HEADERS_MALFORMED');
  });

  it('rejects the RSA algorithm name on an EC certificate', () => {
    expect(rejection(signed(pki.ecLeaf, { algorithm: 'AWS4-X509-RSA-SHA256' })).reason).toBe('KEY_ALGORITHM_MISMATCH');
  });

  it('rejects a certificate header that is PEM, wrapped base64 or hex instead of one base64 line', () => {
    const request = signed(pki.ecLeaf);
    const der = pki.ecLeaf.der.toString('base64');
    for (const value of [pki.ecLeaf.pem.replace(/\n/g, ' '), der.match(/.{1,64}/g)?.join(' ') ?? '', pki.ecLeaf.der.toString('hex')]) {
      expect(rejection(withHeader(request, 'x-amz-x509', value)).reason).toBe('MALFORMED_CERTIFICATE');
    }
  });

  it('rejects a chain joined with ", " instead of ","', () => {
    const chain = [pki.intermediate.der, pki.root.der].map((d) => d.toString('base64')).join(', ');
    const request = signed(pki.ecLeaf, { chainDer: [], signedExtras: { 'X-Amz-X509-Chain': chain } });
    expect(rejection(request).reason).toBe('MALFORMED_CERTIFICATE');
  });
});

describe('the certificate path', () => {
  it('rejects a leaf that does not chain to the trust anchor', async () => {
    const otherRoot = await issueCertificate({ subject: 'CN=Other Root', key: pki.ecKey, ca: true });
    const stranger = await issueCertificate({ subject: 'CN=stranger', key: pki.ecKey, issuer: otherRoot });
    const error = rejection(signed(stranger, { chainDer: [otherRoot.der] }));
    expect([error.status, error.code, error.message, error.reason]).toEqual([403, 'AccessDeniedException', 'Untrusted Signing Certificate', 'UNTRUSTED_CHAIN']);
  });

  it('rejects a leaf sent without the intermediate it needs', () => {
    expect(rejection(signed(pki.ecLeaf, { chainDer: [] })).reason).toBe('UNTRUSTED_CHAIN');
  });

  it('rejects an intermediate that is not a CA', async () => {
    const fakeIssuer = await issueCertificate({ subject: 'CN=Not A CA', key: pki.ecKey, issuer: pki.root });
    const leaf = await issueCertificate({ subject: 'CN=under-fake', key: pki.rsaKey, issuer: fakeIssuer });
    expect(rejection(signed(leaf, { chainDer: [fakeIssuer.der] })).reason).toBe('UNTRUSTED_CHAIN');
  });

  it('rejects a chain of more than 5 certificates', () => {
    const six = Array.from({ length: 6 }, () => pki.intermediate.der);
    const error = rejection(signed(pki.ecLeaf, { chainDer: six }));
    expect([error.code, error.reason]).toEqual(['AccessDeniedException', 'CHAIN_TOO_LONG']);
  });

  it('accepts a chain of exactly 5 certificates', () => {
    const five = [pki.intermediate.der, pki.root.der, pki.intermediate.der, pki.root.der, pki.intermediate.der];
    expect(() => verify(signed(pki.ecLeaf, { chainDer: five }))).not.toThrow();
  });

  it('rejects a CA certificate as the leaf', async () => {
    const caLeaf = await issueCertificate({ subject: 'CN=ca-as-leaf', key: pki.ecKey, issuer: pki.intermediate, ca: true, keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign });
    expect(rejection(signed(caLeaf)).reason).toBe('LEAF_IS_CA');
  });

  it('rejects a leaf whose keyUsage lacks digitalSignature', async () => {
    const leaf = await issueCertificate({ subject: 'CN=no-ds', key: pki.ecKey, issuer: pki.intermediate, keyUsage: x509.KeyUsageFlags.keyAgreement });
    expect(rejection(signed(leaf)).reason).toBe('LEAF_KEY_USAGE');
  });

  it('rejects a leaf without a keyUsage extension', async () => {
    const leaf = await issueCertificate({ subject: 'CN=no-ku', key: pki.ecKey, issuer: pki.intermediate, keyUsage: 0 });
    expect(rejection(signed(leaf)).reason).toBe('LEAF_KEY_USAGE');
  });

  it('rejects a leaf signed with SHA-1', async () => {
    const leaf = await issueCertificate({ subject: 'CN=sha1', key: pki.ecKey, issuer: pki.intermediate, hash: 'SHA-1' });
    const error = rejection(signed(leaf));
    expect(error.reason).toBe('WEAK_SIGNATURE_HASH');
    expect(error.message).toContain('SHA-1');
  });

  it('rejects an expired leaf', async () => {
    const leaf = await issueCertificate({ subject: 'CN=old', key: pki.ecKey, issuer: pki.intermediate, notBefore: new Date(NOW - 30 * DAY), notAfter: new Date(NOW - DAY) });
    const error = rejection(signed(leaf));
    expect([error.code, error.reason]).toEqual(['AccessDeniedException', 'CERTIFICATE_EXPIRED']);
  });

  it('rejects a leaf that is not valid yet', async () => {
    const leaf = await issueCertificate({ subject: 'CN=future', key: pki.ecKey, issuer: pki.intermediate, notBefore: new Date(NOW + DAY), notAfter: new Date(NOW + 30 * DAY) });
    expect(rejection(signed(leaf)).reason).toBe('CERTIFICATE_NOT_YET_VALID');
  });

  it('rejects a valid leaf whose intermediate has expired', async () => {
    const intermediate = await issueCertificate({ subject: 'CN=Expired Issuing CA', key: pki.rsaKey, issuer: pki.root, ca: true, notBefore: new Date(NOW - 30 * DAY), notAfter: new Date(NOW - DAY) });
    const leaf = await issueCertificate({ subject: 'CN=under-expired', key: pki.ecKey, issuer: intermediate });
    const error = rejection(signed(leaf, { chainDer: [intermediate.der] }));
    expect(error.reason).toBe('CERTIFICATE_EXPIRED');
    expect(error.message).toContain('Expired Issuing CA');
  });

  describe('an X.509 v1 leaf', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sandbox-v1-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is rejected', async () => {
      // @peculiar/x509 only writes v3; openssl 3.0 `x509 -req` without extensions writes v1.
      const key = await generateKey('ec-p256');
      writeFileSync(join(dir, 'leaf.key'), key.privateKeyPem);
      writeFileSync(join(dir, 'ca.key'), pki.intermediate.key.privateKeyPem);
      writeFileSync(join(dir, 'ca.pem'), pki.intermediate.pem);
      execFileSync('openssl', ['req', '-new', '-key', join(dir, 'leaf.key'), '-subj', '/CN=v1-leaf', '-out', join(dir, 'leaf.csr')]);
      execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'leaf.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-days', '30', '-sha256', '-out', join(dir, 'leaf.pem')], { stdio: 'ignore' });
      const [v1] = parseCertificatesPem(readFileSync(join(dir, 'leaf.pem'), 'utf8'));
      if (!v1) throw new Error('openssl wrote no certificate');
      expect(v1.version).toBe(1);
      const request = signCreateSession({
        host: 'rolesanywhere.us-east-1.amazonaws.com',
        params: PARAMS,
        certificateDer: v1.der,
        chainDer: [pki.intermediate.der],
        privateKey: key.privateKey,
        date: new Date(Date.now()),
        scopeSerial: v1.serialDecimal,
      });
      expect(rejection(request, Date.now()).reason).toBe('NOT_V3');
    });
  });
});
