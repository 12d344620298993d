// Keys on a real PKCS#11 token (SoftHSM2 in a temp folder): finding certificate and key by the reference's
// rules, signing on the token, and the failures a user meets.
import { verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTokenKey, parsePkcs11Uri, type PinRequest } from '../../../src/core/pkcs11';
import { createSessionHeaders, keyObjectSigner, signRequest } from '../../../src/core/signing';
import { Certificate } from '../../../src/core/pki';
import { readPki, VECTORS_DIR } from '../../helpers/fixtures';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../../helpers/softhsm';
import { readVector, vectorLeaf } from '../signing/test-keys';

let hsm: SoftHsm;
let rsaCertificatePem: string;
let ecCertificatePem: string;
const previousConf = process.env.SOFTHSM2_CONF;

beforeAll(async () => {
  hsm = await createSoftHsm();
  process.env.SOFTHSM2_CONF = hsm.conf;
  hsm.initToken('alpha');
  rsaCertificatePem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'rsa:2048', '01', 'rsa-made-here'), 'token-rsa');
  await hsm.writeCertificate('alpha', rsaCertificatePem, '01', 'rsa-made-here');
  ecCertificatePem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '02', 'ec-made-here'), 'token-ec');
  await hsm.writeCertificate('alpha', ecCertificatePem, '02', 'ec-made-here');
  // The byte vectors' RSA key, imported so the token's signature can be compared with the stored one.
  hsm.importKey('alpha', join(VECTORS_DIR, 'leaf-key.pkcs8.pem'), '03', 'vector');
  await hsm.writeCertificate('alpha', readFileSync(join(VECTORS_DIR, 'leaf-cert.pem'), 'utf8'), '03', 'vector');
  await hsm.writeCertificate('alpha', readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  await hsm.writeCertificate('alpha', readPki('root-ca.cert.pem'), '11', 'root');
  // A second token: a certificate whose key is nowhere, and a label that also exists on alpha.
  hsm.initToken('beta');
  await hsm.writeCertificate('beta', readPki('leaf-ec-p256.cert.pem'), '04', 'lonely');
  await hsm.writeCertificate('beta', readPki('leaf-rsa2048.cert.pem'), '05', 'rsa-made-here');
}, 60_000);

afterAll(async () => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  await hsm.remove();
});

const uri = (text: string) => ({ uri: parsePkcs11Uri(text) });
const base = { modulePath: SOFTHSM_MODULE, pin: USER_PIN };

