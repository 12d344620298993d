// Import previews and applies over real-world-shaped config files (tests/fixtures/aws-config), on real
// files in a temp folder. addProfile is the seam the composition root wires to the profile manager;
// here it records what it was given. Expected values are written out by hand from the fixtures.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyImport, prepareImport, type ImportProfileInput } from '../../../../src/core/profiles/import';
import { RolecallError } from '../../../../src/shared/errors';
import { PKI_DIR, pkiPath } from '../../../helpers/fixtures';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'aws-config');
const PKI = PKI_DIR;
const TA1 = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/2f4b1c3e-7d8a-4e9f-b0c1-d2e3f4a5b6c7';
const P1 = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const TA2 = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const P2 = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const TA3 = 'arn:aws:rolesanywhere:us-west-2:777788889999:trust-anchor/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const P3 = 'arn:aws:rolesanywhere:us-west-2:777788889999:profile/d4c3b2a1-f6e5-4b7a-9d8c-5c4b3a2f1e0d';
const DEVELOPER = 'arn:aws:iam::123456789012:role/Developer';
const POSIX_LAUNCHER = ['/opt/Rolecall/rolecall'];
const WINDOWS_LAUNCHER = ['C:\\Program Files\\Rolecall\\Rolecall.exe'];

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

interface Setup {
  readonly configPath: string;
  readonly home: string;
  readonly spaced: string;
  readonly before: Buffer;
  /** The config's lines as written (placeholders filled in), without line endings. */
  readonly lines: string[];
}

async function setUp(fixture: string): Promise<Setup> {
  work = await mkdtemp(join(tmpdir(), 'rolecall-import-'));
  const home = work;
  const spaced = join(work, 'Alice Smith', 'certs');
  await mkdir(spaced, { recursive: true });
  await copyFile(pkiPath('leaf-ec-p256.cert.pem'), join(spaced, 'alice cert.pem'));
  await copyFile(pkiPath('leaf-ec-p256.key.pkcs8.pem'), join(spaced, 'alice key.pem'));
  await copyFile(pkiPath('intermediate-ca.cert.pem'), join(spaced, 'intermediate ca.pem'));
  await mkdir(join(home, 'certs'));
  await copyFile(pkiPath('leaf-by-root.cert.pem'), join(home, 'certs', 'alice.pem'));
  await copyFile(pkiPath('leaf-by-root.key.pkcs8.pem'), join(home, 'certs', 'alice.key'));
  const text = (await readFile(join(FIXTURES, fixture), 'utf8'))
    .replaceAll('{{PKI}}', PKI)
    .replaceAll('{{SPACED_ESCAPED}}', spaced.replaceAll(' ', '\\ '))
    .replaceAll('{{SPACED}}', spaced);
  const configPath = join(home, '.aws', 'config');
  await mkdir(join(home, '.aws'), { mode: 0o700 });
  await writeFile(configPath, text, { mode: 0o600 });
  return { configPath, home, spaced, before: Buffer.from(text, 'utf8'), lines: text.split(/\r?\n/) };
}

function prepare(setup: Setup, platform: NodeJS.Platform = 'linux', existingProfiles: readonly string[] = []) {
  const launcher = platform === 'win32' ? WINDOWS_LAUNCHER : POSIX_LAUNCHER;
  return prepareImport({ configPath: setup.configPath, launcher, platform, homedir: setup.home, existingProfiles });
}

function recorder(failures: Record<string, unknown> = {}) {
  const calls: ImportProfileInput[] = [];
  return {
    calls,
    addProfile(input: ImportProfileInput) {
      calls.push(input);
      if (failures[input.name] !== undefined) throw failures[input.name];
    },
  };
}

/** The original bytes with exactly these texts swapped, each found exactly once. */
function withSwaps(before: Buffer, swaps: readonly (readonly [string, string])[]): string {
  let text = before.toString('utf8');
  for (const [from, to] of swaps) {
    expect(text.split(from).length - 1, `exactly one occurrence of ${from.slice(0, 60)}…`).toBe(1);
    text = text.replace(from, () => to);
  }
  return text;
}

