// Where the trust anchor's CA comes from: a CA file (only its certificates ever leave it), an AWS
// Private CA ARN, or a Rolecall CA through the local CA module's seam.
import { describe, expect, test } from 'vitest';
import { trustAnchorSource } from '../../../src/core/aws-setup';
import { pki } from '../pki/helpers';

const ROOT = pki('root-ca.cert.pem').toString('utf8');

describe('the trust anchor source', () => {
  test('takes only the certificates of a CA file, never a key kept in the same file', async () => {
    const withKey = `${pki('intermediate-ca.key.pem').toString('utf8')}${ROOT}`;
    const source = await trustAnchorSource({ kind: 'pem-file', path: 'ca-and-key.pem', contents: withKey });
    expect(source.sourceType).toBe('CERTIFICATE_BUNDLE');
    if (source.sourceType !== 'CERTIFICATE_BUNDLE') return;
    expect(source.pem).not.toContain('PRIVATE KEY');
    expect(source.pem.replace(/\s+/g, '')).toBe(ROOT.replace(/\s+/g, ''));
    expect(source.description).toContain('Rolecall Test Root CA');
  });

  test('refuses a leaf certificate, a file without certificates and a malformed Private CA ARN', async () => {
    await expect(trustAnchorSource({ kind: 'pem-file', path: 'leaf.pem', contents: pki('leaf-ec-p256.cert.pem') })).rejects.toMatchObject({ code: 'SETUP_CA_INVALID', detail: expect.stringContaining('is not a CA certificate') });
    await expect(trustAnchorSource({ kind: 'pem-file', path: 'key.pem', contents: pki('leaf-ec-p256.key.pkcs8.pem') })).rejects.toMatchObject({ code: 'SETUP_CA_INVALID' });
    await expect(trustAnchorSource({ kind: 'acm-pca', arn: 'arn:aws:acm-pca:eu-west-1:123:certificate-authority/x' })).rejects.toMatchObject({ code: 'SETUP_CA_INVALID' });
  });

  test('reads a Rolecall CA through the local CA module, and says so when none is wired', async () => {
    await expect(trustAnchorSource({ kind: 'rolecall-ca', name: 'team' })).rejects.toMatchObject({ code: 'ROLECALL_CA_UNAVAILABLE' });
    const source = await trustAnchorSource({ kind: 'rolecall-ca', name: 'team' }, async (name) => (name === 'team' ? ROOT : ''));
    expect(source).toMatchObject({ sourceType: 'CERTIFICATE_BUNDLE', description: expect.stringContaining('Rolecall CA team') });
  });
});

