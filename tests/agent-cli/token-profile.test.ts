// A profile whose key never leaves a PKCS#11 token (SoftHSM2 in a temp folder), through the CLI and the
// agent it starts: added, activated and used by Debian's AWS CLI; the token pulled out mid-session; a
// PIN the token stops accepting, tried once and then left for the user.
import { execFile } from 'node:child_process';
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import type { ProfileView } from '../../src/shared/model';
import { assertCliBuilt } from '../helpers/cli';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { readPki } from '../helpers/fixtures';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../helpers/softhsm';
import { ASSUMED_ROLE_PREFIX, uniqueName } from './agent-profiles';

// OpenSC's logging module in front of SoftHSM: it records every PKCS#11 call the agent makes.
const SPY_MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so';
const NEW_PIN = '246810';

let sandbox: Sandbox;
let hsm: SoftHsm;
let env: IsolatedEnv;
let spyLog: string;

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  hsm = await createSoftHsm();
  for (const token of ['alpha', 'beta']) {
    hsm.initToken(token);
    await hsm.writeCertificate(token, await hsm.issueCertificate(await hsm.generateKey(token, 'EC:prime256v1', '01', 'ra-key'), `${token}-user`), '01', 'ra-key');
    await hsm.writeCertificate(token, readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  }
  spyLog = join(hsm.folder, 'spy.log');
  env = await createIsolatedEnv({ SOFTHSM2_CONF: hsm.conf, PKCS11SPY: SOFTHSM_MODULE, PKCS11SPY_OUTPUT: spyLog });
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
  await hsm?.remove();
});

function addFlags(name: string, uri: string, module = SOFTHSM_MODULE): string[] {
  return ['profiles', 'add', name, '--certificate', uri, '--pkcs11-lib', module, '--trust-anchor-arn', TRUST_ANCHOR_ARN, '--profile-arn', PROFILE_ARN, '--role-arn', ROLE_ARN, '--endpoint', sandbox.url, '--json'];
}

