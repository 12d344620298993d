// The profile-management commands (profiles add/list/show/edit/rename/remove, config, discover, doctor)
// run as the built CLI against a real background agent, the run's throwaway keychain, temp AWS files
// and the sandbox. Expected values come from the fixtures and what the sandbox says it issued.
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { ERRORS } from '../../src/shared/errors';
import type { Discovery, ProfileView } from '../../src/shared/model';
import { uniqueName } from '../agent-cli/agent-profiles';
import { CLI_PATH, PROJECT_ROOT, type CliResult } from '../helpers/cli';
import { FIXTURE_PASSWORD, pkiPath } from '../helpers/fixtures';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, arnFlags, startFixtureSandbox, storeFixtureProfile } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
});

afterAll(async () => {
  await sandbox?.stop();
});

const intermediates = ['--intermediates', pkiPath('intermediate-ca.cert.pem')];
const ecLeaf = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), ...intermediates];

function expectSuccess(result: CliResult): void {
  expect(result.code, result.stderr).toBe(0);
}

function json<T>(result: CliResult): T {
  expectSuccess(result);
  return JSON.parse(result.stdout) as T;
}

/** The access key id in [name] of a credentials file, which must be one the sandbox issued. */
function issuedKeyIn(text: string, name: string): string {
  const section = text.split(/^\[/m).find((part) => part.startsWith(`${name}]`)) ?? '';
  const key = /aws_access_key_id = (\S+)/.exec(section)?.[1] ?? '';
  expect(sandbox.issuedCredentials(key), `[${name}] holds keys the sandbox issued`).toBeDefined();
  return key;
}

describe('rolecall profiles', () => {
  let env: IsolatedEnv;
  const add = (name: string, ...flags: string[]) => env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...flags]);
  const PEM = uniqueName('pem');
  const P12 = uniqueName('p12');

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('adds a profile from a PEM certificate and key, showing its principal tags, and lists and shows it as JSON', async () => {
    const added = await add(PEM, ...ecLeaf);
    expectSuccess(added);
    expect(added.stdout).toContain('x509Subject/CN');
    expect(added.stdout).toContain('leaf-ec-p256');
    expect(added.stdout).toContain(`rolecall activate ${PEM}`);

    const listed = json<ProfileView[]>(await env.cli(['profiles', 'list', '--json']));
    const view = listed.find((profile) => profile.name === PEM);
    expect(view).toMatchObject({
      status: 'inactive',
      trustAnchorArn: TRUST_ANCHOR_ARN,
      profileArn: PROFILE_ARN,
      roleArn: ROLE_ARN,
      signingRegion: 'us-east-1',
      durationSeconds: 3600,
      delivery: 'file',
      deliveredTo: env.credentialsFile,
      endpoint: sandbox.url,
      keyStorage: 'keychain',
      certificateState: 'ok',
    });
    expect(view?.certificate.subject).toContain('CN=leaf-ec-p256');
    expect(view?.certificate.principalTags['x509Subject/CN']).toBe('leaf-ec-p256');
    expect(view?.chain.map((link) => link.subject)).toEqual([expect.stringContaining('CN=Rolecall Test Intermediate CA')]);

    const shown = json<ProfileView>(await env.cli(['profiles', 'show', PEM, '--json']));
    expect(shown).toEqual({ ...view, certificateDaysLeft: shown.certificateDaysLeft });
    const text = await env.cli(['profiles', 'show', PEM]);
    expect(text.stdout).toContain(TRUST_ANCHOR_ARN);
  });

  it('adds a profile from an encrypted key with the passphrase on stdin, resolving relative paths against the working folder', async () => {
    const name = uniqueName('encrypted');
    const relativeKey = relative(PROJECT_ROOT, pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem'));
    const added = await env.cli(
      ['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), '--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', relativeKey, ...intermediates, '--passphrase-stdin', '--activate', '--json'],
      { input: `${FIXTURE_PASSWORD}\n`, cwd: PROJECT_ROOT },
    );
    const view = json<ProfileView>(added);
    expect(view.status).toBe('active');
    expect(view.certificate.subject).toContain('CN=leaf-rsa2048');
    issuedKeyIn(await readFile(env.credentialsFile, 'utf8'), name);
    expect(json<{ removed: string }>(await env.cli(['profiles', 'remove', name, '--yes', '--json']))).toEqual({ removed: name });
  });

  it('adds a profile from a PKCS#12 file, warning that --pkcs8-password is visible, and delivers it as credential_process', async () => {
    const added = await add(P12, '--certificate', pkiPath('leaf-ec-p256.p12'), '--pkcs8-password', FIXTURE_PASSWORD, '--delivery', 'process', '--tool-region', 'eu-west-1', '--activate');
    expectSuccess(added);
    expect(added.stderr).toContain('--pkcs8-password is visible to other processes');
    const view = json<ProfileView>(await env.cli(['profiles', 'show', P12, '--json']));
    expect(view).toMatchObject({ status: 'active', delivery: 'process', toolRegion: 'eu-west-1', deliveredTo: env.configFile });
    expect(view.chain).toHaveLength(1);
  });

  it('prints the config lines Rolecall writes: the credential_process line for process delivery, an explanation for file delivery', async () => {
    const processConfig = await env.cli(['config', P12]);
    expectSuccess(processConfig);
    const written = await readFile(env.configFile, 'utf8');
    const line = new RegExp(`^credential_process = .*credential-process --profile ${P12}$`, 'm').exec(written)?.[0];
    expect(line).toBeDefined();
    expect(processConfig.stdout).toContain(`[profile ${P12}]\n${line}\nregion = eu-west-1\n`);
    expect(line?.startsWith(`credential_process = ${CLI_PATH} `)).toBe(true);

    const fileConfig = await env.cli(['config', PEM]);
    expectSuccess(fileConfig);
    expect(fileConfig.stdout).toContain(`[${PEM}] of ${env.credentialsFile}`);
    expect(fileConfig.stdout).not.toContain('credential_process');
  });

  it('refuses an expired certificate with its code and next step, and saves nothing', async () => {
    const name = uniqueName('expired');
    const result = await add(name, '--certificate', pkiPath('expired.cert.pem'), '--private-key', pkiPath('expired.key.pkcs8.pem'), ...intermediates);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[CERT_EXPIRED]');
    expect(result.stderr).toContain(ERRORS.CERT_EXPIRED.next);
    const shown = await env.cli(['profiles', 'show', name]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('[PROFILE_NOT_FOUND]');
  });

  it('edits settings, rotates the certificate and key, clears a setting, then renames the profile', async () => {
    const name = uniqueName('rotate');
    expectSuccess(await add(name, ...ecLeaf));
    const rotated = json<ProfileView>(
      await env.cli(['profiles', 'edit', name, '--certificate', pkiPath('leaf-rsa2048.cert.pem'), '--private-key', pkiPath('leaf-rsa2048.key.pkcs1.pem'), ...intermediates, '--tool-region', 'eu-central-1', '--session-duration', '900', '--json']),
    );
    expect(rotated).toMatchObject({ toolRegion: 'eu-central-1', durationSeconds: 900, keyStorage: 'keychain' });
    expect(rotated.certificate.subject).toContain('CN=leaf-rsa2048');

    // The rotated key signs: the sandbox issues a session for it.
    const activated = await env.cli(['activate', name]);
    expectSuccess(activated);
    issuedKeyIn(await readFile(env.credentialsFile, 'utf8'), name);

    const cleared = json<ProfileView>(await env.cli(['profiles', 'edit', name, '--no-tool-region', '--json']));
    expect(cleared.toolRegion).toBeUndefined();

    const newName = uniqueName('renamed');
    const renamed = json<ProfileView>(await env.cli(['profiles', 'rename', name, newName, '--json']));
    expect(renamed).toMatchObject({ name: newName, status: 'active' });
    const credentials = await readFile(env.credentialsFile, 'utf8');
    expect(credentials).not.toContain(`[${name}]`);
    issuedKeyIn(credentials, newName);
    const names = json<ProfileView[]>(await env.cli(['profiles', 'list', '--json'])).map((view) => view.name);
    expect(names).toContain(newName);
    expect(names).not.toContain(name);
    expectSuccess(await env.cli(['profiles', 'remove', newName, '--yes']));
  });

  it('refuses an AWS profile name holding keys Rolecall did not write, then takes it over with --force', async () => {
    const name = uniqueName('taken');
    const staticKeys = `[${name}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`;
    await writeFile(env.credentialsFile, `${await readFile(env.credentialsFile, 'utf8').catch(() => '')}\n${staticKeys}`);
    const refused = await add(name, ...ecLeaf);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[AWS_PROFILE_TAKEN]');
    expect(refused.stderr).toContain('--force');

    expectSuccess(await add(name, ...ecLeaf, '--force', '--activate'));
    const credentials = await readFile(env.credentialsFile, 'utf8');
    expect(credentials).not.toContain('AKIAIOSFODNN7EXAMPLE');
    issuedKeyIn(credentials, name);
    expectSuccess(await env.cli(['profiles', 'remove', name, '--yes']));
  });

  it('refuses to remove without --yes when there is no terminal to confirm on', async () => {
    const result = await env.cli(['profiles', 'remove', PEM]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expectSuccess(await env.cli(['profiles', 'show', PEM]));
  });

  it('discovers trust anchors, profiles and roles with an active profile and suggests the flags to add each role', async () => {
    const tree = await env.cli(['discover', '--using', P12, '--region', 'us-east-1']);
    expectSuccess(tree);
    expect(tree.stdout).toContain('test-root');
    expect(tree.stdout).toContain('developers');
    expect(tree.stdout).toContain(`--trust-anchor-arn ${TRUST_ANCHOR_ARN} --profile-arn ${PROFILE_ARN} --role-arn ${ROLE_ARN} --endpoint ${sandbox.url}`);

    const discovery = json<Discovery>(await env.cli(['discover', '--using', P12, '--region', 'us-east-1', '--json']));
    expect(discovery.trustAnchors).toEqual([expect.objectContaining({ arn: TRUST_ANCHOR_ARN, name: 'test-root', enabled: true })]);
    expect(discovery.profiles).toEqual([expect.objectContaining({ arn: PROFILE_ARN, name: 'developers', roleArns: [ROLE_ARN] })]);
  });

  it('doctor passes on a healthy setup', async () => {
    const result = await env.cli(['doctor', '--json']);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
    expect(report.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['keychain', 'agent', 'proxy', `clock vs ${new URL(sandbox.url).host}`, 'certificates', 'AWS profile names']));
  });

  it('doctor fails on a profile whose certificate has expired and on a service clock 10 minutes off', async () => {
    // A profile added while its certificate was valid, kept in the user's own key file; its endpoint's clock is off.
    const skewed = await startSkewedServer(10 * 60 * 1000);
    const name = uniqueName('old');
    await storeFixtureProfile(env.dataDir, name, 'expired', skewed.url);
    try {
      const result = await env.cli(['doctor']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`✖ certificate of ${name} +expired on 2021-06-01`));
      expect(result.stdout).toContain(ERRORS.CERT_EXPIRED.next);
      expect(result.stdout).toMatch(new RegExp(`✖ clock vs ${new URL(skewed.url).host} +this computer's clock is (59\\d|60\\d) s behind the service`));
    } finally {
      skewed.server.closeAllConnections();
      await new Promise((resolve) => skewed.server.close(resolve));
      expectSuccess(await env.cli(['profiles', 'remove', name, '--yes']));
    }
  });

  it('documents every subcommand with its exit codes', async () => {
    const commands = [['profiles'], ['profiles', 'add'], ['profiles', 'list'], ['profiles', 'show'], ['profiles', 'edit'], ['profiles', 'rename'], ['profiles', 'remove'], ['import'], ['discover'], ['config'], ['doctor']];
    const results = await Promise.all(commands.map((command) => env.cli([...command, '--help'])));
    for (const result of results) {
      expectSuccess(result);
      expect(result.stdout).toContain('Exit codes:');
    }
    expect(results[4]?.stdout).toContain('--no-tool-region');
  });
});

describe('rolecall profiles remove after activate', () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = await createIsolatedEnv();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('restores both AWS files byte for byte', async () => {
    const name = uniqueName('restore');
    const credentials = '# work laptop\r\n[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n; keep me\r\n[other]\r\nregion=us-west-2\r\n';
    const config = '[default]\nregion = us-east-1\n# comment\n\n[profile other]\noutput = json\n';
    await writeFile(env.credentialsFile, credentials, { mode: 0o600 });
    await writeFile(env.configFile, config);
    const added = await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--tool-region', 'eu-west-1', '--activate']);
    expectSuccess(added);
    issuedKeyIn(await readFile(env.credentialsFile, 'utf8'), name);
    expect(await readFile(env.configFile, 'utf8')).toContain(`[profile ${name}]`);

    expectSuccess(await env.cli(['profiles', 'remove', name, '--yes']));
    expect(await readFile(env.credentialsFile, 'utf8')).toBe(credentials);
    expect(await readFile(env.configFile, 'utf8')).toBe(config);
  });
});

/** An HTTP server whose Date header is `offsetMs` ahead of this machine's clock. */
async function startSkewedServer(offsetMs: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.sendDate = false;
    response.writeHead(404, { Date: new Date(Date.now() + offsetMs).toUTCString(), 'Content-Length': '0' });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
