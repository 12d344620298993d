// keytar is an optional dependency: where its native build failed, `npm ci` still succeeds and leaves no
// node_modules/keytar. The built CLI is copied to a folder with no node_modules at all, which is what such
// an install looks like to it: the demo still works, every keychain operation fails with
// KEYCHAIN_UNAVAILABLE naming how to build keytar (or --key-in-file), and --key-in-file profiles work.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt, PROJECT_ROOT } from '../helpers/cli';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { pkiPath } from '../helpers/fixtures';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const run = promisify(execFile);

let copy: string;
let sandbox: Sandbox;
let env: IsolatedEnv;

beforeAll(async () => {
  assertCliBuilt();
  copy = await mkdtemp(join(tmpdir(), 'rolecall-no-keytar-'));
  await cp(join(PROJECT_ROOT, 'dist', 'cli'), join(copy, 'dist', 'cli'), { recursive: true });
  await cp(join(PROJECT_ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
  if (copy) await rm(copy, { recursive: true, force: true });
});

async function rolecall(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(copy, 'bin', 'rolecall.mjs'), ...args], { env: env.env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const certificateFlags = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')];

describe('a Rolecall whose keytar could not be built', () => {
  it('has keytar only among the optional dependencies', async () => {
    const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(manifest.optionalDependencies?.keytar).toBeDefined();
    expect(manifest.dependencies?.keytar).toBeUndefined();
  });

  it('runs the demo', async () => {
    const demo = await rolecall(['demo']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('GetCallerIdentity');
  });

  it('refuses to keep a key in the keychain with KEYCHAIN_UNAVAILABLE, naming how to build keytar or --key-in-file', async () => {
    const name = uniqueName('no-keytar');
    const added = await rolecall(['profiles', 'add', name, ...certificateFlags, ...arnFlags(), '--endpoint', sandbox.url]);
    expect(added.code).not.toBe(0);
    expect(added.stderr).toContain('KEYCHAIN_UNAVAILABLE');
    expect(added.stderr).toContain('keytar');
    expect(added.stderr).toContain('sudo apt install libsecret-1-dev');
    expect(added.stderr).toContain('npm rebuild keytar');
    expect(added.stderr).toContain('--key-in-file');
    const listed = await rolecall(['profiles', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('answers drop-in credential-process with explicit flags', async () => {
    const answered = await rolecall(['credential-process', ...certificateFlags, ...arnFlags(), '--endpoint', sandbox.url]);
    expect(answered.code, answered.stderr).toBe(0);
    const output = JSON.parse(answered.stdout) as { AccessKeyId: string };
    expect(sandbox.issuedCredentials(output.AccessKeyId)).toBeDefined();
  });

  // pkcs11js is optional the same way: without it a pkcs11: URI is refused, naming the reinstall.
  it('refuses drop-in credential-process with a pkcs11: URI with PKCS11_SUPPORT_MISSING and its next step', async () => {
    const refused = await rolecall(['credential-process', '--certificate', 'pkcs11:token=x', ...arnFlags(), '--endpoint', sandbox.url]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('[PKCS11_SUPPORT_MISSING]');
    expect(refused.stderr).toContain('Reinstall Rolecall with its optional dependencies (npm install without --omit=optional, with a C++ compiler present), or use a certificate and key file.');
  });

  it('adds and activates a profile whose key stays in its file', async () => {
    const name = uniqueName('key-in-file');
    const added = await rolecall(['profiles', 'add', name, ...certificateFlags, ...arnFlags(), '--endpoint', sandbox.url, '--key-in-file', '--activate']);
    expect(added.code, added.stderr).toBe(0);
    expect(await readFile(env.credentialsFile, 'utf8')).toMatch(new RegExp(`\\[${name}\\]\\naws_access_key_id = ASIA`));
  });
});
