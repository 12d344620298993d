// `rolecall doctor` looks at profiles: the built CLI against a real background agent, the run's
// throwaway keychain (an item deleted with keytar, as a user's keyring clean-up would), temp AWS files
// and the sandbox, whose refusals make the failed profiles.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IniDocument, profileSection } from '../../src/core/awsfiles';
import { KeytarSecretStore } from '../../src/core/secrets';
import type { Sandbox } from '../../src/sandbox/server';
import { ERRORS } from '../../src/shared/errors';
import { uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt, type CliResult } from '../helpers/cli';
import { pkiPath } from '../helpers/fixtures';
import { ACCOUNT, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, arnFlags, startFixtureSandbox, storeFixtureProfile } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

interface DoctorJson {
  readonly ok: boolean;
  readonly agent: { readonly pid: number; readonly host: string; readonly version: string; readonly startedAt: string; readonly uptimeSeconds: number; readonly keychain: string };
  readonly checks: readonly { readonly name: string; readonly status: 'ok' | 'warn' | 'fail'; readonly detail: string; readonly next?: string; readonly profile?: string }[];
}

let sandbox: Sandbox;
let dir: string;
const run = promisify(execFile);

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-doctor-'));
});

afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
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
    const repository = await storeFixtureProfile(env.dataDir, expired, 'expired', sandbox.url);
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