/** The credential_process line of a profile as the fixture has it. */
function processLine(setup: Setup, profile: string): string {
  const header = setup.lines.indexOf(profile === 'default' ? '[default]' : `[profile ${profile}]`);
  const found = setup.lines.slice(header + 1).find((text) => text.startsWith('credential_process'));
  if (header < 0 || found === undefined) throw new Error(`no credential_process line for ${profile} in the fixture`);
  return found;
}
const configBytes = (setup: Setup) => readFile(setup.configPath);

describe('import from the reference setup', () => {
  it('plans the one profile with its files, ARNs and a diff of the single line that changes', async () => {
    const setup = await setUp('reference.config');
    const prepared = await prepare(setup);
    expect(prepared.plan).toEqual({
      configPath: setup.configPath,
      candidates: [
        {
          awsProfile: 'developer',
          name: 'developer',
          tool: 'aws_signing_helper',
          certificatePath: `${PKI}/leaf-rsa2048.cert.pem`,
          privateKeyPath: `${PKI}/leaf-rsa2048.key.pkcs8.pem`,
          intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
          trustAnchorArn: TA1,
          profileArn: P1,
          roleArn: DEVELOPER,
          multiLine: false,
          problems: [],
        },
      ],
      configDiff: [
        `--- ${setup.configPath}`,
        `+++ ${setup.configPath}`,
        '@@ -1,2 +1,2 @@',
        ' [profile developer]',
        `-${processLine(setup, 'developer')}`,
        '+credential_process = /opt/Rolecall/rolecall credential-process --profile developer',
        '',
      ].join('\n'),
    });
    // Previewing writes nothing.
    expect(await configBytes(setup)).toEqual(setup.before);
  });

  it('adds the profile, switches the line to Rolecall and names the key file the user may delete', async () => {
    const setup = await setUp('reference.config');
    const added = recorder();
    const result = await applyImport(await prepare(setup), { awsProfiles: ['developer'] }, added);
    expect(added.calls).toEqual([
      {
        name: 'developer',
        certificatePath: `${PKI}/leaf-rsa2048.cert.pem`,
        privateKeyPath: `${PKI}/leaf-rsa2048.key.pkcs8.pem`,
        intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: DEVELOPER,
      },
    ]);
    expect(result).toEqual({ imported: ['developer'], failed: [], keyFilesNowInKeychain: [`${PKI}/leaf-rsa2048.key.pkcs8.pem`] });
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'developer'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile developer']]),
    );
    // The key file itself is left alone.
    await expect(readFile(pkiPath('leaf-rsa2048.key.pkcs8.pem'))).resolves.toBeDefined();
  });

  it('reports a line changed since the preview instead of overwriting it', async () => {
    const setup = await setUp('reference.config');
    const prepared = await prepare(setup);
    const edited = `${setup.before.toString('utf8').replace('role/Developer', 'role/Admin')}`;
    await writeFile(setup.configPath, edited);
    const result = await applyImport(prepared, { awsProfiles: ['developer'] }, recorder());
    expect(result.imported).toEqual([]);
    expect(result.failed).toEqual([{ name: 'developer', problem: expect.objectContaining({ code: 'AWS_FILE_CONFLICT' }) }]);
    expect(result.keyFilesNowInKeychain).toEqual([]);
    expect((await configBytes(setup)).toString('utf8')).toBe(edited);
  });

  it('answers a profile that is not in the plan with IMPORT_NOT_FOUND', async () => {
    const setup = await setUp('reference.config');
    const added = recorder();
    const result = await applyImport(await prepare(setup), { awsProfiles: ['nope'] }, added);
    expect(result.failed).toEqual([{ name: 'nope', problem: expect.objectContaining({ code: 'IMPORT_NOT_FOUND' }) }]);
    expect(added.calls).toEqual([]);
    expect(await configBytes(setup)).toEqual(setup.before);
  });
});

