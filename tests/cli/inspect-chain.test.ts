// `rolecall inspect --intermediates` checks every link of the chain it would send: the leaf's issuer is
// one of the intermediates, each link is signed by the next, and each is valid; a broken link is named
// and the certificate is never called acceptable.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, issueCertificate, type IssuedCertificate } from '../../src/sandbox/certificate-factory';
import { runCli } from '../helpers/cli';
import { pkiPath } from '../helpers/fixtures';

let dir: string;
let root: IssuedCertificate;
let intermediate: IssuedCertificate;

const write = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

interface Inspection {
  readonly problems: readonly { readonly code: string; readonly detail?: string }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-inspect-'));
  root = await issueCertificate({ subject: 'CN=Chain Root, O=Rolecall Tests', key: await generateKey('ec-p256'), ca: true });
  intermediate = await issueCertificate({ subject: 'CN=Chain Issuing CA, O=Rolecall Tests', key: await generateKey('ec-p256'), issuer: root, ca: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rolecall inspect checks the chain it would send', () => {
  it('refuses a leaf from "Other CA" sent with an unrelated intermediate, naming the broken link', async () => {
    const other = await issueCertificate({ subject: 'CN=Other CA, O=Elsewhere', key: await generateKey('ec-p256'), ca: true });
    const leaf = await issueCertificate({ subject: 'CN=stray, OU=devops', key: await generateKey('ec-p256'), issuer: other });
    const result = await runCli(['inspect', await write('stray.pem', leaf.pem), '--intermediates', pkiPath('intermediate-ca.cert.pem')]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('Roles Anywhere would accept this certificate');
    expect(result.stdout).toContain('CHAIN_BROKEN');
    expect(result.stdout).toContain('CN=Other CA');
  });

  it('names an intermediate whose name matches but whose key did not sign the leaf', async () => {
    const impostor = await issueCertificate({ subject: 'CN=Chain Issuing CA, O=Rolecall Tests', key: await generateKey('ec-p256'), issuer: root, ca: true });
    const leaf = await issueCertificate({ subject: 'CN=signed-elsewhere', key: await generateKey('ec-p256'), issuer: intermediate });
    const result = await runCli(['inspect', await write('signed.pem', leaf.pem), '--intermediates', await write('impostor.pem', impostor.pem), '--json']);
    expect(result.code).toBe(1);
    const [problem] = (JSON.parse(result.stdout) as Inspection).problems;
    expect(problem?.code).toBe('CHAIN_BROKEN');
    expect(problem?.detail).toMatch(/link 1 .*signature does not verify/);
  });

  it('names an expired intermediate as the broken link', async () => {
    const stale = await issueCertificate({
      subject: 'CN=Stale Issuing CA',
      key: await generateKey('ec-p256'),
      issuer: root,
      ca: true,
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const leaf = await issueCertificate({ subject: 'CN=under-stale', key: await generateKey('ec-p256'), issuer: stale });
    const result = await runCli(['inspect', await write('under-stale.pem', leaf.pem), '--intermediates', await write('stale.pem', stale.pem), '--json']);
    expect(result.code).toBe(1);
    const [problem] = (JSON.parse(result.stdout) as Inspection).problems;
    expect(problem?.code).toBe('CHAIN_BROKEN');
    expect(problem?.detail).toMatch(/link 2 \(CN=Stale Issuing CA\).*expired/);
  });

  it('accepts a leaf sent with the intermediate that issued it', async () => {
    const result = await runCli(['inspect', pkiPath('leaf-ec-p256.cert.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('Roles Anywhere would accept this certificate');
  });
});