/** The fixture leaf's key certified again by the fixture issuing CA, valid for `days` from now. */
async function leafValidFor(days: number): Promise<string> {
  const csr = join(dir, `soon-${days}.csr`);
  const certificate = join(dir, `soon-${days}.cert.pem`);
  const extensions = join(dir, 'leaf.ext');
  await writeFile(extensions, 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n');
  await run('openssl', ['req', '-new', '-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '-subj', '/CN=doctor-soon/OU=devops/O=Rolecall Tests', '-out', csr]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', pkiPath('intermediate-ca.cert.pem'), '-CAkey', pkiPath('intermediate-ca.key.pem'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'),
    '-days', String(days), '-sha256', '-extfile', extensions, '-out', certificate]);
  return certificate;
}

function findingsOf(report: DoctorJson, name: string): DoctorJson['checks'] {
  return report.checks.filter((check) => check.profile === name);
}

describe('rolecall doctor on certificates', SLOW, () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('warns of a certificate that expires in 10 days (30 days ahead), on that profile only, and exits 0', async () => {
    const soon = uniqueName('soon');
    const later = uniqueName('later');
    ok(await env.cli(['profiles', 'add', soon, '--endpoint', sandbox.url, ...arnFlags(), '--certificate', await leafValidFor(10), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem'), '--activate']));
    ok(await env.cli(['profiles', 'add', later, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf]));

    const { code, report } = await doctorJson(env);
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([
      {
        name: `certificate of ${soon}`,
        profile: soon,
        status: 'warn',
        detail: expect.stringMatching(/^expires in (9|10) days \(\d{4}-\d\d-\d\dT/),
        next: `${ERRORS.CERT_EXPIRED.next} To update it: \`rolecall profiles edit ${soon} --certificate CERT_FILE --private-key KEY_FILE\`.`,
      },
    ]);
    expect(findingsOf(report, later)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);

    const text = await env.cli(['doctor'], { timeoutMs: 60_000 });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`certificate of ${soon} +expires in (9|10) days`));
  });

  it('fails on a certificate that is not valid yet, and says to check the clock', async () => {
    const early = uniqueName('early');
    // Stored as a profile made elsewhere would be: `profiles add` itself refuses such a certificate.
    await storeFixtureProfile(env.dataDir, early, 'not-yet-valid', sandbox.url);
    ok(await env.cli(['status']));

    const { code, report } = await doctorJson(env);
    expect(findingsOf(report, early)).toEqual([
      {
        name: `certificate of ${early}`,
        profile: early,
        status: 'fail',
        detail: expect.stringMatching(/^not valid before 2100-01-01/),
        next: 'Check this computer\'s clock; if it is right, wait until then or ask your CA for a certificate valid now.',
      },
    ]);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    ok(await env.cli(['profiles', 'remove', early, '--yes']));
  });
});

describe('rolecall doctor on keys, AWS files and sessions', SLOW, () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('reports an active profile whose credential_process line was changed, then removed; the step it names writes it again', async () => {
    const name = uniqueName('process');
    ok(await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--delivery', 'process', '--activate']));
    const original = await readFile(env.configFile, 'utf8');
    const line = /^credential_process = (.+)$/m.exec(original)?.[1];
    expect(line).toContain(`credential-process --profile ${name}`);

    await writeFile(env.configFile, original.replace(`credential_process = ${line ?? ''}`, 'credential_process = /usr/local/bin/aws_signing_helper credential-process --certificate /tmp/c.pem'));
    const changed = await doctorJson(env);
    expect(changed.code).toBe(1);
    expect(findingsOf(changed.report, name)).toContainEqual({
      name: `delivery of ${name}`,
      profile: name,
      status: 'fail',
      detail: `credential_process in [profile ${name}] of ${env.configFile} runs \`/usr/local/bin/aws_signing_helper credential-process --certificate /tmp/c.pem\`, not Rolecall's \`${line ?? ''}\``,
      next: `Run \`rolecall refresh ${name}\`: it mints a session and writes it again.`,
    });

    await writeFile(env.configFile, original.replace(`credential_process = ${line ?? ''}\n`, ''));
    const removed = await doctorJson(env);
    expect(removed.code).toBe(1);
    expect(findingsOf(removed.report, name)).toContainEqual(expect.objectContaining({
      name: `delivery of ${name}`,
      status: 'fail',
      detail: `[profile ${name}] in ${env.configFile} has no credential_process line`,
    }));

    ok(await env.cli(['refresh', name]));
    expect(await readFile(env.configFile, 'utf8')).toContain(`credential_process = ${line ?? ''}`);
    expect(findingsOf((await doctorJson(env)).report, name)).toEqual([]);
    ok(await env.cli(['deactivate', name]));
  });

  it('reports an inactive profile whose name holds another credential_process in the config file', async () => {
    const name = uniqueName('config-clash');
    ok(await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--delivery', 'process']));
    const before = await readFile(env.configFile, 'utf8').catch(() => '');
    await writeFile(env.configFile, `${before}\n[profile ${name}]\ncredential_process = /usr/local/bin/aws_signing_helper credential-process --certificate /tmp/c.pem\nregion = eu-west-1\n`);

    const { code, report } = await doctorJson(env);
    expect(code).toBe(1);
    expect(findingsOf(report, name)).toEqual([
      {
        name: `AWS profile ${name}`,
        profile: name,
        status: 'fail',
        detail: `[profile ${name}] in ${env.configFile} has credential_process, which Rolecall did not write; activating ${name} would be refused`,
        next: `Remove those lines, rename the Rolecall profile (\`rolecall profiles rename ${name} NEW_NAME\`), or let Rolecall take the name over (\`rolecall profiles edit ${name} --force\`).`,
      },
    ]);
    // Refused as doctor said; the refusal stays the profile's last problem until an activation works.
    expect((await env.cli(['activate', name])).code).toBe(1);
    await writeFile(env.configFile, before);
    ok(await env.cli(['activate', name]));
    expect(findingsOf((await doctorJson(env)).report, name)).toEqual([]);
    ok(await env.cli(['deactivate', name]));
  });

  it('reports a --key-in-file profile whose key file is gone, or no longer holds a key', async () => {
    const name = uniqueName('key-file');
    const keyFile = join(dir, `${name}.key.pem`);
    await copyFile(pkiPath('leaf-ec-p256.key.pkcs8.pem'), keyFile);
    ok(await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf.slice(0, 2), '--private-key', keyFile, '--key-in-file', ...ecLeaf.slice(4)]));
    expect(findingsOf((await doctorJson(env)).report, name)).toEqual([]);

    await rm(keyFile);
    const gone = await doctorJson(env);
    expect(gone.code).toBe(1);
    expect(findingsOf(gone.report, name)).toEqual([
      expect.objectContaining({ name: `key file of ${name}`, status: 'fail', detail: expect.stringContaining(`${keyFile} cannot be read`), next: expect.stringContaining(`Put the key back at ${keyFile}`) }),
    ]);

    // Overwritten by the certificate, as a mistyped copy would: readable, but no key to sign with.
    await copyFile(pkiPath('leaf-ec-p256.cert.pem'), keyFile);
    const overwritten = await doctorJson(env);
    expect(overwritten.code).toBe(1);
    expect(findingsOf(overwritten.report, name)).toEqual([expect.objectContaining({ name: `key file of ${name}`, status: 'fail', detail: expect.stringContaining(`${keyFile} cannot be read as a private key: `) })]);
    expect((await env.cli(['activate', name])).code).toBe(1);

    // Another key in its place: readable, and every signing would be refused.
    await copyFile(pkiPath('leaf-ec-p384.key.pkcs8.pem'), keyFile);
    expect(findingsOf((await doctorJson(env)).report, name)).toContainEqual(
      expect.objectContaining({ name: `key file of ${name}`, status: 'fail', detail: `${keyFile} holds a private key that does not belong to the profile's certificate` }),
    );

    await copyFile(pkiPath('leaf-ec-p256.key.pkcs8.pem'), keyFile);
    ok(await env.cli(['activate', name]));
    expect(findingsOf((await doctorJson(env)).report, name)).toEqual([]);
    ok(await env.cli(['deactivate', name]));
  });

  it('reports a profile whose last refresh failed, and one whose session expired without renewal', async () => {
    const refused = uniqueName('refresh-failed');
    const lapsed = uniqueName('lapsed');
    const raProfile = sandbox.config.profiles[0];
    if (!raProfile) throw new Error('the fixture sandbox has a profile');
    ok(await env.cli(['profiles', 'add', refused, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--activate']));
    sandbox.switches.shortLivedSeconds = 20;
    try {
      ok(await env.cli(['profiles', 'add', lapsed, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--activate']));
      sandbox.switches.shortLivedSeconds = undefined;
      raProfile.enabled = false;
      expect((await env.cli(['refresh', refused])).code).toBe(1);

      const failed = await doctorJson(env);
      expect(failed.code).toBe(1);
      expect(findingsOf(failed.report, refused).find((check) => check.name === `profile ${refused}`)).toEqual({
        name: `profile ${refused}`,
        profile: refused,
        status: 'fail',
        detail: expect.stringMatching(/^failed: .*disabled/i),
        next: ERRORS.RA_PROFILE_DISABLED.next,
      });

      const rows = JSON.parse(ok(await env.cli(['status', '--json'])).stdout) as { name: string; expiresAt?: string }[];
      const expiresAt = Date.parse(rows.find((row) => row.name === lapsed)?.expiresAt ?? '');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1500));
      const expired = await doctorJson(env);
      expect(expired.code).toBe(1);
      expect(findingsOf(expired.report, lapsed).find((check) => check.name === `profile ${lapsed}`)).toEqual({
        name: `profile ${lapsed}`,
        profile: lapsed,
        status: 'fail',
        detail: expect.stringMatching(/^its session expired and could not be renewed: .*disabled/i),
        next: ERRORS.RA_PROFILE_DISABLED.next,
      });
    } finally {
      sandbox.switches.shortLivedSeconds = undefined;
      raProfile.enabled = true;
    }
    ok(await env.cli(['refresh', refused]));
    ok(await env.cli(['refresh', lapsed]));
    const after = await doctorJson(env);
    expect([...findingsOf(after.report, refused), ...findingsOf(after.report, lapsed)]).toEqual([]);
  });
});
