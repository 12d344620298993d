import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionHeaders, keyObjectSigner, selfTestMessage, signRequest } from '../../../src/core/signing';
import { ecLeaf, readVector, vectorCa, vectorLeaf } from './test-keys';

const AMZ_DATE = '20240102T030405Z';
const HOST = 'rolesanywhere.us-east-1.amazonaws.com';
const QUERY = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
  roleArn: 'arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2',
};

describe('the byte-exact vectors', () => {
  it('have no trailing newline, so they are compared as stored', () => {
    for (const name of ['v1-minimal', 'v2-chain-sdkheaders']) {
      for (const part of ['canonical-request.txt', 'string-to-sign.txt', 'authorization.txt', 'query.txt', 'body.json']) {
        expect(readVector(`${name}.${part}`).endsWith('\n')).toBe(false);
      }
    }
  });

  it('reproduces v1-minimal: canonical request, string to sign and Authorization', async () => {
    const leaf = vectorLeaf();
    expect(leaf.serialDecimal).toBe('41796794418840706582093025104159514797');
    const headers = createSessionHeaders({ host: HOST, amzDate: AMZ_DATE, certificateDer: leaf.der });
    const signed = await signRequest({
      method: 'POST',
      path: '/sessions',
      query: QUERY,
      headers,
      body: readVector('v1-minimal.body.json'),
      amzDate: AMZ_DATE,
      region: 'us-east-1',
      serialDecimal: leaf.serialDecimal,
      signer: keyObjectSigner(leaf.key),
    });
    expect(signed.canonicalRequest).toBe(readVector('v1-minimal.canonical-request.txt'));
    expect(signed.stringToSign).toBe(readVector('v1-minimal.string-to-sign.txt'));
    expect(signed.authorization).toBe(readVector('v1-minimal.authorization.txt'));
    expect(signed.signedHeaders).toBe('content-type;host;x-amz-date;x-amz-x509');
  });

  it('reproduces v2-chain-sdkheaders, signing exactly the headers it is given', async () => {
    const leaf = vectorLeaf();
    const headers = {
      ...createSessionHeaders({ host: HOST, amzDate: AMZ_DATE, certificateDer: leaf.der, chainDer: [vectorCa().der] }),
      'Amz-Sdk-Invocation-Id': '0b7f3c2e-1d2a-4c5b-8e9f-a0b1c2d3e4f5',
      'Amz-Sdk-Request': 'attempt=1; max=3',
    };
    const signed = await signRequest({
      method: 'POST',
      path: '/sessions',
      query: QUERY,
      headers,
      body: readVector('v2-chain-sdkheaders.body.json'),
      amzDate: AMZ_DATE,
      region: 'us-east-1',
      serialDecimal: leaf.serialDecimal,
      signer: keyObjectSigner(leaf.key),
    });
    expect(signed.canonicalRequest).toBe(readVector('v2-chain-sdkheaders.canonical-request.txt'));
    expect(signed.stringToSign).toBe(readVector('v2-chain-sdkheaders.string-to-sign.txt'));
    expect(signed.authorization).toBe(readVector('v2-chain-sdkheaders.authorization.txt'));
  });

  it('reproduces the reference sign-string self-test signature', async () => {
    const leaf = vectorLeaf();
    const signature = await keyObjectSigner(leaf.key).sign(selfTestMessage(createPublicKey(leaf.key)));
    expect(signature.toString('hex')).toBe(readVector('sign-string.rsa-sha256.hex').trim());
  });

  it('builds the same self-test message from the private key as from its public key', () => {
    const leaf = vectorLeaf();
    expect(selfTestMessage(leaf.key).equals(selfTestMessage(createPublicKey(leaf.key)))).toBe(true);
  });

  it.each(['P-256', 'P-384'] as const)('hashes the uncompressed %s point into the self-test message, as the reference does', async (curve) => {
    const { key } = await ecLeaf(curve);
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    // An uncompressed point is the tail of the SPKI: 0x04 || X || Y.
    const point = spki.subarray(spki.length - (curve === 'P-256' ? 65 : 97));
    expect(point[0]).toBe(4);
    const digest = createHash('sha256').update('IAM RA').update(point).digest();
    expect(selfTestMessage(key)).toEqual(Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), digest]));
  });
});