describe('import of several profiles', () => {
  it('reads both flag spellings, durations, session names, regions and endpoints', async () => {
    const setup = await setUp('several-profiles.config');
    const { plan } = await prepare(setup);
    const files = { certificatePath: `${PKI}/leaf-ec-p256.cert.pem`, privateKeyPath: `${PKI}/leaf-ec-p256.key.sec1.pem`, intermediatesPath: `${PKI}/intermediate-ca.cert.pem` };
    expect(plan.candidates).toEqual([
      { awsProfile: 'dev', name: 'dev', tool: 'aws_signing_helper', ...files, trustAnchorArn: TA2, profileArn: P2, roleArn: 'arn:aws:iam::111122223333:role/Developer', durationSeconds: 3600, multiLine: false, problems: [] },
      { awsProfile: 'prod-readonly', name: 'prod-readonly', tool: 'aws_signing_helper', ...files, trustAnchorArn: TA2, profileArn: P2, roleArn: 'arn:aws:iam::111122223333:role/ReadOnly', durationSeconds: 900, multiLine: false, problems: [] },
      {
        awsProfile: 'ci',
        name: 'ci',
        tool: 'aws_signing_helper',
        certificatePath: `${PKI}/leaf-rsa2048.cert.pem`,
        privateKeyPath: `${PKI}/leaf-rsa2048.key.pkcs8-encrypted.pem`,
        intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
        trustAnchorArn: TA3,
        profileArn: P3,
        roleArn: 'arn:aws:iam::777788889999:role/ci/Deployer',
        region: 'us-west-2',
        multiLine: false,
        problems: [],
      },
    ]);
  });

  it('never shows the --pkcs8-password of a line in the plan or its diff', async () => {
    const setup = await setUp('several-profiles.config');
    const prepared = await prepare(setup);
    expect(JSON.stringify(prepared)).not.toContain('rolecall-test');
    expect(prepared.plan.configDiff).toContain(`-${processLine(setup, 'ci').replace('--pkcs8-password rolecall-test', '--pkcs8-password ********')}`);
  });

  it('imports only the chosen profile and keeps a key file another line still reads', async () => {
    const setup = await setUp('several-profiles.config');
    const added = recorder();
    const result = await applyImport(await prepare(setup), { awsProfiles: ['dev'] }, added);
    expect(added.calls.map((call) => call.name)).toEqual(['dev']);
    expect(added.calls[0]).toEqual({
      name: 'dev',
      certificatePath: `${PKI}/leaf-ec-p256.cert.pem`,
      privateKeyPath: `${PKI}/leaf-ec-p256.key.sec1.pem`,
      intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
      trustAnchorArn: TA2,
      profileArn: P2,
      roleArn: 'arn:aws:iam::111122223333:role/Developer',
      durationSeconds: 3600,
    });
    // prod-readonly still runs aws_signing_helper with the same key.
    expect(result).toEqual({ imported: ['dev'], failed: [], keyFilesNowInKeychain: [] });
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'dev'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile dev']]),
    );
  });

  it('imports the rest later, passing the line\'s passphrase, session name, signing region and endpoint', async () => {
    const setup = await setUp('several-profiles.config');
    await applyImport(await prepare(setup), { awsProfiles: ['dev'] }, recorder());
    const afterFirst = await configBytes(setup);
    const second = await prepare(setup, 'linux', ['dev']);
    expect(second.plan.candidates.map((candidate) => candidate.awsProfile)).toEqual(['prod-readonly', 'ci']);
    const added = recorder();
    const result = await applyImport(second, { awsProfiles: ['prod-readonly', 'ci'] }, added);
    expect(added.calls).toEqual([
      expect.objectContaining({ name: 'prod-readonly', roleSessionName: 'alice-laptop', durationSeconds: 900 }),
      {
        name: 'ci',
        certificatePath: `${PKI}/leaf-rsa2048.cert.pem`,
        privateKeyPath: `${PKI}/leaf-rsa2048.key.pkcs8-encrypted.pem`,
        intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
        passphrase: 'rolecall-test',
        trustAnchorArn: TA3,
        profileArn: P3,
        roleArn: 'arn:aws:iam::777788889999:role/ci/Deployer',
        region: 'us-west-2',
        endpoint: 'https://rolesanywhere.us-west-2.amazonaws.com',
      },
    ]);
    expect(result).toEqual({
      imported: ['prod-readonly', 'ci'],
      failed: [],
      keyFilesNowInKeychain: [`${PKI}/leaf-ec-p256.key.sec1.pem`, `${PKI}/leaf-rsa2048.key.pkcs8-encrypted.pem`],
    });
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(afterFirst, [
        [processLine(setup, 'prod-readonly'), 'credential_process=/opt/Rolecall/rolecall credential-process --profile prod-readonly'],
        [processLine(setup, 'ci'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile ci'],
      ]),
    );
  });

  it('prefers a passphrase typed for the import over the one on the line', async () => {
    const setup = await setUp('several-profiles.config');
    const added = recorder();
    await applyImport(await prepare(setup), { awsProfiles: ['ci'], passphrases: { ci: 'typed-now' } }, added);
    expect(added.calls[0]).toEqual(expect.objectContaining({ passphrase: 'typed-now' }));
  });

  it('leaves the lines of profiles that could not be added, and says why', async () => {
    const setup = await setUp('several-profiles.config');
    const added = recorder({ ci: new RolecallError('KEY_PASSPHRASE_WRONG'), 'prod-readonly': new Error('disk on fire: /secret/path') });
    const result = await applyImport(await prepare(setup), { awsProfiles: ['dev', 'prod-readonly', 'ci'] }, added);
    expect(result.imported).toEqual(['dev']);
    expect(result.failed).toEqual([
      { name: 'prod-readonly', problem: expect.objectContaining({ code: 'INTERNAL' }) },
      { name: 'ci', problem: expect.objectContaining({ code: 'KEY_PASSPHRASE_WRONG' }) },
    ]);
    expect(JSON.stringify(result)).not.toContain('disk on fire');
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'dev'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile dev']]),
    );
  });
});

