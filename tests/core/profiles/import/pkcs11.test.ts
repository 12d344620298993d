// Importing the reference client's PKCS#11 lines (issue 13): a line whose certificate or key is a
// pkcs11: URI becomes a token-backed profile. Real config files in a temp folder; addProfile records what
// it was given (the agent wiring is tested with SoftHSM2 in tests/cli/import-pkcs11.test.ts).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyImport, prepareImport, readSigningHelperCommand, type ImportProfileInput } from '../../../../src/core/profiles/import';
import { pkiPath } from '../../../helpers/fixtures';

const TA = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/2f4b1c3e-7d8a-4e9f-b0c1-d2e3f4a5b6c7';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const ROLE = 'arn:aws:iam::123456789012:role/Developer';
const ARNS = `--trust-anchor-arn ${TA} --profile-arn ${PROFILE} --role-arn ${ROLE}`;
const PIN = 'wombat-pin-7731';
const LAUNCHER = ['/opt/Rolecall/rolecall'];

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

/** A config with one profile per entry, a stand-in module file and a certificate file in a temp home. */
async function setUp(lines: Record<string, string>) {
  work = await mkdtemp(join(tmpdir(), 'rolecall-import-pkcs11-'));
  const module = join(work, 'libtoken.so');
  await writeFile(module, '');
  const certificate = pkiPath('leaf-ec-p256.cert.pem');
  const text = Object.entries(lines)
    .map(([name, line]) => `[profile ${name}]\ncredential_process = ${line.replaceAll('{{MODULE}}', module).replaceAll('{{CERT}}', certificate)}\n`)
    .join('\n');
  const configPath = join(work, '.aws', 'config');
  await mkdir(join(work, '.aws'));
  await writeFile(configPath, text);
  const prepared = await prepareImport({ configPath, launcher: LAUNCHER, platform: 'linux', homedir: work });
  return { configPath, module, certificate, prepared };
}

function recorder() {
  const calls: ImportProfileInput[] = [];
  return { calls, addProfile: (input: ImportProfileInput) => void calls.push(input) };
}

describe('reading the reference client\'s PKCS#11 flags', () => {
  it('takes --pkcs11-lib (either spelling) and --reuse-pin without a problem', () => {
    const argv = ['aws_signing_helper', 'credential-process', '--certificate', 'pkcs11:token=alice;object=cert', '--pkcs11-lib=libykcs11.so', '--reuse-pin', ...ARNS.split(' ')];
    expect(readSigningHelperCommand(argv)).toEqual({
      kind: 'drop-in',
      tool: 'aws_signing_helper',
      flags: { certificate: 'pkcs11:token=alice;object=cert', pkcs11Lib: 'libykcs11.so', trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE },
      problems: [],
    });
  });
});

