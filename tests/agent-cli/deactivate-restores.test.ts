// `rolecall deactivate` hands the user's AWS files back exactly as they were before `activate`:
// comments, other profiles, blank lines, line endings and a section the user already had for the
// name survive activation, refreshes and withdrawal byte for byte; so do the file's mode, a file that
// did not exist (it goes again), and the user's own keys a `--force` takeover replaced.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { addFixtureProfile, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
let env: IsolatedEnv | undefined;

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

afterAll(async () => {
  await sandbox?.stop();
});

async function cli(isolated: IsolatedEnv, ...args: string[]): Promise<void> {
  const result = await isolated.cli(args);
  expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
}

const credentialsFile = (name: string, eol: string) =>
  [
    '# My AWS credentials. Hands off, tools!',
    '',
    '[default]',
    'aws_access_key_id = AKIAEXAMPLEDEFAULT01',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '',
    `[${name}]`,
    '; the session goes here (a note I keep)',
    '',
    '  [legacy]   ',
    'aws_access_key_id=AKIAEXAMPLELEGACY001',
    'aws_secret_access_key=secret/with=equals',
    '# trailing comment, no newline at the end',
  ].join(eol);

describe('rolecall deactivate', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('restores a %s credentials file with comments and other profiles byte for byte', async (_label, eol) => {
    env = await createIsolatedEnv();
    const name = uniqueName('restore');
    await addFixtureProfile(env, sandbox, name, { delivery: 'file' });
    const before = credentialsFile(name, eol);
    await writeFile(env.credentialsFile, before, { mode: 0o600 });

    await cli(env, 'activate', name);
    const active = await readFile(env.credentialsFile, 'utf8');
    expect(active).toMatch(/aws_session_token = \S+/);
    expect(active.startsWith(before.slice(0, before.indexOf(`[${name}]`)))).toBe(true);
    await cli(env, 'refresh', name);
    expect(await readFile(env.credentialsFile, 'utf8')).not.toBe(active);

    await cli(env, 'deactivate', name);
    expect(await readFile(env.credentialsFile, 'utf8')).toBe(before);
    expect((await stat(env.credentialsFile)).mode & 0o777).toBe(0o600);
  });

  it('restores the config file of a `process` profile the user already had a section for', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('restore-process');
    await addFixtureProfile(env, sandbox, name, { delivery: 'process' });
    const before = [
      '[default]',
      'region = eu-central-1',
      'output = json',
      '',
      '# my own settings for this one',
      `[profile ${name}]`,
      'region = eu-west-1',
      'cli_pager =',
      '',
      '[profile other]',
      'credential_process = /opt/bin/other-helper --flag',
      '',
    ].join('\n');
    await writeFile(env.configFile, before, { mode: 0o600 });

    await cli(env, 'activate', name);
    const active = await readFile(env.configFile, 'utf8');
    expect(active).toContain(`credential-process --profile ${name}`);
    expect(active).toContain('region = eu-west-1');

    await cli(env, 'deactivate', name);
    expect(await readFile(env.configFile, 'utf8')).toBe(before);
  });

  const mode = async (path: string) => (await stat(path)).mode & 0o777;

  it.each([
    ['0644', 0o644, '0600', 0o600],
    ['0444', 0o444, '0400', 0o400],
  ])('gives a %s credentials file its mode back (%s while active)', async (_label, original, _activeLabel, active) => {
    env = await createIsolatedEnv();
    const name = uniqueName('mode');
    await addFixtureProfile(env, sandbox, name, { delivery: 'file' });
    const before = credentialsFile(name, '\n');
    await writeFile(env.credentialsFile, before, { mode: original });

    await cli(env, 'activate', name);
    expect(await mode(env.credentialsFile)).toBe(active);
    await cli(env, 'deactivate', name);
    expect(await mode(env.credentialsFile)).toBe(original);
    expect(await readFile(env.credentialsFile, 'utf8')).toBe(before);
  });

  it('removes a credentials file that did not exist before activate, and keeps the folder', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('created');
    await addFixtureProfile(env, sandbox, name, { delivery: 'file' });
    await expect(stat(env.credentialsFile)).rejects.toMatchObject({ code: 'ENOENT' });

    await cli(env, 'activate', name);
    expect(await mode(env.credentialsFile)).toBe(0o600);
    await cli(env, 'deactivate', name);
    await expect(stat(env.credentialsFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(env.root, '.aws'))).isDirectory()).toBe(true);
  });

  it('gives back the user\'s own static keys that --force replaced, byte for byte, without ever writing them to Rolecall\'s folder', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('force');
    await addFixtureProfile(env, sandbox, name, { delivery: 'file' });
    const userKeyId = 'AKIAUSEROWNSTATIC001';
    const userSecret = 'userOwnSecret/K7MDENG+bPxRfiCYzzzz';
    const before = [
      '[default]',
      'region = eu-west-1',
      '',
      '# my own long-lived keys for this account',
      `[${name}]`,
      `aws_access_key_id   =   ${userKeyId}`,
      '; rotated in January',
      `aws_secret_access_key=${userSecret}`,
      '',
      '[other]',
      'aws_access_key_id = AKIAOTHER',
      'aws_secret_access_key = otherSecret',
    ].join('\n');
    await writeFile(env.credentialsFile, before, { mode: 0o600 });
    const refused = await env.cli(['activate', name]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('AWS_PROFILE_TAKEN');

    await cli(env, 'profiles', 'edit', name, '--force');
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
    const active = await readFile(env.credentialsFile, 'utf8');
    expect(active).not.toContain(userSecret);
    expect(active).toContain('; rotated in January');
    await cli(env, 'refresh', name);
    for (const output of [refused, activated]) expect(output.stdout + output.stderr).not.toContain(userSecret);
    expect(await secretsUnder(env.dataDir, userSecret)).toEqual([]);

    await cli(env, 'deactivate', name);
    expect(await readFile(env.credentialsFile, 'utf8')).toBe(before);
    expect(await secretsUnder(env.dataDir, userSecret)).toEqual([]);
    // The AWS CLI reads the user's own keys under that name again.
    const { stdout } = await promisify(execFile)('/usr/bin/aws', ['configure', 'export-credentials', '--profile', name, '--format', 'process'], { env: env.env });
    expect(JSON.parse(stdout)).toMatchObject({ AccessKeyId: userKeyId, SecretAccessKey: userSecret });
  });
});

/** Files under `dir` that contain `secret`. */
async function secretsUnder(dir: string, secret: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const found: string[] = [];
  for (const path of files) {
    const text = await readFile(path).catch(() => Buffer.alloc(0));
    if (text.includes(secret)) found.push(path);
  }
  return found;
}