describe('import of a value continued over several lines', () => {
  it('flags the line as multi-line and replaces it, continuation lines included, with one line', async () => {
    const setup = await setUp('multi-line.config');
    const prepared = await prepare(setup);
    expect(prepared.plan.candidates).toEqual([
      expect.objectContaining({
        awsProfile: 'platform',
        certificatePath: `${PKI}/leaf-ec-p384.cert.pem`,
        privateKeyPath: `${PKI}/leaf-ec-p384.key.pkcs8.pem`,
        intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: 'arn:aws:iam::123456789012:role/Platform',
        multiLine: true,
        problems: [],
      }),
    ]);
    const oldBlock = setup.lines.slice(2, 9);
    expect(prepared.plan.configDiff).toBe(
      [
        `--- ${setup.configPath}`,
        `+++ ${setup.configPath}`,
        '@@ -1,12 +1,6 @@',
        ' [profile platform]',
        ' region = us-east-1',
        ...oldBlock.map((text) => `-${text}`),
        '+credential_process = /opt/Rolecall/rolecall credential-process --profile platform',
        ' output = json',
        ' ',
        ' [profile other]',
        '',
      ].join('\n'),
    );
    await applyImport(prepared, { awsProfiles: ['platform'] }, recorder());
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[`${oldBlock.join('\n')}\n`, 'credential_process = /opt/Rolecall/rolecall credential-process --profile platform\n']]),
    );
  });
});

