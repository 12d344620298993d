import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromIni, fromProcess } from '@aws-sdk/credential-providers';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  DeliveryInterrupted,
  IniDocument,
  awsFilePaths,
  credentialProcessCommand,
  deliverAsCredentialProcess,
  deliverToCredentialsFile,
  findForeignCredentials,
  foreignCredentials,
  removeOwned,
  withdrawDelivery,
  writeCredentialKeys,
  writeCredentialProcess,
  writeToolRegion,
  type AwsFileKind,
  type AwsFilePaths,
} from '../../../src/core/awsfiles';
import { file, tidyLines, toBytes, wildLines } from './ini-files';

const CREDS = { accessKeyId: 'ASIAROLECALLEXAMPLE1', secretAccessKey: 'rolecall/secret+EXAMPLE', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE==' };
const NEWER = { accessKeyId: 'ASIAROLECALLEXAMPLE2', secretAccessKey: 'rolecall/secret+NEWER', sessionToken: 'IQoJNEWER==' };
const parse = (text: string) => IniDocument.parse(Buffer.from(text, 'utf8'));
const text = (doc: IniDocument) => doc.serialize().toString('utf8');

describe('delivery edits', () => {
  test('file delivery writes exactly the three keys into [NAME] and nothing else', () => {
    const doc = parse('[dev]\nregion = eu-west-1\n');
    const owned = writeCredentialKeys(doc, 'dev', CREDS);
    expect(owned).toEqual({ keys: ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'], createdSection: false });
    expect(text(doc)).toBe(`[dev]\nregion = eu-west-1\naws_access_key_id = ${CREDS.accessKeyId}\naws_secret_access_key = ${CREDS.secretAccessKey}\naws_session_token = ${CREDS.sessionToken}\n`);
  });

  test('a refresh replaces the values in place and keeps what Rolecall owns', () => {
    const doc = parse('# mine\n');
    const first = writeCredentialKeys(doc, 'dev', CREDS);
    const afterFirst = text(doc);
    const second = writeCredentialKeys(doc, 'dev', NEWER, first);
    expect(second).toEqual(first);
    expect(text(doc)).toBe(afterFirst.replace(CREDS.accessKeyId, NEWER.accessKeyId).replace(CREDS.secretAccessKey, NEWER.secretAccessKey).replace(CREDS.sessionToken, NEWER.sessionToken));
  });

  test('adding and then removing what Rolecall wrote restores the file byte for byte', () => {
    fc.assert(fc.property(fc.oneof(file(tidyLines), file(wildLines)), fc.constantFrom('dev', 'prod', 'default', 'new'), fc.boolean(), (generated, name, processMode) => {
      const bytes = toBytes(generated);
      const doc = IniDocument.parse(bytes);
      const kind = processMode ? 'config' : 'credentials';
      // A name with someone else's credentials is refused before any edit; a user region is left alone.
      fc.pre(foreignCredentials(doc, kind, name).length === 0);
      const owned = processMode
        ? writeToolRegion(doc, name, 'eu-west-1', writeCredentialProcess(doc, name, '/usr/bin/rolecall credential-process --profile x'))
        : writeCredentialKeys(doc, name, CREDS);
      if (owned === undefined) throw new Error('nothing owned');
      const later = IniDocument.parse(doc.serialize());
      expect(removeOwned(later, kind, name, owned)).toBeUndefined();
      expect(later.serialize().toString('latin1')).toBe(bytes.toString('latin1'));
    }), { numRuns: 600 });
  });

  test('removal keeps a section Rolecall created once the user added to it', () => {
    const doc = parse('[a]\nx = 1\n');
    const owned = writeCredentialKeys(doc, 'dev', CREDS);
    const edited = parse(`${text(doc)}output = json\n`);
    removeOwned(edited, 'credentials', 'dev', owned);
    expect(text(edited)).toBe('[a]\nx = 1\n\n[dev]\noutput = json\n');
  });

  test('reports credential keys Rolecall did not write, under any spelling of the section', () => {
    const credentials = parse('[dev]\naws_access_key_id = AKIAUSER\nregion = x\n');
    expect(foreignCredentials(credentials, 'credentials', 'dev')).toEqual(['aws_access_key_id']);
    expect(foreignCredentials(credentials, 'credentials', 'dev', { keys: ['aws_access_key_id'], createdSection: false })).toEqual([]);
    const config = parse('[profile "dev"]\nsso_session = corp\nsso_account_id = 1\nregion = x\n[profile prod]\noutput = json\n');
    expect(foreignCredentials(config, 'config', 'dev')).toEqual(['sso_session', 'sso_account_id']);
    expect(foreignCredentials(config, 'config', 'prod')).toEqual([]);
  });

  test('process delivery writes credential_process into [profile NAME], or [default]', () => {
    const doc = parse('[default]\noutput = json\n');
    writeCredentialProcess(doc, 'default', 'rolecall credential-process --profile default');
    writeCredentialProcess(doc, 'dev', 'rolecall credential-process --profile dev');
    expect(text(doc)).toBe('[default]\noutput = json\ncredential_process = rolecall credential-process --profile default\n\n[profile dev]\ncredential_process = rolecall credential-process --profile dev\n');
  });

  describe('tool region', () => {
    test('is written when the user set one, and updated while Rolecall owns it', () => {
      const doc = parse('');
      const owned = writeToolRegion(doc, 'dev', 'eu-west-1');
      writeToolRegion(doc, 'dev', 'us-east-2', owned);
      expect(text(doc)).toBe('[profile dev]\nregion = us-east-2\n');
    });

    test('never overwrites a region the user wrote, even after the user clears theirs in Rolecall', () => {
      const doc = parse('[profile dev]\nregion = ap-south-1\n');
      expect(writeToolRegion(doc, 'dev', 'eu-west-1')).toBeUndefined();
      expect(writeToolRegion(doc, 'dev', undefined)).toBeUndefined();
      expect(text(doc)).toBe('[profile dev]\nregion = ap-south-1\n');
    });

    test('is removed when the user clears it, if Rolecall wrote it', () => {
      const doc = parse('# top\n');
      const process = writeCredentialProcess(doc, 'dev', 'rolecall x');
      const owned = writeToolRegion(doc, 'dev', 'eu-west-1', process);
      expect(writeToolRegion(doc, 'dev', undefined, owned)).toEqual(process);
      expect(text(doc)).toBe('# top\n\n[profile dev]\ncredential_process = rolecall x\n');
    });

    test('is not written when none is set', () => {
      const doc = parse('');
      expect(writeToolRegion(doc, 'dev', undefined)).toBeUndefined();
      expect(doc.serialize().length).toBe(0);
    });
  });
});

describe('delivering through the files', () => {
  let home: string;
  let paths: AwsFilePaths;
  const USER_CREDENTIALS = '# keys\r\n[work]\r\naws_access_key_id = AKIAWORK\r\naws_secret_access_key = workSecret\r\n';
  const USER_CONFIG = '[default]\nregion = us-east-1\n\n[profile work]\nregion = eu-central-1\ns3 =\n  addressing_style = path\n';

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rolecall-deliver-'));
    paths = awsFilePaths({}, home);
    await mkdir(join(home, '.aws'));
    await writeFile(paths.credentials, USER_CREDENTIALS);
    await writeFile(paths.config, USER_CONFIG);
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const files = async () => ({ credentials: await readFile(paths.credentials, 'utf8'), config: await readFile(paths.config, 'utf8') });

  test('refuses a name that holds the user\'s keys, and changes nothing', async () => {
    await expect(deliverToCredentialsFile(paths, 'work', CREDS)).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN', detail: expect.stringContaining('aws_access_key_id') });
    await expect(deliverAsCredentialProcess(paths, 'work', 'rolecall x')).rejects.toMatchObject({ code: 'AWS_PROFILE_TAKEN' });
    expect(await files()).toEqual({ credentials: USER_CREDENTIALS, config: USER_CONFIG });
  });

  test('refuses file delivery for a name whose config runs its own credential_process', async () => {
    await writeFile(paths.config, `${USER_CONFIG}[profile dev]\ncredential_process = /usr/local/bin/other-tool\n`);
    const error = await deliverToCredentialsFile(paths, 'dev', CREDS).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AWS_PROFILE_TAKEN', detail: expect.stringContaining('credential_process') });
    expect((await files()).credentials).toBe(USER_CREDENTIALS);
  });

  test('with force, takes the name over in both files', async () => {
    await writeFile(paths.config, `${USER_CONFIG}[profile work]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n`);
    const kept: AwsFileKind[] = [];
    const delivery = await deliverToCredentialsFile(paths, 'work', CREDS, { force: true, beforeWrite: async (kind, taken) => void (taken && kept.push(kind)) });
    expect(kept).toEqual(['credentials', 'config']);
    expect(delivery.credentials?.keys).toEqual(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);
    const { credentials, config } = await files();
    expect(credentials).toBe(`# keys\r\n[work]\r\naws_access_key_id = ${CREDS.accessKeyId}\r\naws_secret_access_key = ${CREDS.secretAccessKey}\r\naws_session_token = ${CREDS.sessionToken}\r\n`);
    expect(config).toBe(`${USER_CONFIG}[profile work]\n`);
    expect(await findForeignCredentials(paths, 'work', delivery)).toEqual({ credentials: [], config: [] });
  });

  test('switching between file and process delivery leaves one way only, and withdrawing restores both files', async () => {
    const asFile = await deliverToCredentialsFile(paths, 'dev', CREDS, { region: 'eu-west-1' });
    const asProcess = await deliverAsCredentialProcess(paths, 'dev', 'rolecall credential-process --profile dev', { owned: asFile, region: 'eu-west-1' });
    expect(asProcess.credentials).toBeUndefined();
    expect(await files()).toEqual({
      credentials: USER_CREDENTIALS,
      config: `${USER_CONFIG}\n[profile dev]\nregion = eu-west-1\ncredential_process = rolecall credential-process --profile dev\n`,
    });
    const back = await deliverToCredentialsFile(paths, 'dev', NEWER, { owned: asProcess, region: 'eu-west-1' });
    expect((await files()).config).toBe(`${USER_CONFIG}\n[profile dev]\nregion = eu-west-1\n`);
    expect(await withdrawDelivery(paths, 'dev', back)).toEqual({});
    expect(await files()).toEqual({ credentials: USER_CREDENTIALS, config: USER_CONFIG });
  });

  test('a refresh rewrites only the credentials file and keeps the region Rolecall wrote', async () => {
    const first = await deliverToCredentialsFile(paths, 'dev', CREDS, { region: 'eu-west-1' });
    const config = await readFile(paths.config);
    const configStat = await stat(paths.config);
    const refreshed = await deliverToCredentialsFile(paths, 'dev', NEWER, { owned: first });
    expect(refreshed).toEqual(first);
    expect((await readFile(paths.config)).equals(config)).toBe(true);
    expect((await stat(paths.config)).mtimeMs).toBe(configStat.mtimeMs);
    expect((await readFile(paths.credentials, 'utf8'))).toContain(`aws_access_key_id = ${NEWER.accessKeyId}`);
    const cleared = await deliverToCredentialsFile(paths, 'dev', NEWER, { owned: refreshed, region: null });
    expect(cleared.config).toBeUndefined();
    expect((await files()).config).toBe(USER_CONFIG);
  });

  test('reports what was delivered when the second file cannot be written', async () => {
    await rm(paths.config);
    await mkdir(paths.config);
    const error = await deliverToCredentialsFile(paths, 'dev', CREDS, { region: 'eu-west-1', force: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryInterrupted);
    expect((error as DeliveryInterrupted).code).toBe('FILE_UNREADABLE');
    expect((error as DeliveryInterrupted).delivery.credentials?.keys).toContain('aws_access_key_id');
  });

  describe('in a 1,000-profile file', () => {
    // The shapes a long-lived team file collects: comments, CRLF sections, nested blocks, odd spacing,
    // unicode names, names that extend the delivered one; Rolecall's section halfway down; no final newline.
    const ours = (keys: typeof CREDS, eol = '\n') => `[rolecall-dev]${eol}aws_access_key_id = ${keys.accessKeyId}${eol}aws_secret_access_key = ${keys.secretAccessKey}${eol}aws_session_token = ${keys.sessionToken}${eol}`;
    const teamFile = (middle: string) => Array.from({ length: 1000 }, (_, i) => {
      if (i === 500) return middle;
      const eol = i % 7 === 0 ? '\r\n' : '\n';
      const name = i % 97 === 0 ? `ünï-${i}` : i % 89 === 0 ? `rolecall-dev-${i}` : `team-${i}`;
      return [
        ...(i % 5 === 0 ? [`# team profile ${i}`] : []),
        `[${name}]`,
        `aws_access_key_id ${i % 13 === 0 ? ':' : '='} AKIAEXAMPLE${String(i).padStart(9, '0')}`,
        `aws_secret_access_key=${'s'.repeat(40)}`,
        ...(i % 11 === 0 ? ['s3 =', '    addressing_style = path'] : ['region = us-east-1']),
        '',
      ].join(eol);
    }).join('').replace(/\n$/, '');
    const owned = { credentials: { keys: ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'], createdSection: true } };

    test('a refresh of one profile changes its three values and leaves every other byte as it was', async () => {
      const before = teamFile(ours(CREDS));
      await writeFile(paths.credentials, before);
      expect(await deliverToCredentialsFile(paths, 'rolecall-dev', NEWER, { owned })).toEqual(owned);
      expect((await readFile(paths.credentials)).equals(Buffer.from(teamFile(ours(NEWER)), 'utf8'))).toBe(true);
    });

    test('a new profile is added at the end, and withdrawing it restores the file byte for byte', async () => {
      const before = Buffer.from(teamFile(''), 'utf8');
      await writeFile(paths.credentials, before);
      const delivery = await deliverToCredentialsFile(paths, 'rolecall-new', CREDS);
      expect((await readFile(paths.credentials)).equals(Buffer.concat([before, Buffer.from(`\n\n${ours(CREDS).replace('rolecall-dev', 'rolecall-new').trimEnd()}`)]))).toBe(true);
      expect(await withdrawDelivery(paths, 'rolecall-new', delivery)).toEqual({});
      expect((await readFile(paths.credentials)).equals(before)).toBe(true);
    });
  });

  describe('real clients read what Rolecall delivers', () => {
    const run = promisify(execFile);
    const aws = (profile: string) => run('/usr/bin/aws', ['configure', 'export-credentials', '--profile', profile, '--format', 'process'], {
      env: { PATH: '/usr/bin:/bin', HOME: home, AWS_SHARED_CREDENTIALS_FILE: paths.credentials, AWS_CONFIG_FILE: paths.config, AWS_EC2_METADATA_DISABLED: 'true' },
    }).then(({ stdout }) => JSON.parse(stdout) as Record<string, string>);

    test('file delivery: the AWS CLI and the JS SDK find the keys next to the user\'s profiles', async () => {
      await deliverToCredentialsFile(paths, 'dev', CREDS);
      expect(await aws('dev')).toMatchObject({ AccessKeyId: CREDS.accessKeyId, SecretAccessKey: CREDS.secretAccessKey, SessionToken: CREDS.sessionToken });
      expect(await aws('work')).toMatchObject({ AccessKeyId: 'AKIAWORK' });
      const sdk = await fromIni({ profile: 'dev', filepath: paths.credentials, configFilepath: paths.config, ignoreCache: true })();
      expect(sdk).toMatchObject({ accessKeyId: CREDS.accessKeyId, sessionToken: CREDS.sessionToken });
    });

    test('process delivery: both run a launcher whose path holds spaces, quotes and " #"', async () => {
      const folder = join(home, "my tools #1 (Ana's)");
      await mkdir(folder);
      const script = join(folder, 'fake cli.mjs');
      await writeFile(script, [
        'const [command, flag, profile] = process.argv.slice(2);',
        "if (command !== 'credential-process' || flag !== '--profile') process.exit(2);",
        `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'ASIA' + profile.toUpperCase(), SecretAccessKey: ${JSON.stringify(CREDS.secretAccessKey)}, SessionToken: 'tok', Expiration: new Date(Date.now() + 3600e3).toISOString() }));`,
      ].join('\n'));
      await deliverAsCredentialProcess(paths, 'dev', credentialProcessCommand([process.execPath, script], 'dev', process.platform));
      expect(await aws('dev')).toMatchObject({ AccessKeyId: 'ASIADEV', SecretAccessKey: CREDS.secretAccessKey });
      const sdk = await fromProcess({ profile: 'dev', filepath: paths.credentials, configFilepath: paths.config, ignoreCache: true })();
      expect(sdk).toMatchObject({ accessKeyId: 'ASIADEV' });
    });
  });
});
