// `rolecall read-certificate-data --certificate pkcs11:…` lists the certificates a URI matches as the
// reference's aws_signing_helper does ("Matching identities", SHA-1 fingerprint, Go-style subject, URI),
// on real SoftHSM2 tokens; a URI matching nothing and a missing module end in typed errors.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli';
import { pkiPath, readPki } from '../helpers/fixtures';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../helpers/softhsm';

let hsm: SoftHsm;
const issued = new Map<string, string>();

beforeAll(async () => {
  hsm = await createSoftHsm();
  hsm.initToken('alpha');
  issued.set('rsa-made-here', await hsm.issueCertificate(await hsm.generateKey('alpha', 'rsa:2048', '01', 'rsa-made-here'), 'token-rsa'));
  issued.set('ec-made-here', await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '02', 'ec-made-here'), 'token-ec'));
  issued.set('intermediate', readPki('intermediate-ca.cert.pem'));
  for (const [label, id] of [['rsa-made-here', '01'], ['ec-made-here', '02'], ['intermediate', '10']] as const) await hsm.writeCertificate('alpha', issued.get(label) ?? '', id, label);
  hsm.initToken('beta');
  await hsm.writeCertificate('beta', readPki('leaf-rsa2048.cert.pem'), '04', 'two-units');
  // A certificate marked private shows only after logging in (OpenSC's pkcs11-tool leaves certificates public).
  hsm.initToken('gamma');
  const env = { ...process.env, SOFTHSM2_CONF: hsm.conf, GNUTLS_PIN: USER_PIN };
  const tokenUrl = execFileSync('p11tool', ['--provider', SOFTHSM_MODULE, '--list-token-urls'], { env }).toString('utf8').split('\n').find((url) => url.endsWith('token=gamma')) ?? '';
  execFileSync('p11tool', ['--provider', SOFTHSM_MODULE, '--login', '--write', tokenUrl, '--load-certificate', pkiPath('leaf-ec-p256.cert.pem'), '--label', 'hidden', '--id', '05', '--mark-private'], { env, stdio: 'ignore' });
}, 60_000);

afterAll(async () => {
  await hsm.remove();
});

function readCertificateData(flags: readonly string[]): Promise<CliResult> {
  return runCli(['read-certificate-data', ...flags], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } });
}

/** The token's serial and slot description, as softhsm2-util shows them. */
function slotOf(label: string): { serial: string; description: string } {
  const slots = execFileSync('softhsm2-util', ['--show-slots'], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } }).toString('utf8').split(/^Slot /m);
  const slot = slots.find((text) => new RegExp(`Label:\\s+${label}\\s*$`, 'm').test(text)) ?? '';
  return { serial: /Serial number:\s+(\S+)/.exec(slot)?.[1] ?? '', description: /Description:\s+(.+?)\s*$/m.exec(slot)?.[1] ?? '' };
}

/** One entry of the reference's listing, written out independently of Rolecall's code. */
function entry(pem: string, token: string, id: string, label: string, subject = opensslSubject(pem)): string {
  const der = new X509Certificate(pem).raw;
  const { serial, description } = slotOf(token);
  const uri = `pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${serial};slot-description=${description.replace(/ /g, '%20')};slot-manufacturer=SoftHSM%20project;id=%${id};object=${label};type=cert`;
  return `${createHash('sha1').update(der).digest('hex')} "${subject}"\n\tURI: ${uri}\n`;
}

// For names with one value per attribute in the usual order, OpenSSL's RFC 2253 form is Go's.
function opensslSubject(pem: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], { input: pem }).toString('utf8').trim().replace(/^subject=/, '');
}

/** The listing's entries without their numbers, after checking they are numbered 1, 2, 3… */
function entries(stdout: string): string[] {
  expect(stdout.startsWith('Matching identities\n')).toBe(true);
  const numbered = stdout.slice('Matching identities\n'.length).split(/^(?=\d+\) )/m);
  numbered.forEach((text, index) => expect(text.startsWith(`${index + 1}) `)).toBe(true));
  return numbered.map((text) => text.replace(/^\d+\) /, ''));
}

