// Debian's real AWS CLI (v2) calls the sandbox STS with every kind of session the agent hands out:
// keys it wrote to the credentials file, the credential_process line it wrote (or one written by
// hand), `rolecall exec` (keys, or a container endpoint with --server), `rolecall serve`, and
// `eval "$(rolecall env …)"` in bash. Each call's access key must be one the sandbox issued to Rolecall.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { ASSUMED_ROLE_PREFIX, addFixtureProfile, uniqueName } from '../agent-cli/agent-profiles';
import { CLI_PATH, PROJECT_ROOT, assertCliBuilt, runCli } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);
const FILE_PROFILE = uniqueName('dev-file');
const PROCESS_PROFILE = uniqueName('dev-process');

let sandbox: Sandbox;
let env: IsolatedEnv;
/** The world's environment with `rolecall` on PATH, as an installed CLI is. */
let shellEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's awscli (bash .ci/run does).`);
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
  const bin = join(env.root, 'bin');
  await mkdir(bin);
  await symlink(CLI_PATH, join(bin, 'rolecall'));
  shellEnv = { ...env.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  await addFixtureProfile(env, sandbox, FILE_PROFILE, { delivery: 'file' });
  await addFixtureProfile(env, sandbox, PROCESS_PROFILE, { delivery: 'process' });
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

interface Identity {
  readonly Account: string;
  readonly Arn: string;
}

/** `aws sts get-caller-identity` against the sandbox; `args` come first (e.g. --profile). */
async function callerIdentity(args: readonly string[], callEnv: NodeJS.ProcessEnv = shellEnv): Promise<Identity> {
  const { stdout } = await run(AWS, [...args, 'sts', 'get-caller-identity', '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json'], { env: callEnv });
  return JSON.parse(stdout) as Identity;
}

/** The access key of the latest GetCallerIdentity the sandbox answered, which must be one it issued. */
function lastCallerKey(): string {
  const calls = sandbox.requests.entries.filter((entry) => entry.operation === 'GetCallerIdentity' && entry.status === 200);
  const key = calls.at(-1)?.accessKeyId ?? '';
  expect(sandbox.issuedCredentials(key), 'STS was called with credentials the sandbox issued').toBeDefined();
  return key;
}

function expectRoleIdentity(identity: Identity): void {
  expect(identity.Account).toBe('123456789012');
  expect(identity.Arn.startsWith(ASSUMED_ROLE_PREFIX)).toBe(true);
}

describe('the AWS CLI with what the agent delivers', () => {
  it('uses the keys `rolecall activate` wrote to the credentials file', async () => {
    const activated = await env.cli(['activate', FILE_PROFILE]);
    expect(activated.stderr).toBe('');
    expect(activated.code).toBe(0);
    const written = await readFile(env.credentialsFile, 'utf8');
    expectRoleIdentity(await callerIdentity(['--profile', FILE_PROFILE]));
    expect(written).toContain(`aws_access_key_id = ${lastCallerKey()}`);
  });

  it('runs the credential_process line `rolecall activate` wrote to the config file', async () => {
    const activated = await env.cli(['activate', PROCESS_PROFILE]);
    expect(activated.code, activated.stderr).toBe(0);
    const config = await readFile(env.configFile, 'utf8');
    expect(config).toMatch(new RegExp(`\\[profile ${PROCESS_PROFILE}\\][^[]*credential_process = .*credential-process --profile ${PROCESS_PROFILE}\n`));
    const minted = sandbox.requests.count('CreateSession', 201);
    expectRoleIdentity(await callerIdentity(['--profile', PROCESS_PROFILE]));
    expectRoleIdentity(await callerIdentity(['--profile', PROCESS_PROFILE]));
    // Both calls were served from the agent's session: the one minted at activation.
    expect(sandbox.requests.count('CreateSession', 201)).toBe(minted);
    lastCallerKey();
  });

  it('runs a hand-written credential_process = rolecall credential-process --profile NAME', async () => {
    await appendFile(env.configFile, `\n[profile by-hand]\ncredential_process = rolecall credential-process --profile ${FILE_PROFILE}\n`);
    expectRoleIdentity(await callerIdentity(['--profile', 'by-hand']));
    lastCallerKey();
  });

  it('runs inside `rolecall exec NAME --` with the session in its environment, even with AWS_PROFILE set', async () => {
    const result = await runCli(['exec', FILE_PROFILE, '--', AWS, 'sts', 'get-caller-identity', '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json'], {
      env: { ...shellEnv, AWS_PROFILE: 'no-such-profile' },
    });
    expect(result.code, result.stderr).toBe(0);
    expectRoleIdentity(JSON.parse(result.stdout) as Identity);
    lastCallerKey();
  });

  it('runs inside `rolecall exec NAME --server --` through the container credentials endpoint', async () => {
    const result = await env.cli(['exec', PROCESS_PROFILE, '--server', '--', AWS, 'sts', 'get-caller-identity', '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expectRoleIdentity(JSON.parse(result.stdout) as Identity);
    lastCallerKey();
  });

  it('uses the exports `rolecall serve NAME` prints, run in bash', async () => {
    const serve = spawn(process.execPath, [CLI_PATH, 'serve', FILE_PROFILE, '--shell', 'bash'], { cwd: PROJECT_ROOT, env: shellEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const exports = await printedExports(serve);
      expect(exports).toMatch(/^export AWS_CONTAINER_CREDENTIALS_FULL_URI='http:\/\/127\.0\.0\.1:\d+\//m);
      const script = `${exports}\nexec ${AWS} sts get-caller-identity --endpoint-url ${sandbox.url} --region us-east-1 --output json`;
      const { stdout } = await run('/bin/bash', ['-c', script], { env: { ...shellEnv, AWS_PROFILE: 'no-such-profile' } });
      expectRoleIdentity(JSON.parse(stdout) as Identity);
      lastCallerKey();
    } finally {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGINT');
      await exited;
    }
  });

  it('works after eval "$(rolecall env NAME --shell bash)" in bash, which unsets AWS_PROFILE', async () => {
    const script = [
      'export AWS_PROFILE=no-such-profile',
      `eval "$(rolecall env ${FILE_PROFILE} --shell bash)"`,
      'echo "AWS_PROFILE=${AWS_PROFILE-unset}" >&2',
      `exec ${AWS} sts get-caller-identity --endpoint-url ${sandbox.url} --region us-east-1 --output json`,
    ].join('\n');
    const { stdout, stderr } = await run('/bin/bash', ['-c', script], { env: shellEnv });
    expect(stderr).toContain('AWS_PROFILE=unset');
    expectRoleIdentity(JSON.parse(stdout) as Identity);
    lastCallerKey();
  });
});

/** What a running `rolecall serve` printed on stdout, once its stderr says it serves. */
function printedExports(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (stderr.includes('Serving until Ctrl-C') && /AWS_CONTAINER_AUTHORIZATION_TOKEN=.*\n/.test(stdout)) resolve(stdout);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      check();
    });
    child.once('exit', (code) => reject(new Error(`rolecall serve exited with ${code}: ${stderr}`)));
  });
}
