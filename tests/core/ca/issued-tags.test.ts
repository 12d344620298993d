// Whatever subject and SANs a user types, the certificate a Rolecall CA issues for the request carries
// exactly those as the session's principal tags: what a trust policy pins is what was asked for.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaCertificate, issueFromCsr } from '../../../src/core/ca';
import { createCsr, formatSubject, generateKeyOfType, parseSubject, type GeneratedKey } from '../../../src/core/certificates';
import { parseCertificates, principalTags } from '../../../src/core/pki';

let ca: GeneratedKey;
let caPem: string;

beforeAll(async () => {
  ca = await generateKeyOfType('p256');
  caPem = await createCaCertificate({ ...ca, subject: parseSubject('CN=Tags CA,O=Example Corp'), days: 10, now: Date.now() });
});

const value = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.:/=+\-@]{0,30}[A-Za-z0-9]$/);
const attribute = fc.record({ type: fc.constantFrom('OU', 'O', 'L', 'ST', 'UID'), value });
const dnsName = fc.domain();
// Only characters a session tag can carry: STS would drop any other URI, and the service with it.
const uri = fc.webUrl().filter((text) => /^[A-Za-z0-9_.:/=+\-@]{1,256}$/.test(text));

describe('issued certificates carry the principal tags that were asked for', () => {
  it('maps each typed subject attribute, the CA\'s name and the first SANs to the tags Roles Anywhere derives', async () => {
    await fc.assert(
      fc.asyncProperty(value, fc.uniqueArray(attribute, { selector: (entry) => entry.type, maxLength: 4 }), fc.option(dnsName, { nil: undefined }), fc.option(uri, { nil: undefined }), async (cn, rest, dns, url) => {
        const subject = parseSubject(formatSubject([{ type: 'CN', value: cn }, ...rest]));
        const key = await generateKeyOfType('p256');
        const sans = [...(dns === undefined ? [] : [{ type: 'dns' as const, value: dns }]), ...(url === undefined ? [] : [{ type: 'uri' as const, value: url }])];
        const csrPem = await createCsr({ ...key, subject, sans });
        const issued = await issueFromCsr({ csrPem, caCertificatePem: caPem, caPrivateKey: ca.privateKey, days: 1, now: Date.now() });
        const [leaf] = parseCertificates(issued);
        const expected: Record<string, string> = { 'x509Issuer/CN': 'Tags CA', 'x509Issuer/O': 'Example Corp' };
        for (const { type, value: text } of subject) expected[`x509Subject/${type}`] = text;
        if (dns !== undefined) expected['x509SAN/DNS'] = dns;
        if (url !== undefined) expected['x509SAN/URI'] = url;
        const tags = leaf ? principalTags(leaf) : {};
        expect(tags).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
