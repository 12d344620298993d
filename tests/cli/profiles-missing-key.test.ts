// A profile whose key went missing from the keychain (the user cleared it, a keyring was reset): the
// error names the command that stores it again with the profile's real name, and that command works:
// `profiles edit NAME --private-key FILE` checks the file holds the key of the profile's own
// certificate, stores it, and the session comes back. Built CLI, real agent, keychain and sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileRepository } from '../../src/core/profiles/repository';
import { KeytarSecretStore } from '../../src/core/secrets';
import type { Sandbox } from '../../src/sandbox/server';
import type { ProfileView } from '../../src/shared/model';
import { uniqueName } from '../agent-cli/agent-profiles';
import { FIXTURE_PASSWORD, pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

let sandbox: Sandbox;
let env: IsolatedEnv;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

const ecLeaf = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')];

async function keychainAccount(name: string): Promise<string> {
  const definition = await new ProfileRepository({ dataDir: env.dataDir }).require(name);
  if (definition.key.kind !== 'keychain') throw new Error(`${name} keeps its key in a file`);
  return definition.key.account;
}

async function addWithLostKey(name: string): Promise<string> {
  const added = await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf]);
  expect(added.code, added.stderr).toBe(0);
  const account = await keychainAccount(name);
  expect(await new KeytarSecretStore().delete(account)).toBe(true);
  return account;
}

describe('a profile whose key is missing from the keychain', () => {
  it('names the real profile in the next step, and `profiles edit NAME --private-key FILE` stores the key again', async () => {
    const name = uniqueName('lost-key');
    const lost = await addWithLostKey(name);

    const failed = await env.cli(['activate', name]);
    expect(failed.code).not.toBe(0);
    const said = `${failed.stdout}${failed.stderr}`;
    expect(said).toContain('KEYCHAIN_ITEM_MISSING');
    expect(said).toContain(`rolecall profiles edit ${name} --private-key FILE`);
    expect(said).not.toContain('profiles edit NAME');

    const stored = await env.cli(['profiles', 'edit', name, '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem')]);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stdout).toContain(`The key of ${name} is in the keychain again.`);
    const account = await keychainAccount(name);
    expect(account).not.toBe(lost);
    expect(await new KeytarSecretStore().get(account)).toContain('PRIVATE KEY');

    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
    const view = JSON.parse((await env.cli(['profiles', 'show', name, '--json'])).stdout) as ProfileView;
    expect(view.status).toBe('active');
    expect(view.certificate.subject).toContain('CN=');
  });

  it('asks for the passphrase of an encrypted key file', async () => {
    const name = uniqueName('lost-key-encrypted');
    await addWithLostKey(name);
    const stored = await env.cli(['profiles', 'edit', name, '--private-key', pkiPath('leaf-ec-p256.key.sec1-encrypted.pem'), '--passphrase-stdin'], { input: `${FIXTURE_PASSWORD}\n` });
    expect(stored.code, stored.stderr).toBe(0);
    expect(await new KeytarSecretStore().get(await keychainAccount(name))).toContain('PRIVATE KEY');
  });

  it('refuses a key file that is not the key of the profile\'s certificate, and keeps the profile as it was', async () => {
    const name = uniqueName('lost-key-other');
    const lost = await addWithLostKey(name);
    const refused = await env.cli(['profiles', 'edit', name, '--private-key', pkiPath('leaf-ec-p384.key.pkcs8.pem')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('KEY_CERT_MISMATCH');
    expect(refused.stderr).toContain(`is not the key of the certificate of profile ${name}`);
    expect(await keychainAccount(name)).toBe(lost);
  });
});
