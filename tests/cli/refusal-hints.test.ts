// A 403 names its known cause (expired, region, untrusted chain) before anything says "trust policy":
// the drop-in credential-process against the sandbox, and a bare AccessDenied refined with what is
// known locally (the real service's message for a trust policy refusal names nothing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificates } from '../../src/core/pki';
import { refineRefusal } from '../../src/core/rolesanywhere/refusal-cause';
import { generateKey, issueCertificate } from '../../src/sandbox/certificate-factory';
import type { Sandbox } from '../../src/sandbox/server';
import { isRolecallError, RolecallError } from '../../src/shared/errors';
import { runCli } from '../helpers/cli';
import { pkiPath, readPki } from '../helpers/fixtures';
import { arnFlags, ROLE_ARN, startFixtureSandbox, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
});

afterAll(async () => {
  await sandbox?.stop();
});

const dropIn = (certificate: string, extra: string[] = []) =>
  runCli(['credential-process', '--endpoint', sandbox.url, ...arnFlags(), '--certificate', pkiPath(`${certificate}.cert.pem`), '--private-key', pkiPath(`${certificate}.key.pkcs8.pem`), '--intermediates', pkiPath('intermediate-ca.cert.pem'), ...extra]);

describe('drop-in credential-process names the cause of a 403', () => {
  it('an expired certificate says it expired, not "check the trust policy"', async () => {
    const result = await dropIn('expired');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[CERT_EXPIRED]');
    expect(result.stderr).not.toMatch(/trust policy/i);
  });

  it('a signing region other than the trust anchor\'s says so', async () => {
    const result = await dropIn('leaf-ec-p256', ['--region', 'eu-west-1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[SIGNING_REGION_MISMATCH]');
    expect(result.stderr).not.toMatch(/trust policy/i);
  });

  it('a certificate from another CA says the chain is untrusted', async () => {
    const other = await issueCertificate({ subject: 'CN=Other CA', key: await generateKey('ec-p256'), ca: true });
    const leaf = await issueCertificate({ subject: 'CN=stray, OU=devops', key: await generateKey('ec-p256'), issuer: other });
    const dir = await mkdtemp(join(tmpdir(), 'rolecall-hints-'));
    try {
      await writeFile(join(dir, 'leaf.pem'), leaf.pem);
      await writeFile(join(dir, 'leaf.key'), leaf.key.privateKeyPem, { mode: 0o600 });
      const result = await runCli(['credential-process', '--endpoint', sandbox.url, ...arnFlags(), '--certificate', join(dir, 'leaf.pem'), '--private-key', join(dir, 'leaf.key')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('[UNTRUSTED_CERTIFICATE]');
      expect(result.stderr).not.toMatch(/trust policy/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a trust policy refusal comes last, with what to compare', async () => {
    const role = sandbox.config.roles.find((candidate) => candidate.arn === ROLE_ARN);
    if (!role) throw new Error('fixture role missing');
    const before = role.assumeRolePolicyDocument;
    role.assumeRolePolicyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'nobody' } } }],
    });
    try {
      const result = await dropIn('leaf-ec-p256');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('[ACCESS_DENIED]');
      expect(result.stderr).toContain('check out here');
    } finally {
      role.assumeRolePolicyDocument = before;
    }
  });
});

describe('a bare AccessDenied is refined with what is known locally', () => {
  const [expired] = parseCertificates(readPki('expired.cert.pem'));
  const [valid] = parseCertificates(readPki('leaf-ec-p256.cert.pem'));
  const bare = () => new RolecallError('ACCESS_DENIED', 'HTTP 403 AccessDeniedException');
  const context = { chain: [], trustAnchorArn: TRUST_ANCHOR_ARN, signingRegion: 'us-east-1', at: Date.parse('2026-06-01T00:00:00Z') };

  it('to CERT_EXPIRED when the certificate expired, the service\'s words kept', () => {
    const refined = refineRefusal(bare(), { ...context, leaf: expired! });
    expect(isRolecallError(refined) && refined.code).toBe('CERT_EXPIRED');
    expect(isRolecallError(refined) && refined.detail).toContain('HTTP 403 AccessDeniedException');
  });

  it('to SIGNING_REGION_MISMATCH before the dates, as the service checks the region first', () => {
    const refined = refineRefusal(bare(), { ...context, leaf: expired!, signingRegion: 'eu-west-1' });
    expect(isRolecallError(refined) && refined.code).toBe('SIGNING_REGION_MISMATCH');
  });

  it('an "Untrusted signing certificate" for an expired certificate is its expiry', () => {
    const refined = refineRefusal(new RolecallError('UNTRUSTED_CERTIFICATE', 'HTTP 403 AccessDeniedException Untrusted signing certificate'), { ...context, leaf: expired! });
    expect(isRolecallError(refined) && refined.code).toBe('CERT_EXPIRED');
  });

  it('otherwise stays ACCESS_DENIED, and the next step names explain with the profile\'s real name', () => {
    const refined = refineRefusal(bare(), { ...context, leaf: valid!, profileName: 'dev-team' });
    expect(isRolecallError(refined) && refined.code).toBe('ACCESS_DENIED');
    expect(isRolecallError(refined) && refined.next).toContain('`rolecall explain dev-team`');
  });
});
