// The drop-in `rolecall credential-process` with the reference's PKCS#11 flags and pkcs11: URIs, run as
// SDKs run it (no terminal), against the sandbox, with keys on a real SoftHSM2 token.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { runCli, type CliResult } from '../helpers/cli';
import { pkiPath, readPki } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../helpers/softhsm';

// OpenSC's logging PKCS#11 module in front of SoftHSM: it records every call the CLI makes.
const SPY_MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so';

let sandbox: Sandbox;
let hsm: SoftHsm;
let ecCertificateFile: string;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
  hsm = await createSoftHsm();
  hsm.initToken('alpha');
  await hsm.writeCertificate('alpha', await hsm.issueCertificate(await hsm.generateKey('alpha', 'rsa:2048', '01', 'rsa-made-here'), 'token-rsa'), '01', 'rsa-made-here');
  const ecPem = await hsm.issueCertificate(await hsm.generateKey('alpha', 'EC:prime256v1', '02', 'ec-made-here'), 'token-ec');
  await hsm.writeCertificate('alpha', ecPem, '02', 'ec-made-here');
  ecCertificateFile = join(hsm.folder, 'ec-made-here.pem');
  await writeFile(ecCertificateFile, ecPem);
  await hsm.writeCertificate('alpha', readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  hsm.initToken('beta');
  await hsm.writeCertificate('beta', readPki('leaf-ec-p256.cert.pem'), '04', 'lonely');
}, 60_000);

afterAll(async () => {
  await sandbox.stop();
  await hsm.remove();
});

function credentialProcess(flags: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['credential-process', '--endpoint', sandbox.url, ...arnFlags(), ...flags], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf, ...env } });
}

/** The reference client's exact bytes for what the sandbox issued. */
function expectReferenceOutput(result: CliResult): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const accessKeyId = /"AccessKeyId":"([A-Z0-9]+)"/.exec(result.stdout)?.[1] ?? '';
  const issued = sandbox.issuedCredentials(accessKeyId);
  expect(issued, 'the sandbox issued these credentials').toBeDefined();
  if (!issued) return;
  expect(result.stdout).toBe(
    `{"Version":1,"AccessKeyId":"${issued.accessKeyId}","SecretAccessKey":"${issued.secretAccessKey}","SessionToken":"${issued.sessionToken}","Expiration":"${new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}"}`,
  );
}

describe('rolecall credential-process with a key on a PKCS#11 token', () => {
  it('signs with an RSA-2048 key made on the token, the chain taken from the token', async () => {
    expectReferenceOutput(await credentialProcess(['--certificate', `pkcs11:token=alpha;object=rsa-made-here?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE]));
  });

  it('signs with a P-256 key made on the token, the PIN read from pin-source, the chain from --intermediates', async () => {
    const pinFile = join(hsm.folder, 'pin');
    await writeFile(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
    expectReferenceOutput(await credentialProcess(['--certificate', `pkcs11:token=alpha;id=%02?pin-source=file:${pinFile}`, '--pkcs11-lib', SOFTHSM_MODULE, '--intermediates', pkiPath('intermediate-ca.cert.pem')]));
  });

  it('signs with a certificate file and only the key on the token (--private-key URI)', async () => {
    expectReferenceOutput(await credentialProcess(['--certificate', ecCertificateFile, '--private-key', `pkcs11:token=alpha?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE, '--intermediates', pkiPath('intermediate-ca.cert.pem')]));
  });

  it('takes the module from the URI\'s module-path when --pkcs11-lib is absent', async () => {
    expectReferenceOutput(await credentialProcess(['--certificate', `pkcs11:token=alpha;object=rsa-made-here?pin-value=${USER_PIN}&module-path=${SOFTHSM_MODULE}`]));
  });
});

describe('what a user of a token meets', () => {
  it('tries a wrong PIN exactly once against the token and says what the token says of its counter', async () => {
    const log = join(hsm.folder, 'spy-wrong-pin.log');
    const result = await credentialProcess(['--certificate', 'pkcs11:token=alpha;id=%02?pin-value=000000', '--pkcs11-lib', SPY_MODULE], { PKCS11SPY: SOFTHSM_MODULE, PKCS11SPY_OUTPUT: log });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[PKCS11_PIN_WRONG]');
    // SoftHSM2 raises CKF_USER_PIN_COUNT_LOW once it has refused a PIN, and Rolecall reads the flags after the refusal.
    expect(result.stderr).toContain('token "alpha"; the token says few tries are left');
    expect(result.stderr).not.toContain('000000');
    expect(readFileSync(log, 'utf8').match(/C_Login\b/g)).toHaveLength(1);
  });

  it('needs the PIN when there is no terminal to ask on', async () => {
    const result = await credentialProcess(['--certificate', 'pkcs11:token=alpha;id=%02', '--pkcs11-lib', SOFTHSM_MODULE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[PKCS11_PIN_REQUIRED]');
  });

  it.each([
    ['a module that is not there', ['--certificate', 'pkcs11:token=alpha', '--pkcs11-lib', '/nonexistent/libtoken.so'], 'PKCS11_MODULE_UNLOADABLE'],
    ['a token that is not there', ['--certificate', `pkcs11:token=gamma?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_TOKEN_NOT_FOUND'],
    ['a certificate without its key', ['--certificate', `pkcs11:token=beta;object=lonely?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_KEY_NOT_FOUND'],
    ['several matching certificates', ['--certificate', `pkcs11:token=alpha?pin-value=${USER_PIN}`, '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_CERT_AMBIGUOUS'],
    ['a URI that is not RFC 7512', ['--certificate', 'pkcs11:colour=red', '--pkcs11-lib', SOFTHSM_MODULE], 'PKCS11_URI_INVALID'],
    ['--reuse-pin without any token', ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--reuse-pin'], 'USAGE'],
  ])('refuses %s with a typed error on one line and nothing on stdout', async (_what, flags, code) => {
    const result = await credentialProcess(flags);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`[${code}]`);
  });
});
