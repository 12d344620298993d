// The demo PKI on disk and the one-call demo sandbox that `rolecall sandbox` starts.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY_KINDS, DEMO_ROLE_ARN, openDemoPki } from '../../src/sandbox/demo-pki';
import { startDemoSandbox, type DemoSandbox } from '../../src/sandbox/demo-sandbox';
import { x509 } from '../../src/sandbox/x509-library';
import { send, signCreateSession } from './test-signer';

const pemBlocks = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

let dir: string;
let demo: DemoSandbox;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'rolecall-demo-')), 'pki');
  demo = await startDemoSandbox({ dir });
});
afterAll(async () => {
  await demo.stop();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('the demo PKI', () => {
  it('writes private keys as PKCS#8 with mode 0600 and a 0700 folder', () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const kind of DEMO_KEY_KINDS) {
      const leaf = demo.pki.leaves[kind];
      expect(statSync(leaf.privateKeyPath).mode & 0o777).toBe(0o600);
      const pem = readFileSync(leaf.privateKeyPath, 'utf8');
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(createPrivateKey(pem).asymmetricKeyType).toBe(kind.startsWith('rsa') ? 'rsa' : 'ec');
    }
  });

  it('issues client certificates with the fields a trust policy matches on', () => {
    for (const kind of DEMO_KEY_KINDS) {
      const leaf = demo.pki.leaves[kind];
      const cert = new x509.X509Certificate(readFileSync(leaf.certificatePath, 'utf8'));
      expect(cert.subject).toBe(`CN=rolecall-demo-${kind}, OU=devops, O=Rolecall Demo`);
      expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
      expect((cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0) & x509.KeyUsageFlags.digitalSignature).toBeTruthy();
      expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toContain('1.3.6.1.5.5.7.3.2');
      expect(cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => n.value)).toEqual([`${kind}.demo.rolecall.test`]);
      const keyObject = createPrivateKey(readFileSync(leaf.privateKeyPath, 'utf8'));
      expect(new X509Certificate(readFileSync(leaf.certificatePath)).checkPrivateKey(keyObject)).toBe(true);
    }
  });

  it('chains each leaf through the issuing CA in chain.pem to the root', () => {
    const root = new X509Certificate(readFileSync(demo.pki.rootCertificatePath));
    const [intermediatePem] = pemBlocks(readFileSync(demo.pki.chainPath, 'utf8'));
    const intermediate = new X509Certificate(intermediatePem ?? '');
    expect(intermediate.verify(root.publicKey)).toBe(true);
    for (const kind of DEMO_KEY_KINDS) {
      expect(new X509Certificate(readFileSync(demo.pki.leaves[kind].certificatePath)).verify(intermediate.publicKey)).toBe(true);
    }
  });

  it('is reused by a later start while it stays valid', async () => {
    const again = await openDemoPki(dir);
    expect(again?.leaves['ec-p256'].serialHex).toBe(demo.pki.leaves['ec-p256'].serialHex);
    expect(await openDemoPki(join(dir, 'missing'))).toBeUndefined();
  });
});

describe('the demo sandbox', () => {
  it('exposes stable ARNs for the demo trust anchor, profile and role', () => {
    expect(demo.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.trustAnchorArn).toBe('arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/dec0de00-0000-4000-8000-00000000a001');
    expect(demo.profileArn).toBe('arn:aws:rolesanywhere:us-east-1:123456789012:profile/dec0de00-0000-4000-8000-00000000b001');
    expect(demo.roleArn).toBe(DEMO_ROLE_ARN);
  });

  it.each(DEMO_KEY_KINDS)('issues a session to the %s certificate read back from its files', async (kind) => {
    const leaf = demo.pki.leaves[kind];
    const chain = pemBlocks(readFileSync(leaf.chainPath, 'utf8')).map((pem) => Buffer.from(new X509Certificate(pem).raw));
    const request = signCreateSession({
      host: new URL(demo.sandbox.url).host,
      params: { profileArn: demo.profileArn, roleArn: demo.roleArn, trustAnchorArn: demo.trustAnchorArn },
      body: '{"durationSeconds":900,"roleSessionName":"demo-user"}',
      certificateDer: Buffer.from(new X509Certificate(readFileSync(leaf.certificatePath)).raw),
      chainDer: chain,
      privateKey: createPrivateKey(readFileSync(leaf.privateKeyPath, 'utf8')),
      date: new Date(),
      scopeSerial: leaf.serialDecimal,
    });
    const response = await send(demo.sandbox.url, request);
    expect(response.status).toBe(201);
    expect(response.body).toContain('assumed-role/RolecallDemo/demo-user');
  });
});
