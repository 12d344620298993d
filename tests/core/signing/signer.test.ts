import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionHeaders, keyObjectSigner, signRequest } from '../../../src/core/signing';
import { ecLeaf, vectorLeaf, type EcCurve } from './test-keys';

const QUERY = {
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
  roleArn: 'arn:aws:iam::123456789012:role/Dev',
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
};

// An ASN.1 DER Ecdsa-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, not WebCrypto's raw r||s.
function isDerEcdsaSignature(signature: Buffer): boolean {
  if (signature[0] !== 0x30) return false;
  const long = signature[1] === 0x81;
  const length = long ? signature[2] : signature[1];
  const body = signature.subarray(long ? 3 : 2);
  if (length !== body.length || body[0] !== 0x02) return false;
  const rLength = body[1] ?? 0;
  return body[2 + rLength] === 0x02 && 2 + rLength + 2 + (body[3 + rLength] ?? 0) === body.length;
}

describe('keyObjectSigner', () => {
  it.each<EcCurve>(['P-256', 'P-384'])('signs with ECDSA SHA-256 on %s, DER-encoded and verifiable', async (curve) => {
    const leaf = await ecLeaf(curve, '00ff');
    const amzDate = '20240102T030405Z';
    const signed = await signRequest({
      method: 'POST',
      path: '/sessions',
      query: QUERY,
      headers: createSessionHeaders({ host: 'rolesanywhere.eu-west-1.amazonaws.com', amzDate, certificateDer: leaf.der }),
      body: '{"durationSeconds":3600}',
      amzDate,
      region: 'eu-west-1',
      serialDecimal: leaf.serialDecimal,
      signer: keyObjectSigner(leaf.key),
    });
    expect(signed.authorization).toMatch(
      /^AWS4-X509-ECDSA-SHA256 Credential=255\/20240102\/eu-west-1\/rolesanywhere\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature=[0-9a-f]+$/,
    );
    const signature = Buffer.from(signed.authorization.split('Signature=')[1] ?? '', 'hex');
    expect(isDerEcdsaSignature(signature)).toBe(true);
    const publicKey = leaf.certificate.publicKey;
    expect(verify('sha256', Buffer.from(signed.stringToSign), { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('signs RSA deterministically with PKCS#1 v1.5 SHA-256', async () => {
    const { key } = vectorLeaf();
    const signer = keyObjectSigner(key);
    expect(signer.algorithm).toBe('AWS4-X509-RSA-SHA256');
    const data = Buffer.from('some string to sign');
    const [first, second] = await Promise.all([signer.sign(data), signer.sign(data)]);
    expect(first?.equals(second ?? Buffer.alloc(0))).toBe(true);
    expect(verify('sha256', data, createPublicKey(key), first ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses a public key and key types Roles Anywhere does not accept', () => {
    const { key } = vectorLeaf();
    expect(() => keyObjectSigner(createPublicKey(key))).toThrow(expect.objectContaining({ code: 'KEY_UNSUPPORTED' }));
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => keyObjectSigner(privateKey)).toThrow(expect.objectContaining({ code: 'KEY_UNSUPPORTED' }));
  });
});
