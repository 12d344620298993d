// The drop-in `rolecall credential-process`, run as a child process the way SDKs run it, against the
// sandbox. Expected output is written out from what the sandbox says it issued, not from our code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { runCli, type CliResult } from '../helpers/cli';
import { FIXTURE_PASSWORD, pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
});

afterAll(async () => {
  await sandbox.stop();
});

const withIntermediates = ['--intermediates', pkiPath('intermediate-ca.cert.pem')];

function credentialProcess(...flags: string[]): Promise<CliResult> {
  return runCli(['credential-process', '--endpoint', sandbox.url, ...arnFlags(), ...flags]);
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

describe('rolecall credential-process (drop-in flags)', () => {
  it.each([
    ['RSA-2048, PKCS#8 key', 'leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs8.pem'],
    ['RSA-2048, PKCS#1 key', 'leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs1.pem'],
    ['RSA-2048, DER certificate and PKCS#1 DER key', 'leaf-rsa2048.cert.der', 'leaf-rsa2048.key.pkcs1.der'],
    ['RSA-4096', 'leaf-rsa4096.cert.pem', 'leaf-rsa4096.key.pkcs8.pem'],
    ['EC P-256, SEC1 key', 'leaf-ec-p256.cert.pem', 'leaf-ec-p256.key.sec1.pem'],
    ['EC P-256, PKCS#8 key', 'leaf-ec-p256.cert.pem', 'leaf-ec-p256.key.pkcs8.pem'],
    ['EC P-384', 'leaf-ec-p384.cert.pem', 'leaf-ec-p384.key.pkcs8.pem'],
  ])('prints the reference output for %s with an intermediate chain', async (_label, certificate, key) => {
    expectReferenceOutput(await credentialProcess('--certificate', pkiPath(certificate), '--private-key', pkiPath(key), ...withIntermediates));
  });

  it('signs with an encrypted PKCS#8 key and --pkcs8-password', async () => {
    expectReferenceOutput(
      await credentialProcess('--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem'), '--pkcs8-password', FIXTURE_PASSWORD, ...withIntermediates),
    );
  });

  it.each([
    ['OpenSSL 3 (AES-256, PBKDF2)', 'leaf-rsa2048.p12', FIXTURE_PASSWORD],
    ['legacy RC2/3DES', 'leaf-rsa2048.legacy.p12', FIXTURE_PASSWORD],
    ['legacy RC2/3DES, EC key', 'leaf-ec-p256.legacy.p12', FIXTURE_PASSWORD],
    ['without a password', 'leaf-rsa2048.no-password.p12', undefined],
  ])('signs with a PKCS#12 file passed as --certificate: %s', async (_label, file, password) => {
    const flags = ['--certificate', pkiPath(file), ...withIntermediates, ...(password ? ['--pkcs8-password', password] : [])];
    expectReferenceOutput(await credentialProcess(...flags));
  });

  it('signs a certificate issued by the trust anchor itself without intermediates', async () => {
    expectReferenceOutput(await credentialProcess('--certificate', pkiPath('leaf-by-root.cert.pem'), '--private-key', pkiPath('leaf-by-root.key.pkcs8.pem')));
  });

  it('passes --session-duration and --role-session-name to the service', async () => {
    const result = await credentialProcess(
      '--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), ...withIntermediates,
      '--session-duration', '900', '--role-session-name', 'alice-laptop',
    );
    expectReferenceOutput(result);
    const accessKeyId = /"AccessKeyId":"([A-Z0-9]+)"/.exec(result.stdout)?.[1] ?? '';
    const issued = sandbox.issuedCredentials(accessKeyId);
    expect(issued?.roleSessionName).toBe('alice-laptop');
    expect(issued?.durationSeconds).toBe(900);
  });

  it('fails with one line on stderr and exit 1 when the intermediates are missing', async () => {
    const result = await credentialProcess('--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs8.pem'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('[UNTRUSTED_CERTIFICATE]');
    expect(result.stderr).toContain('--intermediates');
  });

  it('refuses an encrypted key without a password when no terminal can ask', async () => {
    const result = await credentialProcess('--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem'), ...withIntermediates);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[NO_TTY]');
  });

  it('refuses a wrong password with a clear code', async () => {
    const result = await credentialProcess('--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem'), '--pkcs8-password', 'wrong', ...withIntermediates);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[KEY_PASSPHRASE_WRONG]');
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const result = await credentialProcess('--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa4096.key.pkcs8.pem'), ...withIntermediates);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[KEY_CERT_MISMATCH]');
  });

  it('validates ARNs before any request reaches the service', async () => {
    const before = sandbox.requests.count();
    const result = await runCli([
      'credential-process', '--endpoint', sandbox.url, '--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs8.pem'),
      '--trust-anchor-arn', 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/oops', '--profile-arn', 'x', '--role-arn', 'y',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[ARN_INVALID]');
    expect(sandbox.requests.count()).toBe(before);
  });

  it.each(['--cert-selector', '--tpm-key-password'])('rejects the reference flag %s by name as not supported yet', async (flag) => {
    const result = await credentialProcess(flag, 'x', '--certificate', pkiPath('leaf-rsa2048.cert.pem'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[NOT_SUPPORTED_YET]');
    expect(result.stderr).toContain(flag);
  });

  it('exits 1 on an unknown flag, as the reference does', async () => {
    const result = await credentialProcess('--no-such-flag');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[USAGE]');
  });

  it('prints the canonical request with --debug but never a secret', async () => {
    const result = await credentialProcess('--certificate', pkiPath('leaf-ec-p384.cert.pem'), '--private-key', pkiPath('leaf-ec-p384.key.pkcs8.pem'), ...withIntermediates, '--debug');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('canonical request');
    expect(result.stderr).toContain('x-amz-x509-chain');
    const output = JSON.parse(result.stdout) as { SecretAccessKey: string; SessionToken: string };
    expect(result.stderr).not.toContain(output.SecretAccessKey);
    expect(result.stderr).not.toContain(output.SessionToken);
  });

  it('documents its flags in --help', async () => {
    const result = await runCli(['credential-process', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--certificate', '--private-key', '--intermediates', '--trust-anchor-arn', '--profile-arn', '--role-arn', '--region', '--endpoint', '--session-duration', '--role-session-name', '--pkcs8-password', '--no-verify-ssl', '--with-proxy', '--debug']) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe('rolecall read-certificate-data', () => {
  it('prints the reference JSON with the decimal serial of the vector certificate', async () => {
    const result = await runCli(['read-certificate-data', '--certificate', `${import.meta.dirname}/../fixtures/vectors/leaf-cert.pem`]);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['keyType', 'certificateData', 'serialNumber', 'supportedAlgorithms']);
    expect(data.serialNumber).toBe('41796794418840706582093025104159514797');
    expect(data.keyType).toBe('RSA');
    expect(data.supportedAlgorithms).toEqual(['RSASHA256', 'RSASHA384', 'RSASHA512']);
    expect(result.stdout.endsWith('\n')).toBe(false);
  });
});

describe('rolecall inspect', () => {
  it('shows the principal tags and accepts a good leaf', async () => {
    const result = await runCli(['inspect', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.sec1.pem')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('x509Subject/CN');
    expect(result.stdout).toContain('leaf-ec-p256');
    expect(result.stdout).toContain('matches the certificate');
  });

  it('lists the problems of a CA certificate used as a leaf and exits 1', async () => {
    const result = await runCli(['inspect', pkiPath('is-ca.cert.pem'), '--json']);
    expect(result.code).toBe(1);
    const inspection = JSON.parse(result.stdout) as { problems: { code: string }[] };
    expect(inspection.problems.map((problem) => problem.code)).toContain('CERT_IS_CA');
  });
});

describe('rolecall', () => {
  it('prints its version and lists its commands', async () => {
    expect((await runCli(['--version'])).stdout).toMatch(/^rolecall \d+\.\d+\.\d+\n$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('credential-process');
  });

  it('says which command is unknown', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
