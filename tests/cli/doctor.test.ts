// `rolecall doctor` looks at profiles: the built CLI against a real background agent, the run's
// throwaway keychain (an item deleted with keytar, as a user's keyring clean-up would), temp AWS files
// and the sandbox, whose refusals make the failed profiles.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IniDocument, profileSection } from '../../src/core/awsfiles';
import { ProfileRepository } from '../../src/core/profiles/repository';
import { KeytarSecretStore } from '../../src/core/secrets';
import type { Sandbox } from '../../src/sandbox/server';
import { ERRORS } from '../../src/shared/errors';
import { uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt, type CliResult } from '../helpers/cli';
import { pkiPath, readPki } from '../helpers/fixtures';
import { ACCOUNT, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

interface DoctorJson {
  readonly ok: boolean;
  readonly agent: { readonly pid: number; readonly host: string; readonly version: string; readonly startedAt: string; readonly uptimeSeconds: number; readonly keychain: string };
  readonly checks: readonly { readonly name: string; readonly status: 'ok' | 'warn' | 'fail'; readonly detail: string; readonly next?: string; readonly profile?: string }[];
}

let sandbox: Sandbox;

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterAll(async () => {
  await sandbox?.stop();
});

const ecLeaf = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')];
const SLOW = { timeout: 120_000 };

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function doctorJson(env: IsolatedEnv): Promise<{ code: number | null; report: DoctorJson }> {
  const result = await env.cli(['doctor', '--json'], { timeoutMs: 60_000 });
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorJson };
}

describe('rolecall doctor on a healthy setup', SLOW, () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('passes with an active profile, and prints the agent and every check as JSON', async () => {
    const name = uniqueName('healthy');
    ok(await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--activate']));
    const { code, report } = await doctorJson(env);
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    expect(report.agent).toEqual({ pid: expect.any(Number), host: 'headless', version: expect.any(String), startedAt: expect.any(String), uptimeSeconds: expect.any(Number), keychain: 'reachable' });
    expect(report.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['keychain', 'agent', 'agent keychain', 'proxy', 'profiles', 'keychain items', 'certificates', 'AWS deliveries', 'AWS profile names']),
    );
    expect(report.checks.find((check) => check.name === 'profiles')?.detail).toBe('1 profile: 1 active, 0 inactive, none failing');
    for (const check of report.checks) expect(Object.keys(check).every((key) => ['name', 'status', 'detail', 'next', 'profile'].includes(key))).toBe(true);
  });
});