describe('finding the certificate and key on a token', () => {
  it('signs with an RSA-2048 key generated on the token, found by the certificate\'s label', async () => {
    const found = await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=rsa-made-here') }, async (key) => {
      const data = Buffer.from('string to sign');
      return { key, data, signature: await key.signer.sign(data) };
    });
    expect(found.key.signer.algorithm).toBe('AWS4-X509-RSA-SHA256');
    expect(found.key.certificateDer.equals(new X509Certificate(rsaCertificatePem).raw)).toBe(true);
    expect(verify('sha256', found.data, new X509Certificate(rsaCertificatePem).publicKey, found.signature)).toBe(true);
    expect(found.key.keyUri).toMatch(/^pkcs11:token=alpha;serial=[0-9a-f]+;object=rsa-made-here;id=%01;type=private$/);
  });

  it('signs with a P-256 key generated on the token, as an ASN.1 DER ECDSA signature', async () => {
    const { data, signature, algorithm } = await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;id=%02') }, async (key) => {
      const message = Buffer.from('string to sign');
      return { data: message, signature: await key.signer.sign(message), algorithm: key.signer.algorithm };
    });
    expect(algorithm).toBe('AWS4-X509-ECDSA-SHA256');
    expect(signature[0]).toBe(0x30);
    expect(verify('sha256', data, { key: new X509Certificate(ecCertificatePem).publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('sends the CA certificates on the token above the leaf as the chain, but not the root', async () => {
    const chain = await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=rsa-made-here') }, async (key) => key.chainDer);
    expect(chain.map((der) => new X509Certificate(der).subject)).toEqual([new X509Certificate(readPki('intermediate-ca.cert.pem')).subject]);
  });

  it('gives a key that wants its PIN at every signature (CKA_ALWAYS_AUTHENTICATE) the user PIN with reusePin, and asks otherwise', async () => {
    const pem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '06', 'always-auth', { alwaysAuthenticate: true }), 'always-auth');
    await hsm.writeCertificate('alpha', pem, '06', 'always-auth');
    const message = Buffer.from('string to sign');
    const reused = await withTokenKey({ ...base, reusePin: true, certificate: uri('pkcs11:token=alpha;object=always-auth') }, (key) => key.signer.sign(message));
    expect(verify('sha256', message, { key: new X509Certificate(pem).publicKey, dsaEncoding: 'der' }, reused)).toBe(true);
    const asked: PinRequest[] = [];
    await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=always-auth'), askPin: async (request) => (asked.push(request), USER_PIN) }, (key) => key.signer.sign(message));
    // Asked once: the key's proof and the signature share the answer.
    expect(asked.map((request) => request.kind)).toEqual(['context-specific']);
  });

  it('finds a key labelled unlike its certificate by the certificate\'s CKA_ID after the label finds no key', async () => {
    const pem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '08', 'key-labelled-apart'), 'labelled-apart');
    await hsm.writeCertificate('alpha', pem, '08', 'certificate-label');
    const message = Buffer.from('string to sign');
    const found = await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=certificate-label') }, async (key) => ({ keyUri: key.keyUri, signature: await key.signer.sign(message) }));
    expect(found.keyUri).toMatch(/;object=key-labelled-apart;id=%08;type=private$/);
    expect(verify('sha256', message, { key: new X509Certificate(pem).publicKey, dsaEncoding: 'der' }, found.signature)).toBe(true);
    // The retry is for a key found through the certificate's URI only: a key URI of its own is taken as written.
    const ownKeyUri = withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=certificate-label'), privateKey: parsePkcs11Uri('pkcs11:token=alpha;object=certificate-label') }, async () => undefined);
    await expect(ownKeyUri).rejects.toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' });
  });

  it('finds the key for a certificate file by the key\'s URI (the hybrid mode)', async () => {
    const der = Certificate.fromDer(new X509Certificate(ecCertificatePem).raw).der;
    const algorithm = await withTokenKey({ ...base, certificate: { der }, privateKey: parsePkcs11Uri('pkcs11:token=alpha') }, async (key) => key.signer.algorithm);
    expect(algorithm).toBe('AWS4-X509-ECDSA-SHA256');
  });

  it('reproduces the stored v1-minimal Authorization with the vector key imported into the token', async () => {
    const leaf = vectorLeaf();
    const input = {
      method: 'POST',
      path: '/sessions',
      query: {
        trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
        profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
        roleArn: 'arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2',
      },
      headers: createSessionHeaders({ host: 'rolesanywhere.us-east-1.amazonaws.com', amzDate: '20240102T030405Z', certificateDer: leaf.der }),
      body: readVector('v1-minimal.body.json'),
      amzDate: '20240102T030405Z',
      region: 'us-east-1',
      serialDecimal: leaf.serialDecimal,
    };
    const onToken = await withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha;object=vector') }, (key) => signRequest({ ...input, signer: key.signer }));
    const inSoftware = await signRequest({ ...input, signer: keyObjectSigner(leaf.key) });
    expect(onToken.canonicalRequest).toBe(readVector('v1-minimal.canonical-request.txt'));
    expect(onToken.stringToSign).toBe(readVector('v1-minimal.string-to-sign.txt'));
    expect(onToken.authorization).toBe(readVector('v1-minimal.authorization.txt'));
    expect(onToken.authorization).toBe(inSoftware.authorization);
  });
});