describe('read-certificate-data with a pkcs11: URI', () => {
  it('lists every certificate on the token as the reference does, CA certificates included', async () => {
    const result = await readCertificateData(['--certificate', 'pkcs11:token=alpha', '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(entries(result.stdout).sort()).toEqual(
      [
        entry(issued.get('rsa-made-here') ?? '', 'alpha', '01', 'rsa-made-here'),
        entry(issued.get('ec-made-here') ?? '', 'alpha', '02', 'ec-made-here'),
        entry(issued.get('intermediate') ?? '', 'alpha', '10', 'intermediate'),
      ].sort(),
    );
  });

  it('prints the subject as Go does: two OUs share one RDN, unlike OpenSSL\'s form', async () => {
    const result = await readCertificateData(['--certificate', 'pkcs11:token=beta', '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Matching identities\n1) ${entry(readPki('leaf-rsa2048.cert.pem'), 'beta', '04', 'two-units', 'CN=leaf-rsa2048,OU=devops+OU=platform,O=Rolecall Tests,L=Seattle,ST=Washington,C=US')}`);
  });

  it('gives each listed certificate a URI that finds exactly that certificate again', async () => {
    const listed = entries((await readCertificateData(['--certificate', 'pkcs11:object=ec-made-here', '--pkcs11-lib', SOFTHSM_MODULE])).stdout);
    expect(listed).toHaveLength(1);
    const uri = /URI: (\S+)/.exec(listed[0] ?? '')?.[1] ?? '';
    const again = await readCertificateData(['--certificate', uri, '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(again.stdout).toBe(`Matching identities\n1) ${listed[0] ?? ''}`);
  });

  it('lists the certificates of every token an URI without token attributes matches', async () => {
    const result = await readCertificateData(['--certificate', 'pkcs11:id=%04', '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(result.code).toBe(0);
    expect(entries(result.stdout)).toHaveLength(1);
    const all = await readCertificateData(['--certificate', 'pkcs11:type=cert', '--pkcs11-lib', SOFTHSM_MODULE]);
    // gamma's certificate is private: with several tokens matching, none is logged in to.
    expect(entries(all.stdout)).toHaveLength(4);
  });

  it('logs in to the one matching token when it shows nothing without its PIN', async () => {
    const result = await readCertificateData(['--certificate', `pkcs11:token=gamma?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`Matching identities\n1) ${entry(readPki('leaf-ec-p256.cert.pem'), 'gamma', '05', 'hidden')}`);
  });

  it('takes the module from the URI\'s module-path when --pkcs11-lib is absent', async () => {
    const result = await readCertificateData(['--certificate', `pkcs11:token=beta?module-path=${SOFTHSM_MODULE}`]);
    expect(result.code).toBe(0);
    expect(entries(result.stdout)).toHaveLength(1);
  });

  it.each([
    ['a token no URI attribute matches', ['--certificate', 'pkcs11:token=delta', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_TOKEN_NOT_FOUND'],
    ['a label on no certificate of the token', ['--certificate', `pkcs11:token=alpha;object=nothing?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_CERT_NOT_FOUND'],
    ['a label on no certificate of several tokens (none is logged in to)', ['--certificate', 'pkcs11:object=nothing', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_TOKEN_AMBIGUOUS'],
    ['a private certificate and no PIN nor terminal', ['--certificate', 'pkcs11:token=gamma', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_PIN_REQUIRED'],
    ['a wrong PIN', ['--certificate', 'pkcs11:token=gamma?pin-value=000000', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_PIN_WRONG'],
    ['a module that is not there', ['--certificate', 'pkcs11:token=alpha', '--pkcs11-lib', '/nonexistent/libtoken.so'], 'PKCS11_MODULE_UNLOADABLE'],
    ['a URI that is not RFC 7512', ['--certificate', 'pkcs11:colour=red', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_URI_INVALID'],
    ['--pkcs11-lib with a certificate file', ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--pkcs11-lib', SOFTHSM_MODULE], 'USAGE'],
  ])('refuses %s with a typed error and its next step, nothing on stdout', async (_what, flags, code) => {
    const result = await readCertificateData(flags);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`[${code}]`);
    expect(result.stderr).not.toContain('000000');
  });
});
