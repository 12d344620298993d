// Every command that takes a Rolecall profile name answers a typo with PROFILE_NOT_FOUND and the name
// the user probably meant. Built CLI, real agent and keychain, sandbox.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { uniqueName } from '../agent-cli/agent-profiles';
import { PKI_DIR, pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

let sandbox: Sandbox;
let env: IsolatedEnv;
const NAME = uniqueName('team-dev');
// One letter dropped from the middle.
const TYPO = `${NAME.slice(0, 3)}${NAME.slice(4)}`;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
  const added = await env.cli(['profiles', 'add', NAME, '--endpoint', sandbox.url, ...arnFlags(), '--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')]);
  if (added.code !== 0) throw new Error(added.stderr);
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

describe('a mistyped profile name', () => {
  it.each([
    ['activate', [TYPO]],
    ['deactivate', [TYPO]],
    ['refresh', [TYPO]],
    ['env', [TYPO]],
    ['exec', [TYPO, '--', 'true']],
    ['config', [TYPO]],
    ['policy', [TYPO]],
    ['serve', [TYPO]],
    ['credential-process', ['--profile', TYPO]],
    ['profiles show', [TYPO]],
    ['profiles edit', [TYPO, '--session-duration', '900']],
    ['profiles rename', [TYPO, `${NAME}-new`]],
    ['profiles remove', [TYPO, '--yes']],
  ])('rolecall %s suggests the profile it resembles', async (command, args) => {
    const result = await env.cli([...command.split(' '), ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('PROFILE_NOT_FOUND');
    expect(result.stderr).toContain(`${TYPO}; did you mean ${NAME}?`);
  });

  it('rolecall import --only suggests the AWS profile with a credential_process line it resembles', async () => {
    const line = (await readFile(join(import.meta.dirname, '..', 'fixtures', 'aws-config', 'reference.config'), 'utf8')).replaceAll('{{PKI}}', PKI_DIR);
    await writeFile(env.configFile, line);
    const result = await env.cli(['import', '--only', 'develper']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('IMPORT_NOT_FOUND');
    expect(result.stderr).toContain('develper (did you mean developer?)');
  });
});
