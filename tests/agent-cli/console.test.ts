// `rolecall console NAME` against the sandbox's federation endpoint: the sign-in URL is made from the
// profile's session with getSigninToken and leads, through the sandbox's login endpoint, to the console
// page asked for; without --print it goes to the default browser's opener and nowhere else.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { addFixtureProfile, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
const envs: IsolatedEnv[] = [];

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
});

afterEach(async () => {
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

afterAll(async () => {
  await sandbox?.stop();
});

async function isolatedEnv(extra: NodeJS.ProcessEnv = {}): Promise<IsolatedEnv> {
  const env = await createIsolatedEnv(extra);
  envs.push(env);
  return env;
}

/** Every file under the data folder (the agent's log included), as one text. */
async function dataFolderText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8').catch(() => '')));
  return texts.join('\n');
}

describe('rolecall console', () => {
  it('--print gives a sign-in URL whose token the sandbox\'s login endpoint takes, redirecting to the region\'s console home', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('console');
    await addFixtureProfile(env, sandbox, name);
    const result = await env.cli(['console', name, '--print']);
    expect(result.code, result.stderr).toBe(0);
    const url = new URL(result.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.url}/federation`);
    expect(url.searchParams.get('Action')).toBe('login');
    const destination = `${sandbox.url}/console/console/home?region=us-east-1`;
    expect(url.searchParams.get('Destination')).toBe(destination);

    const login = await fetch(url, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe(destination);
    const page = await fetch(destination);
    expect(page.status).toBe(200);

    // The token came from the session the agent holds: the sandbox saw getSigninToken from that key.
    const tokenCall = sandbox.requests.entries.filter((entry) => entry.operation === 'GetSigninToken').at(-1);
    expect(tokenCall?.status).toBe(200);
    expect(sandbox.issuedCredentials(tokenCall?.accessKeyId ?? '')?.roleSessionName).toBeDefined();
    // Neither the token nor the session's secret is in the sandbox's request log or Rolecall's data folder.
    const token = url.searchParams.get('SigninToken') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(sandbox.requests.entries)).not.toContain(token);
    const stored = await dataFolderText(env.dataDir);
    expect(stored).not.toContain(token);
    expect(stored).toContain('console sign-in URL made');
  });

  it('--destination takes a console path; a tampered token is refused by the login endpoint', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('console');
    await addFixtureProfile(env, sandbox, name);
    const result = await env.cli(['console', name, '--print', '--destination', '/s3/home']);
    expect(result.code, result.stderr).toBe(0);
    const url = new URL(result.stdout.trim());
    expect(url.searchParams.get('Destination')).toBe(`${sandbox.url}/console/s3/home`);
    expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe(`${sandbox.url}/console/s3/home`);

    url.searchParams.set('SigninToken', `${url.searchParams.get('SigninToken') ?? ''}x`);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
  });

  it('refuses a destination outside the AWS console', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('console');
    await addFixtureProfile(env, sandbox, name);
    const result = await env.cli(['console', name, '--print', '--destination', 'https://attacker.example/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not a page of the AWS console');
    expect(result.stdout).toBe('');
  });

  it('without --print hands the URL to the default browser\'s opener (xdg-open here) as its one argument', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'rolecall-opener-'));
    const received = join(bin, 'opened-url');
    // The desktop's opener stands in for a browser: it records what it was asked to open.
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${received}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const env = await isolatedEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` });
    const name = uniqueName('console');
    await addFixtureProfile(env, sandbox, name);
    const result = await env.cli(['console', name]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Opened the AWS console for ${name}`);
    const opened = new URL(await readFile(received, 'utf8'));
    expect((await fetch(opened, { redirect: 'manual' })).status).toBe(302);
    await rm(bin, { recursive: true, force: true });
  });
});
