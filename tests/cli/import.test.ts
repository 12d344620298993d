// `rolecall import` over the AWS documentation's setup (tests/fixtures/aws-config/reference.config), run as
// the built CLI with a real agent and keychain; afterwards Debian's AWS CLI resolves the imported profile
// through the rewritten credential_process line and gets credentials the sandbox issued.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import type { ImportPlan, ImportResult } from '../../src/shared/model';
import { uniqueName } from '../agent-cli/agent-profiles';
import { CLI_PATH } from '../helpers/cli';
import { PKI_DIR, pkiPath, readPki } from '../helpers/fixtures';
import { ROLE_ARN, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);
// The fixture's ARNs, served by the sandbox.
const TRUST_ANCHOR_ARN = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/2f4b1c3e-7d8a-4e9f-b0c1-d2e3f4a5b6c7';
const PROFILE_ARN = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
// The keychain's session cache is shared by every test file and keyed by profile name.
const NAME = uniqueName('developer');

let sandbox: Sandbox;
let env: IsolatedEnv;
let original: string;

beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's awscli (bash .ci/run does).`);
  sandbox = await startFixtureSandbox({
    trustAnchors: [{ id: '2f4b1c3e-7d8a-4e9f-b0c1-d2e3f4a5b6c7', name: 'laptops', caPem: readPki('root-ca.cert.pem') }],
    profiles: [{ id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', name: 'developers', roleArns: [ROLE_ARN], acceptRoleSessionName: false, durationSeconds: 3600 }],
  });
  env = await createIsolatedEnv();
  const fixture = await readFile(join(import.meta.dirname, '..', 'fixtures', 'aws-config', 'reference.config'), 'utf8');
  original = fixture.replaceAll('{{PKI}}', PKI_DIR).replace('[profile developer]', `[profile ${NAME}]`);
  await writeFile(env.configFile, original);
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

describe('rolecall import', () => {
  it('previews the line it would take over and the config diff, changing nothing', async () => {
    const preview = await env.cli(['import']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(`✔ ${NAME} (aws_signing_helper) → Rolecall profile ${NAME}`);
    expect(preview.stdout).toContain('-credential_process = /usr/local/bin/aws_signing_helper credential-process');
    expect(preview.stdout).toContain(`+credential_process = ${CLI_PATH} credential-process --profile ${NAME}`);

    const plan = JSON.parse((await env.cli(['import', '--json'])).stdout) as ImportPlan;
    expect(plan.configPath).toBe(env.configFile);
    expect(plan.candidates).toEqual([
      expect.objectContaining({
        awsProfile: NAME,
        tool: 'aws_signing_helper',
        certificatePath: pkiPath('leaf-rsa2048.cert.pem'),
        privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem'),
        intermediatesPath: pkiPath('intermediate-ca.cert.pem'),
        trustAnchorArn: TRUST_ANCHOR_ARN,
        profileArn: PROFILE_ARN,
        roleArn: ROLE_ARN,
        problems: [],
      }),
    ]);
    expect(await readFile(env.configFile, 'utf8')).toBe(original);
  });

  it('applies: the key goes to the keychain, the line runs Rolecall, and the AWS CLI gets credentials the sandbox issued', async () => {
    const applied = await env.cli(['import', '--apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Imported ${NAME}`);
    expect(applied.stdout).toContain(`Rolecall did not delete them`);
    expect(applied.stdout).toContain(`    ${pkiPath('leaf-rsa2048.key.pkcs8.pem')}\n`);
    expect(existsSync(pkiPath('leaf-rsa2048.key.pkcs8.pem'))).toBe(true);
    expect(await readFile(env.configFile, 'utf8')).toBe(`[profile ${NAME}]\ncredential_process = ${CLI_PATH} credential-process --profile ${NAME}\n`);

    const again = JSON.parse((await env.cli(['import', '--apply', '--json'])).stdout) as ImportResult;
    expect(again.imported).toEqual([]);

    // The fixture names the real service; this run's stand-in is the sandbox.
    const edited = await env.cli(['profiles', 'edit', NAME, '--endpoint', sandbox.url]);
    expect(edited.code, edited.stderr).toBe(0);
    const { stdout } = await run(AWS, ['configure', 'export-credentials', '--profile', NAME], { env: env.env });
    const exported = JSON.parse(stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const issued = sandbox.issuedCredentials(exported.AccessKeyId);
    expect(issued, 'the sandbox issued these credentials').toBeDefined();
    expect(exported.SecretAccessKey).toBe(issued?.secretAccessKey);
    expect(exported.SessionToken).toBe(issued?.sessionToken);
  });
});
