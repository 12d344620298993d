// The endpoint as real clients see it: the AWS SDK for JavaScript v3 and Debian's AWS CLI v2
// (/usr/bin/aws; the `aws` on PATH may be an unrelated v1).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromContainerMetadata, fromHttp } from '@aws-sdk/credential-providers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointEnvVars, exportsFor, startCredentialsEndpoint, type CredentialsEndpoint } from '../../../src/core/terminal';
import type { CredentialsOutput } from '../../../src/shared/contract';
import { RolecallError } from '../../../src/shared/errors';
import { credentialsExpiringIn, KEYS } from './credentials';
import { STALE_ENV } from './run-in-shell';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';
const CONTAINER_VARIABLES = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const;

let served: CredentialsOutput;
const started: CredentialsEndpoint[] = [];
let awsHome: string;

beforeAll(() => {
  awsHome = mkdtempSync(join(tmpdir(), 'rolecall-aws-'));
  writeFileSync(join(awsHome, 'config'), '');
  writeFileSync(join(awsHome, 'credentials'), '');
});

afterAll(() => {
  rmSync(awsHome, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((endpoint) => endpoint.stop()));
});

async function start(options: { imds?: boolean; failing?: boolean } = {}) {
  served = credentialsExpiringIn(3600);
  const endpoint = await startCredentialsEndpoint({
    provider: async () => {
      if (options.failing) throw new RolecallError('THROTTLED');
      return served;
    },
    names: ['dev'],
    ...(options.imds ? { imds: { port: 0, roleName: 'DevRole' } } : {}),
  });
  started.push(endpoint);
  return endpoint;
}

/** An AWS CLI that sees no files, no real IMDS and no credentials but the ones under test. */
function isolatedAwsEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: awsHome,
    AWS_CONFIG_FILE: join(awsHome, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(awsHome, 'credentials'),
    ...extra,
  };
}

async function exportedByAwsCli(env: Record<string, string>) {
  const { stdout } = await run(AWS_CLI, ['configure', 'export-credentials', '--format', 'process'], { env, timeout: 60_000 });
  return JSON.parse(stdout) as { Version: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
}

function expectServedBy(result: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }) {
  expect(result.AccessKeyId).toBe(KEYS.accessKeyId);
  expect(result.SecretAccessKey).toBe(KEYS.secretAccessKey);
  expect(result.SessionToken).toBe(KEYS.sessionToken);
  expect(Date.parse(result.Expiration)).toBe(Date.parse(served.expiration));
}

describe('the AWS SDK for JavaScript v3', () => {
  it('fromHttp (the default chain\'s container provider) reads the credentials', async () => {
    const endpoint = await start();
    const credentials = await fromHttp({ awsContainerCredentialsFullUri: endpoint.urls.dev, awsContainerAuthorizationToken: endpoint.token })();
    expect(credentials).toMatchObject({ ...KEYS });
    expect(credentials.expiration?.getTime()).toBe(Date.parse(served.expiration));
  });

  it('fromContainerMetadata reads them from AWS_CONTAINER_CREDENTIALS_FULL_URI and the token variable', async () => {
    const endpoint = await start();
    const saved = CONTAINER_VARIABLES.map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, endpointEnvVars(endpoint, 'dev'));
    try {
      const credentials = await fromContainerMetadata({ timeout: 5000 })();
      expect(credentials).toMatchObject({ ...KEYS });
      expect(credentials.expiration?.getTime()).toBe(Date.parse(served.expiration));
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('gets an error, not credentials, when the provider fails', async () => {
    const endpoint = await start({ failing: true });
    await expect(fromHttp({ awsContainerCredentialsFullUri: endpoint.urls.dev, awsContainerAuthorizationToken: endpoint.token, maxRetries: 0 })()).rejects.toThrow();
  });
});

describe.skipIf(!existsSync(AWS_CLI))('the AWS CLI v2', () => {
  it('resolves the container endpoint from the two environment variables', async () => {
    const endpoint = await start();
    const env = isolatedAwsEnv({ AWS_EC2_METADATA_DISABLED: 'true', ...endpointEnvVars(endpoint, 'dev') });
    const result = await exportedByAwsCli(env);
    expect(result.Version).toBe(1);
    expectServedBy(result);
  });

  it('resolves it after the bash exports ran in a terminal that named another profile', async () => {
    const endpoint = await start();
    const script = `${exportsFor(endpoint, 'dev', 'bash')}exec ${AWS_CLI} configure export-credentials --format process\n`;
    const env = { ...isolatedAwsEnv({ AWS_EC2_METADATA_DISABLED: 'true' }), AWS_PROFILE: STALE_ENV.AWS_PROFILE ?? 'stale', AWS_ACCESS_KEY_ID: 'AKIASTALE' };
    const { stdout } = await run('/bin/bash', ['-c', script], { env, timeout: 60_000 });
    expectServedBy(JSON.parse(stdout));
  });

  it('resolves the IMDSv2 emulation through AWS_EC2_METADATA_SERVICE_ENDPOINT', async () => {
    const endpoint = await start({ imds: true });
    const env = isolatedAwsEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint.imdsUrl ?? '' });
    expectServedBy(await exportedByAwsCli(env));
  });
});
