// The principal tags Rolecall shows must be the ones the service puts on the session: checked against
// the sandbox's own reading (its own X.509 library and rules) for certificates openssl issues.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCertificates, principalTags } from '../../../src/core/pki';
import { parseCertificatesPem } from '../../../src/sandbox/certificate';
import { principalTagsOf } from '../../../src/sandbox/policy';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa } from '../../sandbox/openssl-ca';

let dir: string;
let ca: OpensslCa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-tags-'));
  ca = await makeOpensslCa(dir, 'Tags CA');
}, 30_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tagsOfBoth(name: string, subject: string): Promise<{ core: Record<string, string>; sandbox: Readonly<Record<string, string>> }> {
  const leaf = await issueOpensslLeaf(ca, name, subject);
  const pem = await readFile(leaf.certificatePath, 'utf8');
  const [certificate] = parseCertificates(pem);
  const [serviceCertificate] = parseCertificatesPem(pem);
  if (!certificate || !serviceCertificate) throw new Error('openssl gave no certificate');
  return { core: principalTags(certificate), sandbox: principalTagsOf(serviceCertificate).tags };
}

describe('principal tags as Roles Anywhere maps them', () => {
  test('joins the values of a repeated attribute with "/" in certificate order', async () => {
    const { core, sandbox } = await tagsOfBoth('two-ous', '/O=Example Corp/OU=platform/OU=devops/CN=alice');
    expect(core['x509Subject/OU']).toBe('platform/devops');
    expect(core).toEqual(sandbox);
  });

  test('maps UID, and C, CN, L, O, OU and ST of subject and issuer', async () => {
    const { core, sandbox } = await tagsOfBoth('uid', '/C=DE/ST=Berlin/L=Berlin/O=Example Corp/OU=devops/CN=bob/UID=u-1234');
    expect(core).toMatchObject({
      'x509Subject/C': 'DE',
      'x509Subject/ST': 'Berlin',
      'x509Subject/L': 'Berlin',
      'x509Subject/O': 'Example Corp',
      'x509Subject/OU': 'devops',
      'x509Subject/CN': 'bob',
      'x509Subject/UID': 'u-1234',
      'x509Issuer/CN': 'Tags CA',
      'x509Issuer/O': 'Example Corp',
      'x509Issuer/C': 'US',
    });
    expect(core).toEqual(sandbox);
  });

  test('leaves out a value a session tag cannot carry, as the service does', async () => {
    const { core, sandbox } = await tagsOfBoth('comma', '/O=Example Corp/OU=R&D/CN=carol');
    expect(core['x509Subject/OU']).toBeUndefined();
    expect(core).toEqual(sandbox);
  });
});