async function status(name: string): Promise<ProfileView> {
  const result = await env.cli(['profiles', 'show', name, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProfileView;
}

async function callerIdentity(profile: string): Promise<string> {
  const { stdout } = await promisify(execFile)('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', profile, '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json'], { env: env.env });
  return (JSON.parse(stdout) as { Arn: string }).Arn;
}

/** Every file under `folder`, for a scan of what Rolecall wrote. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const loginCalls = async (): Promise<number> => ((await readFile(spyLog, 'utf8').catch(() => '')).match(/C_Login\b/g) ?? []).length;

describe('a profile whose key is on a token', () => {
  it('is added with the PIN from the URI, activated, and used by the AWS CLI; no file of Rolecall\'s holds the PIN', async () => {
    const name = uniqueName('token');
    const added = await env.cli([...addFlags(name, `pkcs11:token=alpha;object=ra-key?pin-value=${USER_PIN}`), '--activate']);
    expect(added.code, added.stderr).toBe(0);
    const view = JSON.parse(added.stdout) as ProfileView;
    expect(view.status).toBe('active');
    expect(view.keyStorage).toBe('token');
    expect(view.token).toEqual({ uri: 'pkcs11:token=alpha;object=ra-key', module: SOFTHSM_MODULE, pinInKeychain: false });
    expect(view.chain.map((certificate) => certificate.subject)).toEqual([expect.stringContaining('Intermediate')]);
    expect(await callerIdentity(name)).toMatch(new RegExp(`^${ASSUMED_ROLE_PREFIX}`));
    for (const file of [...(await filesUnder(env.dataDir)), env.credentialsFile]) {
      expect(await readFile(file, 'utf8').catch(() => ''), file).not.toContain(USER_PIN);
    }
  });

  it('says the token is gone when it is pulled out mid-session, keeps the agent up, and works again when it is back', async () => {
    const name = uniqueName('removable');
    expect((await env.cli([...addFlags(name, `pkcs11:token=beta;object=ra-key?pin-value=${USER_PIN}`), '--activate'])).code).toBe(0);
    const tokens = join(hsm.folder, 'tokens');
    const aside = join(hsm.folder, 'pulled-out');
    const beta = await tokenFolder('beta');
    await rename(join(tokens, beta), join(aside));
    try {
      const refresh = await env.cli(['refresh', name]);
      expect(refresh.code).toBe(1);
      expect(refresh.stderr).toContain('No token matching the pkcs11: URI is present.');
      const view = await status(name);
      expect(view.lastError?.code).toBe('PKCS11_TOKEN_NOT_FOUND');
      // The session it delivered before stays in place until it truly expires.
      expect(view.status).toBe('failed');
      expect(Date.parse(view.expiresAt ?? '')).toBeGreaterThan(Date.now());
      expect(await callerIdentity(name)).toMatch(new RegExp(`^${ASSUMED_ROLE_PREFIX}`));
    } finally {
      await rename(aside, join(tokens, beta));
    }
    const again = await env.cli(['refresh', name]);
    expect(again.code, again.stderr).toBe(0);
    expect((await status(name)).lastError).toBeUndefined();
  });

  it('tries a PIN the token no longer takes exactly once, then waits for the user instead of retrying', async () => {
    const name = uniqueName('pin');
    expect((await env.cli([...addFlags(name, `pkcs11:token=alpha;object=ra-key?pin-value=${USER_PIN}`, SPY_MODULE), '--activate'])).code).toBe(0);
    await promisify(execFile)('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', 'alpha', '--login', '--pin', USER_PIN, '--change-pin', '--new-pin', NEW_PIN], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } });
    try {
      const before = await loginCalls();
      const refused = await env.cli(['refresh', name]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('The token refused the PIN.');
      expect(await loginCalls()).toBe(before + 1);
      const waiting = await status(name);
      expect(waiting.lastError?.code).toBe('PKCS11_PIN_WRONG');
      expect(waiting.nextRefreshAt, 'no retry is planned against the token\'s counter').toBeUndefined();
      // Asked again without a PIN from the user: the refused one is not tried a second time.
      const second = await env.cli(['refresh', name]);
      expect(second.code).toBe(1);
      expect((await status(name)).lastError?.code).toBe('PKCS11_PIN_REQUIRED');
      expect(await loginCalls()).toBe(before + 1);
      // The user gives the new PIN (the window's dialog and the terminal prompt both call this).
      const agent = await env.agent();
      try {
        await agent.call('sessions.givePin', { name, pin: NEW_PIN });
        const refreshed = await agent.call('sessions.refresh', { name });
        expect(refreshed.lastError).toBeUndefined();
        expect(refreshed.status).toBe('active');
      } finally {
        await agent.close();
      }
    } finally {
      await promisify(execFile)('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', 'alpha', '--login', '--pin', NEW_PIN, '--change-pin', '--new-pin', USER_PIN], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } });
    }
  });

  it('keeps the PIN in the keychain only when asked, so a new agent refreshes without anyone', async () => {
    const name = uniqueName('kept');
    const added = await env.cli([...addFlags(name, `pkcs11:token=alpha;object=ra-key?pin-value=${USER_PIN}`), '--keep-pin', '--activate']);
    expect(added.code, added.stderr).toBe(0);
    expect((JSON.parse(added.stdout) as ProfileView).token?.pinInKeychain).toBe(true);
    const agent = await env.agent();
    await agent.call('agent.handOver', {});
    await agent.closed;
    const refresh = await env.cli(['refresh', name]);
    expect(refresh.code, refresh.stderr).toBe(0);
  });

  it('drops a kept PIN the token refused, so no later agent tries it, and keeps the one the user gives next', async () => {
    const name = uniqueName('kept-changed');
    expect((await env.cli([...addFlags(name, `pkcs11:token=beta;object=ra-key?pin-value=${USER_PIN}`, SPY_MODULE), '--keep-pin', '--activate'])).code).toBe(0);
    await changePin('beta', USER_PIN, NEW_PIN);
    try {
      await restartAgent();
      const before = await loginCalls();
      expect((await env.cli(['refresh', name])).code).toBe(1);
      expect((await status(name)).lastError?.code).toBe('PKCS11_PIN_WRONG');
      expect(await loginCalls()).toBe(before + 1);
      await restartAgent();
      const second = await env.cli(['refresh', name]);
      expect(second.code).toBe(1);
      expect((await status(name)).lastError?.code).toBe('PKCS11_PIN_REQUIRED');
      expect(await loginCalls(), 'the next agent did not try the refused PIN').toBe(before + 1);
      const agent = await env.agent();
      await agent.call('sessions.givePin', { name, pin: NEW_PIN });
      await agent.close();
      await restartAgent();
      const refresh = await env.cli(['refresh', name]);
      expect(refresh.code, refresh.stderr).toBe(0);
    } finally {
      await changePin('beta', NEW_PIN, USER_PIN);
    }
  });
});

async function changePin(token: string, from: string, to: string): Promise<void> {
  await promisify(execFile)('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--login', '--pin', from, '--change-pin', '--new-pin', to], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } });
}

async function restartAgent(): Promise<void> {
  const agent = await env.agent();
  await agent.call('agent.handOver', {});
  await agent.closed;
}

async function tokenFolder(label: string): Promise<string> {
  const tokens = join(hsm.folder, 'tokens');
  for (const entry of await readdir(tokens)) {
    if ((await readFile(join(tokens, entry, 'token.object'))).includes(Buffer.from(label))) return entry;
  }
  throw new Error(`no token ${label}`);
}
