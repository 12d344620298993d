// Debian's real AWS CLI (v2) resolves credentials through `credential_process = rolecall
// credential-process …` (the line users have today with aws_signing_helper, the binary name swapped)
// and proves them against the sandbox's STS.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { assertCliBuilt, CLI_PATH } from '../helpers/cli';
import { pkiPath } from '../helpers/fixtures';
import { arnFlags, ROLE_ARN, startFixtureSandbox } from '../helpers/fixture-sandbox';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's awscli (bash .ci/run does).`);
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-awscli-'));
  // `rolecall` on PATH, as an installed CLI is.
  await mkdir(join(dir, 'bin'));
  await symlink(CLI_PATH, join(dir, 'bin', 'rolecall'));
});

afterAll(async () => {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the AWS CLI with credential_process = rolecall credential-process', () => {
  it('gets the caller identity of the role through the sandbox STS', async () => {
    const flags = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.sec1.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem'), ...arnFlags(), '--endpoint', sandbox.url];
    const config = join(dir, 'config');
    await writeFile(config, `[profile ra]\nregion = us-east-1\ncredential_process = rolecall credential-process ${flags.join(' ')}\n`);
    const before = sandbox.requests.count('CreateSession', 201);
    const { stdout } = await run(AWS, ['sts', 'get-caller-identity', '--profile', 'ra', '--endpoint-url', sandbox.url, '--output', 'json'], {
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
        HOME: dir,
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    const identity = JSON.parse(stdout) as { Arn: string; Account: string };
    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::123456789012:assumed-role/${ROLE_ARN.split('/').pop()}/`));
    expect(sandbox.requests.count('CreateSession', 201)).toBe(before + 1);
  });
});