describe('import on Windows', () => {
  it('reads .exe helpers and backslash paths with Windows rules and reports the files that are missing', async () => {
    const setup = await setUp('windows.config');
    const { plan } = await prepare(setup, 'win32');
    expect(plan.candidates).toEqual([
      {
        awsProfile: 'default',
        name: 'default',
        tool: 'aws_signing_helper',
        certificatePath: `${PKI}/leaf-rsa2048.cert.pem`,
        privateKeyPath: `${PKI}/leaf-rsa2048.key.pkcs1.pem`,
        intermediatesPath: `${PKI}/intermediate-ca.cert.pem`,
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: DEVELOPER,
        multiLine: false,
        problems: [],
      },
      {
        awsProfile: 'laptop',
        name: 'laptop',
        tool: 'aws_signing_helper',
        certificatePath: 'C:\\Users\\alice\\.aws\\certs\\alice.pem',
        privateKeyPath: 'C:\\Users\\alice\\My Keys\\alice.key',
        intermediatesPath: '\\\\fileserver\\pki\\intermediate.pem',
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: DEVELOPER,
        multiLine: false,
        problems: [
          expect.objectContaining({ code: 'FILE_UNREADABLE', detail: 'C:\\Users\\alice\\.aws\\certs\\alice.pem' }),
          expect.objectContaining({ code: 'FILE_UNREADABLE', detail: 'C:\\Users\\alice\\My Keys\\alice.key' }),
          expect.objectContaining({ code: 'FILE_UNREADABLE', detail: '\\\\fileserver\\pki\\intermediate.pem' }),
        ],
      },
    ]);
  });

  it('writes the new line with Windows quoting for the launcher', async () => {
    const setup = await setUp('windows.config');
    const result = await applyImport(await prepare(setup, 'win32'), { awsProfiles: ['default', 'laptop'] }, recorder());
    expect(result.imported).toEqual(['default']);
    expect(result.failed).toEqual([{ name: 'laptop', problem: expect.objectContaining({ code: 'FILE_UNREADABLE' }) }]);
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'default'), 'credential_process = "C:\\Program Files\\Rolecall\\Rolecall.exe" credential-process --profile default']]),
    );
  });

  it('keeps CRLF line endings, changing only the imported line', async () => {
    const setup = await setUp('crlf.config');
    expect(setup.before.toString('utf8')).toContain('\r\n');
    const prepared = await prepare(setup, 'win32');
    expect(prepared.plan.candidates.map((candidate) => [candidate.awsProfile, candidate.problems])).toEqual([['win-dev', []]]);
    await applyImport(prepared, { awsProfiles: ['win-dev'] }, recorder());
    const after = (await configBytes(setup)).toString('utf8');
    expect(after).toBe(withSwaps(setup.before, [[processLine(setup, 'win-dev'), 'credential_process = "C:\\Program Files\\Rolecall\\Rolecall.exe" credential-process --profile win-dev']]));
    expect(after.split('\r\n')).toHaveLength(setup.before.toString('utf8').split('\r\n').length);
  });
});

describe('import of quoted paths with spaces', () => {
  it('reads single-, double- and backslash-quoted paths as whole paths', async () => {
    const setup = await setUp('quoted-spaces.config');
    const prepared = await prepare(setup);
    expect(prepared.plan.candidates).toEqual([
      expect.objectContaining({
        awsProfile: 'alice',
        certificatePath: join(setup.spaced, 'alice cert.pem'),
        privateKeyPath: join(setup.spaced, 'alice key.pem'),
        intermediatesPath: join(setup.spaced, 'intermediate ca.pem'),
        problems: [],
      }),
    ]);
    const result = await applyImport(prepared, { awsProfiles: ['alice'] }, recorder());
    expect(result.keyFilesNowInKeychain).toEqual([join(setup.spaced, 'alice key.pem')]);
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'alice'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile alice']]),
    );
  });
});

