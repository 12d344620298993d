// `rolecall deactivate` hands the user's AWS files back exactly as they were before `activate`:
// comments, other profiles, blank lines, line endings and a section the user already had for the
// name survive activation, refreshes and withdrawal byte for byte.
import { readFile, stat, writeFile } from 'node:fs/promises';
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
});
