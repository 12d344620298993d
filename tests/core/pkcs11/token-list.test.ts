// The window's list of tokens and certificates (tokens.list), read from a real SoftHSM2 token without a
// PIN: each leaf with a URI that finds exactly it and its key, CA certificates left out, errors typed.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTokens, parsePkcs11Uri, withTokenKey } from '../../../src/core/pkcs11';
import { readPki } from '../../helpers/fixtures';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../../helpers/softhsm';

let hsm: SoftHsm;
let leafPem: string;
const previousConf = process.env.SOFTHSM2_CONF;

beforeAll(async () => {
  hsm = await createSoftHsm();
  process.env.SOFTHSM2_CONF = hsm.conf;
  hsm.initToken('alpha');
  leafPem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '0a', 'laptop key'), 'token-listed');
  await hsm.writeCertificate('alpha', leafPem, '0a', 'laptop key');
  await hsm.writeCertificate('alpha', readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  hsm.initToken('empty');
}, 60_000);

afterAll(async () => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  await hsm.remove();
});

describe('tokens.list', () => {
  it('lists each initialised token and its leaf certificates without a PIN, with a URI that finds the key', async () => {
    const listing = await listTokens(SOFTHSM_MODULE);
    expect(listing.module).toBe(SOFTHSM_MODULE);
    expect(listing.tokens.map((token) => token.label).sort()).toEqual(['alpha', 'empty']);
    const alpha = listing.tokens.find((token) => token.label === 'alpha');
    const empty = listing.tokens.find((token) => token.label === 'empty');
    expect(empty?.certificates).toEqual([]);
    expect(alpha?.manufacturer).toBe('SoftHSM project');
    const leaf = new X509Certificate(leafPem);
    expect(alpha?.certificates).toEqual([
      {
        label: 'laptop key',
        subject: 'O=Rolecall Tests, OU=devops, CN=token-listed',
        notAfter: new Date(leaf.validTo).toISOString(),
        uri: `pkcs11:token=alpha;serial=${alpha?.serial ?? ''};object=laptop%20key;id=%0A;type=cert`,
      },
    ]);
    const uri = alpha?.certificates[0]?.uri ?? '';
    const found = await withTokenKey({ modulePath: SOFTHSM_MODULE, pin: USER_PIN, certificate: { uri: parsePkcs11Uri(uri) } }, async (key) => key.certificateDer);
    expect(found.equals(leaf.raw)).toBe(true);
  });

  it('a module that cannot be loaded is PKCS11_MODULE_UNLOADABLE', async () => {
    await expect(listTokens('/nonexistent/libnothing.so')).rejects.toMatchObject({ code: 'PKCS11_MODULE_UNLOADABLE' });
  });
});