describe('import from a config full of other things', () => {
  it('finds only the signing helper line, expands ~/ paths, and leaves every other byte alone', async () => {
    const setup = await setUp('mixed.config');
    const prepared = await prepare(setup);
    expect(prepared.plan.candidates).toEqual([
      {
        awsProfile: 'ra-dev',
        name: 'ra-dev',
        tool: 'aws_signing_helper',
        certificatePath: join(setup.home, 'certs', 'alice.pem'),
        privateKeyPath: join(setup.home, 'certs', 'alice.key'),
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: DEVELOPER,
        multiLine: false,
        problems: [],
      },
    ]);
    await applyImport(prepared, { awsProfiles: ['ra-dev'] }, recorder());
    expect((await configBytes(setup)).toString('utf8')).toBe(
      withSwaps(setup.before, [[processLine(setup, 'ra-dev'), 'credential_process = /opt/Rolecall/rolecall credential-process --profile ra-dev']]),
    );
  });
});

describe('import next to lines Rolecall runs already', () => {
  it('skips managed lines and offers the drop-in line', async () => {
    const setup = await setUp('already-rolecall.config');
    const { plan } = await prepare(setup, 'linux', ['dev', 'old-node']);
    expect(plan.candidates).toEqual([
      {
        awsProfile: 'drop-in',
        name: 'drop-in',
        tool: 'rolecall',
        certificatePath: `${PKI}/leaf-by-root.cert.pem`,
        privateKeyPath: `${PKI}/leaf-by-root.key.pkcs8.pem`,
        trustAnchorArn: TA1,
        profileArn: P1,
        roleArn: DEVELOPER,
        multiLine: false,
        problems: [],
      },
    ]);
  });

  it('will not take the name of an existing Rolecall profile', async () => {
    const setup = await setUp('already-rolecall.config');
    const prepared = await prepare(setup, 'linux', ['dev', 'old-node', 'drop-in']);
    expect(prepared.plan.candidates[0]?.problems).toEqual([expect.objectContaining({ code: 'PROFILE_EXISTS' })]);
    expect(prepared.plan.configDiff).toBe('');
  });
});

describe('import of setups Rolecall cannot take over', () => {
  it('names the problem of each line', async () => {
    const setup = await setUp('unsupported.config');
    const { plan } = await prepare(setup);
    expect(plan.candidates.map((candidate) => [candidate.awsProfile, candidate.problems.map((problem) => problem.code)])).toEqual([
      ['windows-store', ['NOT_SUPPORTED_YET', 'IMPORT_LINE_INVALID']],
      ['tpm', ['NOT_SUPPORTED_YET', 'NOT_SUPPORTED_YET']],
      ['insecure', ['IMPORT_OPTION_UNSUPPORTED']],
      ['missing-files', ['FILE_UNREADABLE', 'FILE_UNREADABLE']],
      ['broken-quote', ['IMPORT_LINE_INVALID']],
    ]);
    const details = plan.candidates.flatMap((candidate) => candidate.problems.map((problem) => problem.detail));
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringContaining('handle:'),
        expect.stringContaining('--cert-selector'),
        expect.stringContaining('--certificate is missing'),
        expect.stringContaining('--no-verify-ssl'),
        '/etc/pki/rolesanywhere/gone.pem',
        expect.stringContaining('certs/relative.key is a relative path'),
      ]),
    );
    expect(JSON.stringify(plan)).not.toContain('tpm-secret-pin');
    expect(plan.configDiff).toBe('');
  });

  it('adds nothing and changes no byte when every chosen line has a problem', async () => {
    const setup = await setUp('unsupported.config');
    const added = recorder();
    const names = ['windows-store', 'tpm', 'insecure', 'missing-files', 'broken-quote'];
    const result = await applyImport(await prepare(setup), { awsProfiles: names }, added);
    expect(added.calls).toEqual([]);
    expect(result.imported).toEqual([]);
    expect(result.failed.map((failure) => failure.name)).toEqual(names);
    expect(await configBytes(setup)).toEqual(setup.before);
  });
});
