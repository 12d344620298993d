// `rolecall import` of the reference client's PKCS#11 line (issue 13), as the built CLI with a real agent,
// keychain and SoftHSM2 token: the line becomes a token-backed profile, Debian's AWS CLI gets credentials
// from the sandbox through the rewritten line, no file of Rolecall's holds the URI's pin-value, and
// removing the profile puts the user's line back byte for byte.
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import type { ImportResult, ProfileView } from '../../src/shared/model';
import { ASSUMED_ROLE_PREFIX, uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt, CLI_PATH } from '../helpers/cli';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { readPki } from '../helpers/fixtures';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../helpers/softhsm';

const TOKEN = 'import';

let sandbox: Sandbox;
let hsm: SoftHsm;
let env: IsolatedEnv;

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  hsm = await createSoftHsm();
  hsm.initToken(TOKEN);
  await hsm.writeCertificate(TOKEN, await hsm.issueCertificate(await hsm.generateKey(TOKEN, 'EC:prime256v1', '01', 'ra-key'), 'import-user'), '01', 'ra-key');
  // The leaf's issuer, which a token profile sends from the token (an imported line has no --intermediates).
  await hsm.writeCertificate(TOKEN, readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  env = await createIsolatedEnv({ SOFTHSM2_CONF: hsm.conf });
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
  await hsm?.remove();
});

/** The reference client's line for a key on the token, as its documentation writes it. */
function signingHelperLine(uri: string): string {
  return `credential_process = aws_signing_helper credential-process --certificate "${uri}" --pkcs11-lib ${SOFTHSM_MODULE} --reuse-pin --trust-anchor-arn ${TRUST_ANCHOR_ARN} --profile-arn ${PROFILE_ARN} --role-arn ${ROLE_ARN} --endpoint ${sandbox.url}`;
}

/**
 * `rolecall ARGS` on a terminal of its own (util-linux `script` makes the pty), typing `typed` at the
 * first prompt that contains `prompt`. Returns what the terminal showed (script echoes nothing itself) and the exit code.
 */
function onTerminal(args: readonly string[], prompt: string, typed: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, CLI_PATH, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--flush', '--echo', 'never', '--command', command, '/dev/null'], { env: env.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let answered = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      if (!answered && screen.includes(prompt)) {
        answered = true;
        child.stdin.write(`${typed}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('rolecall import of a PKCS#11 line', () => {
  it('makes a token profile the AWS CLI uses, stores the pin-value nowhere, and gives the line back on remove', async () => {
    const name = uniqueName('imported-token');
    const original = `[profile ${name}]\n${signingHelperLine(`pkcs11:token=${TOKEN};object=ra-key?pin-value=${USER_PIN}`)}\n`;
    await writeFile(env.configFile, original);

    const preview = await env.cli(['import', '--only', name]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(`✔ ${name} (aws_signing_helper) → Rolecall profile ${name}`);
    expect(preview.stdout).toContain(`certificate   pkcs11:token=${TOKEN};object=ra-key\n`);
    expect(preview.stdout).toContain('its PIN is asked on import (unless the URI gives it)');
    expect(preview.stdout).not.toContain(USER_PIN);

    const applied = await env.cli(['import', '--apply', '--only', name, '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout) as ImportResult).toEqual({ imported: [name], failed: [], keyFilesNowInKeychain: [] });
    expect(await readFile(env.configFile, 'utf8')).toBe(`[profile ${name}]\ncredential_process = ${CLI_PATH} credential-process --profile ${name}\n`);

    const shown = await env.cli(['profiles', 'show', name, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const view = JSON.parse(shown.stdout) as ProfileView;
    expect(view.keyStorage).toBe('token');
    expect(view.token).toEqual({ uri: `pkcs11:token=${TOKEN};object=ra-key`, module: SOFTHSM_MODULE, pinInKeychain: false });

    const { stdout } = await promisify(execFile)('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', name, '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json'], { env: env.env });
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(new RegExp(`^${ASSUMED_ROLE_PREFIX}`));
    for (const file of [...(await filesUnder(env.dataDir)), env.credentialsFile, env.configFile]) {
      expect(await readFile(file, 'utf8').catch(() => ''), file).not.toContain(USER_PIN);
    }

    const removed = await env.cli(['profiles', 'remove', name, '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await readFile(env.configFile, 'utf8')).toBe(original);
  });

  it('asks the PIN on the terminal when the URI has none, and the imported profile works', async () => {
    const name = uniqueName('typed-pin');
    await writeFile(env.configFile, `[profile ${name}]\n${signingHelperLine(`pkcs11:token=${TOKEN};object=ra-key`)}\n`);
    const { code, screen } = await onTerminal(['import', '--apply', '--only', name], `PIN of the token holding the key of ${name}: `, USER_PIN);
    expect(code, screen).toBe(0);
    expect(screen).toContain(`Imported ${name}.`);
    // Typed without echo.
    expect(screen).not.toContain(USER_PIN);
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
    for (const file of await filesUnder(env.dataDir)) expect(await readFile(file, 'utf8').catch(() => ''), file).not.toContain(USER_PIN);
    expect((await env.cli(['profiles', 'remove', name, '--yes'])).code).toBe(0);
  });

  it('without a PIN in the URI and no terminal to ask on, names the PIN as missing and leaves the line', async () => {
    const name = uniqueName('pinless');
    const original = `[profile ${name}]\n${signingHelperLine(`pkcs11:token=${TOKEN};object=ra-key`)}\n`;
    await writeFile(env.configFile, original);
    const applied = await env.cli(['import', '--apply', '--only', name, '--json']);
    expect(applied.code).toBe(1);
    expect(JSON.parse(applied.stdout) as ImportResult).toEqual({ imported: [], failed: [{ name, problem: expect.objectContaining({ code: 'PKCS11_PIN_REQUIRED' }) }], keyFilesNowInKeychain: [] });
    expect(await readFile(env.configFile, 'utf8')).toBe(original);
  });
});