describe('what goes wrong', () => {
  it('refuses a URI that matches several certificates and lists each one\'s own URI', async () => {
    const failure = withTokenKey({ ...base, certificate: uri('pkcs11:token=alpha') }, async () => undefined);
    await expect(failure).rejects.toMatchObject({ code: 'PKCS11_CERT_AMBIGUOUS', detail: expect.stringContaining('object=rsa-made-here;id=%01;type=cert') });
  });

  it('refuses a label found on two tokens instead of picking one', async () => {
    await expect(withTokenKey({ ...base, certificate: uri('pkcs11:object=rsa-made-here') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_CERT_AMBIGUOUS' });
  });

  it('refuses to log in to one of several tokens the URI matches when none shows the certificate without a PIN', async () => {
    const failure = withTokenKey({ ...base, certificate: uri('pkcs11:object=nowhere') }, async () => undefined);
    await expect(failure).rejects.toMatchObject({ code: 'PKCS11_TOKEN_AMBIGUOUS', detail: expect.stringMatching(/^2 tokens match and none shows a matching certificate without logging in: "(alpha|beta)", "(alpha|beta)"$/) });
  });

  it('refuses a key URI that matches several tokens when no certificate on a token says which', async () => {
    const der = new X509Certificate(ecCertificatePem).raw;
    const failure = withTokenKey({ ...base, certificate: { der }, privateKey: parsePkcs11Uri('pkcs11:id=%02') }, async () => undefined);
    await expect(failure).rejects.toMatchObject({ code: 'PKCS11_TOKEN_AMBIGUOUS', detail: expect.stringMatching(/^2 tokens match the private key's URI: "(alpha|beta)", "(alpha|beta)"$/) });
  });

  it('says so when the certificate has no matching key on the token', async () => {
    await expect(withTokenKey({ ...base, certificate: uri('pkcs11:token=beta;object=lonely') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' });
  });

  it('says which tokens are present when none matches', async () => {
    await expect(withTokenKey({ ...base, certificate: uri('pkcs11:token=gamma') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND', detail: expect.stringMatching(/^tokens present: "(alpha|beta)", "(alpha|beta)"$/) });
  });

  it('names the module that cannot be loaded', async () => {
    await expect(withTokenKey({ ...base, modulePath: '/nonexistent/libtoken.so', certificate: uri('pkcs11:token=alpha') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_MODULE_UNLOADABLE', detail: expect.stringContaining('/nonexistent/libtoken.so') });
  });

  it('tries a wrong PIN once, says what the token says of its counter, and asks nobody again unless a person is typing', async () => {
    const asked: PinRequest[] = [];
    const failure = withTokenKey({ modulePath: SOFTHSM_MODULE, certificate: uri('pkcs11:token=alpha;id=%02'), askPin: async (request) => (asked.push(request), '000000') }, async () => undefined);
    await expect(failure).rejects.toMatchObject({ code: 'PKCS11_PIN_WRONG', detail: 'token "alpha"; the token says few tries are left' });
    expect(asked).toEqual([{ token: 'alpha', kind: 'user', retry: false }]);
  });

  it('asks again after a wrong PIN when a person types each try, and signs with the right one', async () => {
    const answers = ['000000', USER_PIN];
    const asked: PinRequest[] = [];
    const algorithm = await withTokenKey({ modulePath: SOFTHSM_MODULE, askAgain: true, certificate: uri('pkcs11:token=alpha;id=%02'), askPin: async (request) => (asked.push(request), answers.shift()) }, async (key) => key.signer.algorithm);
    expect(algorithm).toBe('AWS4-X509-ECDSA-SHA256');
    expect(asked.map((request) => request.retry)).toEqual([false, true]);
  });

  it('needs a PIN when there is nobody to ask', async () => {
    await expect(withTokenKey({ modulePath: SOFTHSM_MODULE, certificate: uri('pkcs11:token=alpha;id=%02') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_PIN_REQUIRED' });
  });

  it('takes the PIN from the URI\'s pin-value', async () => {
    const found = await withTokenKey({ modulePath: SOFTHSM_MODULE, certificate: uri(`pkcs11:token=alpha;id=%02?pin-value=${USER_PIN}`) }, async (key) => key.pin);
    expect(found).toBe(USER_PIN);
  });

  it('reports a token that vanishes while its key is in use, and a later search finds no token', async () => {
    hsm.initToken('doomed');
    const pem = await hsm.issueCertificate(await hsm.generateKey('doomed', 'EC:prime256v1', '07', 'short-lived'), 'doomed');
    await hsm.writeCertificate('doomed', pem, '07', 'short-lived');
    const signing = withTokenKey({ ...base, certificate: uri('pkcs11:token=doomed') }, async (key) => {
      await removeTokenFolder('doomed');
      return key.signer.sign(Buffer.from('after removal'));
    });
    await expect(signing).rejects.toMatchObject({ code: 'PKCS11_TOKEN_REMOVED' });
    await expect(withTokenKey({ ...base, certificate: uri('pkcs11:token=doomed') }, async () => undefined)).rejects.toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND' });
  });
});

async function removeTokenFolder(label: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  const tokens = join(hsm.folder, 'tokens');
  for (const entry of await readdir(tokens)) {
    const info = join(tokens, entry, 'token.object');
    if (readFileSync(info).includes(Buffer.from(label))) await rm(join(tokens, entry), { recursive: true, force: true });
  }
}