describe('rolecall doctor with failed profiles', SLOW, () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('reports four failed profiles, one with its keychain item deleted, each with its next step, and exits 1', async () => {
    const keyGone = uniqueName('key-gone');
    const wrongRole = uniqueName('wrong-role');
    const noProfile = uniqueName('no-profile');
    const expired = uniqueName('expired');
    const otherRole = `arn:aws:iam::${ACCOUNT}:role/NotInTheProfile`;
    const missingProfile = PROFILE_ARN.replace(/[0-9a-f]{12}$/, 'ffffffffffff');
    ok(await env.cli(['profiles', 'add', keyGone, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf]));
    ok(await env.cli(['profiles', 'add', wrongRole, '--endpoint', sandbox.url, '--trust-anchor-arn', TRUST_ANCHOR_ARN, '--profile-arn', PROFILE_ARN, '--role-arn', otherRole, ...ecLeaf]));
    ok(await env.cli(['profiles', 'add', noProfile, '--endpoint', sandbox.url, '--trust-anchor-arn', TRUST_ANCHOR_ARN, '--profile-arn', missingProfile, '--role-arn', ROLE_ARN, ...ecLeaf]));
    // Added while its certificate was valid, its key kept in the user's own file.
    const now = new Date().toISOString();
    const repository = new ProfileRepository({ dataDir: env.dataDir });
    await repository.add({
      name: expired,
      certificatePem: readPki('expired.cert.pem'),
      chainPem: [readPki('intermediate-ca.cert.pem')],
      key: { kind: 'file', path: pkiPath('expired.key.pkcs8.pem') },
      trustAnchorArn: TRUST_ANCHOR_ARN,
      profileArn: PROFILE_ARN,
      roleArn: ROLE_ARN,
      durationSeconds: 3600,
      autoRefresh: true,
      delivery: 'file',
      endpoint: sandbox.url,
      createdAt: now,
      updatedAt: now,
    });
    // The agent reads the store again when asked for the state.
    ok(await env.cli(['status']));
    const stored = await repository.get(keyGone);
    if (stored?.key.kind !== 'keychain') throw new Error('the profile\'s key should be in the keychain');
    expect(await new KeytarSecretStore().delete(stored.key.account)).toBe(true);

    for (const name of [keyGone, wrongRole, noProfile, expired]) expect((await env.cli(['activate', name])).code).toBe(1);

    const { code, report } = await doctorJson(env);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const failed = (name: string) => report.checks.filter((check) => check.profile === name && check.status === 'fail');
    for (const name of [keyGone, wrongRole, noProfile, expired]) {
      const status = failed(name).find((check) => check.name === `profile ${name}`);
      expect(status?.detail ?? JSON.stringify(report.checks.filter((check) => check.profile === name)), name).toMatch(/^failed: /);
      expect(status?.next, name).toBeTruthy();
    }
    expect(failed(keyGone).find((check) => check.name === `keychain item of ${keyGone}`)).toMatchObject({
      detail: `the private key's keychain item (account "${stored.key.account}") is missing`,
      next: `Store its key again from the file that holds it: \`rolecall profiles edit ${keyGone} --private-key KEY_FILE\` (the key must belong to the profile's certificate).`,
    });
    expect(failed(keyGone).find((check) => check.name === `profile ${keyGone}`)?.detail).toContain(ERRORS.KEYCHAIN_ITEM_MISSING.message);
    expect(failed(expired).find((check) => check.name === `certificate of ${expired}`)).toMatchObject({ detail: expect.stringMatching(/^expired on 2021-06-01/), next: expect.stringContaining(ERRORS.CERT_EXPIRED.next) });
    // The others' keys are there: only the deleted one is reported.
    expect(report.checks.filter((check) => check.name.startsWith('keychain item of ')).map((check) => check.profile)).toEqual([keyGone]);

    const text = await env.cli(['doctor'], { timeoutMs: 60_000 });
    expect(text.code).toBe(1);
    for (const name of [keyGone, wrongRole, noProfile, expired]) expect(text.stdout).toMatch(new RegExp(`✖ profile ${name} +failed: `));
    expect(text.stdout).toMatch(new RegExp(`✖ keychain item of ${keyGone} +the private key's keychain item`));
    expect(text.stdout).toContain(`→ Store its key again from the file that holds it: \`rolecall profiles edit ${keyGone} --private-key KEY_FILE\``);
    expect(text.stdout).not.toContain('Everything looks right');

    // The step it names works: the key is stored again and the profile activates.
    ok(await env.cli(['profiles', 'edit', keyGone, '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem')]));
    ok(await env.cli(['activate', keyGone]));
    const after = await doctorJson(env);
    expect(after.report.checks.filter((check) => check.profile === keyGone)).toEqual([]);
  });

  it('reports an active profile whose delivered keys were replaced, and one whose name holds the user\'s own credentials', async () => {
    const tampered = uniqueName('tampered');
    const clashing = uniqueName('clashing');
    ok(await env.cli(['profiles', 'add', tampered, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--activate']));
    ok(await env.cli(['profiles', 'add', clashing, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--delivery', 'process']));
    const credentials = IniDocument.parse(await readFile(env.credentialsFile));
    credentials.set(profileSection('credentials', tampered), { aws_access_key_id: 'ASIAIOSFODNN7EXAMPLE' });
    await writeFile(env.credentialsFile, credentials.serialize());
    // Static keys under the name beat a credential_process line in every SDK.
    await writeFile(env.credentialsFile, `${await readFile(env.credentialsFile, 'utf8')}\n[${clashing}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`);

    const { code, report } = await doctorJson(env);
    expect(code).toBe(1);
    expect(report.checks.find((check) => check.name === `delivery of ${tampered}`)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`[${tampered}] in ${env.credentialsFile} holds other keys than the session Rolecall delivered`),
      next: `Run \`rolecall refresh ${tampered}\`: it mints a session and writes it again.`,
    });
    expect(report.checks.find((check) => check.name === `AWS profile ${clashing}`)).toMatchObject({
      status: 'fail',
      detail: `[${clashing}] in ${env.credentialsFile} has aws_access_key_id, aws_secret_access_key, which Rolecall did not write; activating ${clashing} would be refused`,
    });

    ok(await env.cli(['refresh', tampered]));
    const after = await doctorJson(env);
    expect(after.report.checks.filter((check) => check.profile === tampered)).toEqual([]);
  });
});