describe('import of a line whose key is on a token', () => {
  it('plans a token profile for a YubiKey line: the URI is shown, the module name kept for the loader, no key file to delete', async () => {
    const line = `aws_signing_helper credential-process --certificate "pkcs11:manufacturer=piv_II;id=%01" --pkcs11-lib libykcs11.so --reuse-pin ${ARNS}`;
    const { configPath, prepared } = await setUp({ yubikey: line });
    expect(prepared.plan.candidates).toEqual([
      {
        awsProfile: 'yubikey',
        name: 'yubikey',
        tool: 'aws_signing_helper',
        certificatePath: 'pkcs11:manufacturer=piv_II;id=%01',
        trustAnchorArn: TA,
        profileArn: PROFILE,
        roleArn: ROLE,
        multiLine: false,
        problems: [],
      },
    ]);
    const added = recorder();
    const result = await applyImport(prepared, { awsProfiles: ['yubikey'] }, added);
    expect(added.calls).toEqual([
      { name: 'yubikey', token: { certificateUri: 'pkcs11:manufacturer=piv_II;id=%01', modulePath: 'libykcs11.so' }, trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE },
    ]);
    expect(result).toEqual({ imported: ['yubikey'], failed: [], keyFilesNowInKeychain: [] });
    expect(await readFile(configPath, 'utf8')).toBe('[profile yubikey]\ncredential_process = /opt/Rolecall/rolecall credential-process --profile yubikey\n');
  });

  it('uses a pin-value for the import only: the plan and its diff never show it, a PIN typed at import wins', async () => {
    const line = `aws_signing_helper credential-process --certificate "pkcs11:token=rolecall;object=alice?pin-value=${PIN}" --private-key "pkcs11:token=rolecall;id=%a1%b2?module-name=softhsm2&pin-value=${PIN}" --pkcs11-lib {{MODULE}} ${ARNS}`;
    const { module, prepared } = await setUp({ hsm: line });
    const [candidate] = prepared.plan.candidates;
    expect(candidate?.problems).toEqual([]);
    expect(candidate?.certificatePath).toBe('pkcs11:token=rolecall;object=alice');
    expect(candidate?.privateKeyPath).toBe('pkcs11:token=rolecall;id=%a1%b2?module-name=softhsm2');
    expect(JSON.stringify(prepared.plan)).not.toContain(PIN);
    expect(prepared.plan.configDiff).toContain('pin-value=********');

    const added = recorder();
    await applyImport(prepared, { awsProfiles: ['hsm'], passphrases: { hsm: 'typed-pin' } }, added);
    // The URIs go to the agent as written (it strips pin-value before storing); the typed PIN comes beside them.
    expect(added.calls).toEqual([
      {
        name: 'hsm',
        token: {
          certificateUri: `pkcs11:token=rolecall;object=alice?pin-value=${PIN}`,
          privateKeyUri: `pkcs11:token=rolecall;id=%a1%b2?module-name=softhsm2&pin-value=${PIN}`,
          modulePath: module,
        },
        pin: 'typed-pin',
        trustAnchorArn: TA,
        profileArn: PROFILE,
        roleArn: ROLE,
      },
    ]);
  });

  it('takes a certificate file with the key on the token, and the line\'s other settings', async () => {
    const line = `aws_signing_helper credential-process --certificate {{CERT}} --private-key pkcs11:object=alice --region us-east-1 --session-duration 1800 ${ARNS}`;
    const { certificate, prepared } = await setUp({ split: line });
    expect(prepared.plan.candidates[0]).toEqual(expect.objectContaining({ certificatePath: certificate, privateKeyPath: 'pkcs11:object=alice', problems: [] }));
    const added = recorder();
    const result = await applyImport(prepared, { awsProfiles: ['split'] }, added);
    expect(added.calls).toEqual([
      { name: 'split', token: { certificatePath: certificate, privateKeyUri: 'pkcs11:object=alice' }, trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, region: 'us-east-1', durationSeconds: 1800 },
    ]);
    // The certificate file is not a key: nothing to delete.
    expect(result.keyFilesNowInKeychain).toEqual([]);
  });

  it('names what stands in the way of a token line', async () => {
    const { prepared } = await setUp({
      'key-file': `aws_signing_helper credential-process --certificate pkcs11:object=alice --private-key {{CERT}} ${ARNS}`,
      intermediates: `aws_signing_helper credential-process --certificate pkcs11:object=alice --intermediates {{CERT}} ${ARNS}`,
      'bad-uri': `aws_signing_helper credential-process --certificate "pkcs11:object=alice;colour=red" ${ARNS}`,
      'relative-module': `aws_signing_helper credential-process --certificate pkcs11:object=alice --pkcs11-lib lib/softhsm2.so ${ARNS}`,
      'missing-module': `aws_signing_helper credential-process --certificate pkcs11:object=alice --pkcs11-lib /nonexistent/libtoken.so ${ARNS}`,
    });
    expect(prepared.plan.candidates.map((candidate) => [candidate.awsProfile, candidate.problems.map((problem) => problem.code)])).toEqual([
      ['key-file', ['IMPORT_LINE_INVALID']],
      ['intermediates', ['IMPORT_OPTION_UNSUPPORTED']],
      ['bad-uri', ['PKCS11_URI_INVALID']],
      ['relative-module', ['FILE_UNREADABLE']],
      ['missing-module', ['FILE_UNREADABLE']],
    ]);
    expect(prepared.lines().every((line) => line.input === undefined)).toBe(true);
    expect(prepared.plan.configDiff).toBe('');
  });
});
