// Removing an imported profile gives the config file back as it was before the import, byte for byte:
// the user's aws_signing_helper line returns in place (whether the profile was active or not) and the
// file's mode with it; no `rolecall credential-process --profile NAME` line is left to fail. Built CLI,
// real agent and keychain, the sandbox standing in for Roles Anywhere.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { uniqueName } from '../agent-cli/agent-profiles';
import { CLI_PATH } from '../helpers/cli';
import { PKI_DIR, pkiPath, readPki } from '../helpers/fixtures';
import { ROLE_ARN, arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'aws-config', 'reference.config');

let sandbox: Sandbox;
let env: IsolatedEnv | undefined;

beforeAll(async () => {
  sandbox = await startFixtureSandbox({
    trustAnchors: [{ id: '2f4b1c3e-7d8a-4e9f-b0c1-d2e3f4a5b6c7', name: 'laptops', caPem: readPki('root-ca.cert.pem') }],
    profiles: [{ id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', name: 'developers', roleArns: [ROLE_ARN], acceptRoleSessionName: false, durationSeconds: 3600 }],
  });
});

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

afterAll(async () => {
  await sandbox?.stop();
});

async function ok(isolated: IsolatedEnv, ...args: string[]): Promise<string> {
  const result = await isolated.cli(args);
  expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The user's config: comments, another profile, CRLF in one place, and the reference's line for `name`. */
async function userConfig(name: string): Promise<string> {
  const line = (await readFile(FIXTURE, 'utf8')).replaceAll('{{PKI}}', PKI_DIR).split('\n')[1] ?? '';
  return ['# my AWS config', '[default]', 'region = eu-west-1', '', `[profile ${name}]`, 'region = us-east-1', `${line}\r`, 'output = json   ', '', '[profile other]', 'region = us-west-2', ''].join('\n');
}

describe('rolecall profiles remove of an imported profile', () => {
  it.each([
    ['inactive', false],
    ['active', true],
  ])('puts the user\'s original line back byte for byte when the profile is %s, with the file\'s mode', async (_label, activate) => {
    env = await createIsolatedEnv();
    const name = uniqueName('imported');
    const before = await userConfig(name);
    await writeFile(env.configFile, before, { mode: 0o644 });

    await ok(env, 'import', '--apply', '--only', name);
    expect(await readFile(env.configFile, 'utf8')).toContain(`credential_process = ${CLI_PATH} credential-process --profile ${name}`);
    if (activate) {
      await ok(env, 'profiles', 'edit', name, '--endpoint', sandbox.url);
      await ok(env, 'activate', name);
      expect(await readFile(env.configFile, 'utf8')).toContain(`--profile ${name}`);
    }

    await ok(env, 'profiles', 'remove', name, '--yes');
    expect(await readFile(env.configFile, 'utf8')).toBe(before);
    expect((await stat(env.configFile)).mode & 0o777).toBe(0o644);
  });

  it('puts the original line back under the old name when the imported profile is renamed', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('imported-renamed');
    const before = await userConfig(name);
    await writeFile(env.configFile, before, { mode: 0o644 });
    await ok(env, 'import', '--apply', '--only', name);
    await ok(env, 'profiles', 'rename', name, `${name}-new`);
    expect(await readFile(env.configFile, 'utf8')).toBe(before);
    await ok(env, 'profiles', 'remove', `${name}-new`, '--yes');
    expect(await readFile(env.configFile, 'utf8')).toBe(before);
  });

  it('leaves no rolecall credential_process line for a removed profile the user pointed a config section at', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('pasted');
    await ok(env, 'profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), '--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem'));
    const others = '# mine\n[profile other]\nregion = us-west-2\n';
    // What `rolecall config NAME` tells the user to paste.
    await writeFile(env.configFile, `${others}\n[profile ${name}]\ncredential_process = ${CLI_PATH} credential-process --profile ${name}\n`);

    await ok(env, 'profiles', 'remove', name, '--yes');
    expect(await readFile(env.configFile, 'utf8')).toBe(others);
  });

  it('leaves a credential_process line of the user\'s own alone', async () => {
    env = await createIsolatedEnv();
    const name = uniqueName('own-line');
    await ok(env, 'profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), '--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem'), '--force');
    const config = `[profile ${name}]\ncredential_process = /opt/vault/creds --role dev\n`;
    await writeFile(env.configFile, config);
    await ok(env, 'profiles', 'remove', name, '--yes');
    expect(await readFile(env.configFile, 'utf8')).toBe(config);
  });
});
