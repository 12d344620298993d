// Debian's python3-boto3 as a real client: a boto3 Session for the profile reads the keys the agent
// wrote to the credentials file, or runs the credential_process line it wrote, and STS
// GetCallerIdentity against the sandbox proves them. (`python3` on PATH may be another build without
// boto3: Debian's is /usr/bin/python3.)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { ASSUMED_ROLE_PREFIX, addFixtureProfile, uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const PYTHON = '/usr/bin/python3';
const run = promisify(execFile);
const FILE_PROFILE = uniqueName('py-file');
const PROCESS_PROFILE = uniqueName('py-process');
const CALLER_IDENTITY = [
  'import json, sys, boto3',
  "sts = boto3.Session(profile_name=sys.argv[1]).client('sts', endpoint_url=sys.argv[2], region_name='us-east-1')",
  'print(json.dumps(sts.get_caller_identity()["Arn"]))',
].join('\n');

let sandbox: Sandbox;
let env: IsolatedEnv;

beforeAll(async () => {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install Debian's python3-boto3 (bash .ci/run does).`);
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
  await addFixtureProfile(env, sandbox, FILE_PROFILE, { delivery: 'file' });
  await addFixtureProfile(env, sandbox, PROCESS_PROFILE, { delivery: 'process' });
  for (const name of [FILE_PROFILE, PROCESS_PROFILE]) {
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
  }
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

async function botoCallerArn(profile: string): Promise<string> {
  const { stdout } = await run(PYTHON, ['-c', CALLER_IDENTITY, profile, sandbox.url], { env: env.env });
  const caller = sandbox.requests.entries.filter((entry) => entry.operation === 'GetCallerIdentity' && entry.status === 200).at(-1);
  expect(sandbox.issuedCredentials(caller?.accessKeyId ?? ''), 'STS was called with credentials the sandbox issued').toBeDefined();
  return JSON.parse(stdout) as string;
}

describe('boto3 with what the agent delivers', () => {
  it('reads the keys `rolecall activate` wrote to the credentials file', async () => {
    expect(await botoCallerArn(FILE_PROFILE)).toMatch(ASSUMED_ROLE_PREFIX);
  });

  it('runs the credential_process line `rolecall activate` wrote, served from the agent\'s session', async () => {
    const minted = sandbox.requests.count('CreateSession', 201);
    expect(await botoCallerArn(PROCESS_PROFILE)).toMatch(ASSUMED_ROLE_PREFIX);
    expect(sandbox.requests.count('CreateSession', 201)).toBe(minted);
  });
});
