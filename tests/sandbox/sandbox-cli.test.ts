// `rolecall sandbox` as a user runs it: --trust-ca with a CA made by openssl, the AWS CLI (Debian's
// /usr/bin/aws) driving its control plane with the admin key it prints, the user's own certificate
// trading for credentials at once, the account kept across restarts, and --reset. Needs `npm run build:cli`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueOpensslLeaf, makeOpensslCa, revokeAndMakeCrl, TUTORIAL_TRUST_POLICY, type OpensslCa, type OpensslLeaf } from './openssl-ca';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'bin', 'rolecall.mjs');

interface Running {
  readonly child: ChildProcess;
  readonly output: string;
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly trustedCaArn: string | undefined;
  /** From spawning the process to the sandbox printing that it is ready. */
  readonly readyMs: number;
}

let dir: string;
let sandboxDir: string;
let ca: OpensslCa;
let alice: OpensslLeaf;
let running: Running | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sandbox-cli-'));
  sandboxDir = join(dir, 'sandbox');
  ca = await makeOpensslCa(dir, 'My Team CA');
  alice = await issueOpensslLeaf(ca, 'alice', '/O=Example Corp/OU=devops/CN=alice');
  await writeFile(join(dir, 'aws-config'), '');
  await writeFile(join(dir, 'aws-credentials'), '');
});
afterEach(async () => {
  await stop();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function startCli(...args: string[]): Promise<Running> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [CLI, 'sandbox', '--dir', sandboxDir, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rolecall sandbox did not start:\n${output}`)), 30000);
    const check = () => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rolecall sandbox exited ${code}:\n${output}`));
    });
  });
  const readyMs = performance.now() - startedAt;
  const pick = (pattern: RegExp) => pattern.exec(output)?.[1];
  running = {
    child,
    output,
    url: pick(/listening on (http:\/\/\S+)/) ?? '',
    accessKeyId: pick(/AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})\n/) ?? '',
    secretAccessKey: pick(/AWS_SECRET_ACCESS_KEY=(\S{40})\n/) ?? '',
    trustedCaArn: pick(/your CA\s+(arn:\S+)/),
    readyMs,
  };
  return running;
}

async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current || current.child.exitCode !== null) return;
  const exited = new Promise((resolve) => current.child.once('exit', resolve));
  current.child.kill('SIGINT');
  await exited;
}

async function aws(sandbox: Running, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('/usr/bin/aws', [...args, '--endpoint-url', sandbox.url, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: sandbox.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

/** What the sandbox printed after "  NAME   " on its own line. */
function printed(sandbox: Running, name: string): string {
  return new RegExp(`^  ${name}\\s+(\\S+)`, 'm').exec(sandbox.output)?.[1] ?? '';
}

type Anchors = { trustAnchors: Array<{ name: string; trustAnchorArn: string }> };

describe('rolecall sandbox', () => {
  it('trusts an openssl CA given with --trust-ca: the user\'s own certificate trades for credentials at once', async () => {
    const sandbox = await startCli('--trust-ca', ca.certificatePath);
    expect(sandbox.trustedCaArn).toMatch(/^arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor\//);
    expect(sandbox.output).toContain(`--trust-anchor-arn ${sandbox.trustedCaArn} --profile-arn`);
    const { stdout } = await run(process.execPath, [
      CLI, 'credential-process', '--endpoint', sandbox.url,
      '--certificate', alice.certificatePath, '--private-key', alice.keyPath,
      '--trust-anchor-arn', sandbox.trustedCaArn ?? '', '--profile-arn', printed(sandbox, 'profile ARN'), '--role-arn', printed(sandbox, 'role ARN'),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as unknown });
  });

  it('prints the endpoint, admin key, env vars and a profiles add line, and serves the AWS CLI with them', async () => {
    const sandbox = await startCli();
    for (const line of [`--endpoint-url ${sandbox.url} --region us-east-1`, `AWS_ENDPOINT_URL_ROLESANYWHERE=${sandbox.url}`, `AWS_ENDPOINT_URL_IAM=${sandbox.url}`, `AWS_ENDPOINT_URL_STS=${sandbox.url}`, 'rolecall profiles add sandbox-demo --endpoint']) {
      expect(sandbox.output).toContain(line);
    }
    const anchors = (await aws(sandbox, 'rolesanywhere', 'list-trust-anchors')) as Anchors;
    expect(anchors.trustAnchors.map((a) => a.trustAnchorArn)).toContain(printed(sandbox, 'trust anchor ARN'));
    const role = (await aws(sandbox, 'iam', 'get-role', '--role-name', 'RolecallDemo')) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } };
    expect(role.Role.Arn).toBe('arn:aws:iam::123456789012:role/RolecallDemo');
    expect(role.Role.AssumeRolePolicyDocument).toMatchObject({ Statement: [{ Principal: { Service: 'rolesanywhere.amazonaws.com' } }] });
    const identity = await aws(sandbox, 'sts', 'get-caller-identity');
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/rolecall-sandbox-admin');
  });

  it('keeps what the AWS CLI created across a restart, and the same --trust-ca does not make a second anchor', async () => {
    let sandbox = await startCli('--trust-ca', ca.certificatePath);
    const firstArn = sandbox.trustedCaArn;
    await writeFile(join(dir, 'source.json'), JSON.stringify({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } }));
    await writeFile(join(dir, 'trust-policy.json'), TUTORIAL_TRUST_POLICY);
    const created = (await aws(sandbox, 'rolesanywhere', 'create-trust-anchor', '--name', 'cli made', '--source', `file://${join(dir, 'source.json')}`, '--enabled')) as { trustAnchor: { trustAnchorArn: string } };
    await aws(sandbox, 'iam', 'create-role', '--role-name', 'CliRole', '--assume-role-policy-document', `file://${join(dir, 'trust-policy.json')}`);
    const profile = (await aws(sandbox, 'rolesanywhere', 'create-profile', '--name', 'cli-profile', '--role-arns', 'arn:aws:iam::123456789012:role/CliRole', '--enabled')) as { profile: { profileId: string } };
    const crl = await revokeAndMakeCrl(ca, []);
    const imported = (await aws(sandbox, 'rolesanywhere', 'import-crl', '--name', 'cli-crl', '--trust-anchor-arn', created.trustAnchor.trustAnchorArn, '--crl-data', `fileb://${crl.path}`, '--enabled')) as { crl: { crlId: string } };
    await aws(sandbox, 'rolesanywhere', 'disable-profile', '--profile-id', profile.profile.profileId);
    await stop();

    sandbox = await startCli('--trust-ca', ca.certificatePath);
    expect(sandbox.trustedCaArn).toBe(firstArn);
    expect(sandbox.output).toContain('already trusted');
    const anchors = (await aws(sandbox, 'rolesanywhere', 'list-trust-anchors')) as Anchors;
    expect(anchors.trustAnchors.filter((a) => a.trustAnchorArn === firstArn)).toHaveLength(1);
    expect(anchors.trustAnchors.map((a) => a.name)).toContain('cli made');
    const role = (await aws(sandbox, 'iam', 'get-role', '--role-name', 'CliRole')) as { Role: { AssumeRolePolicyDocument: unknown } };
    expect(role.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(TUTORIAL_TRUST_POLICY));
    const kept = (await aws(sandbox, 'rolesanywhere', 'get-profile', '--profile-id', profile.profile.profileId)) as { profile: { enabled: boolean } };
    expect(kept.profile.enabled).toBe(false);
    const keptCrl = (await aws(sandbox, 'rolesanywhere', 'get-crl', '--crl-id', imported.crl.crlId)) as { crl: { name: string } };
    expect(keptCrl.crl.name).toBe('cli-crl');
  });

  it('starts well under a second once the demo PKI exists', async () => {
    const sandbox = await startCli();
    const inProcess = Number(/ready in (\d+) ms/.exec(sandbox.output)?.[1]);
    console.log(`rolecall sandbox with an existing PKI: ready ${inProcess} ms after the command began, ${Math.round(sandbox.readyMs)} ms after spawn (node start-up included)`);
    expect(inProcess).toBeLessThan(1000);
  });

  it('--reset starts over: only the demo resources, with the same admin key', async () => {
    const before = await startCli();
    const key = before.accessKeyId;
    await stop();
    const sandbox = await startCli('--reset');
    expect(sandbox.accessKeyId).toBe(key);
    const anchors = (await aws(sandbox, 'rolesanywhere', 'list-trust-anchors')) as Anchors;
    expect(anchors.trustAnchors.map((a) => a.name)).toEqual(['rolecall-demo']);
    const roles = (await aws(sandbox, 'iam', 'list-roles')) as { Roles: Array<{ RoleName: string }> };
    expect(roles.Roles.map((r) => r.RoleName)).toEqual(['RolecallDemo']);
  });

  it('refuses a --trust-ca file that holds no CA certificate, naming it', async () => {
    const failure = run(process.execPath, [CLI, 'sandbox', '--dir', sandboxDir, '--trust-ca', alice.certificatePath], { env: { ...process.env, NO_COLOR: '1' } });
    await expect(failure).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining(`${alice.certificatePath}: `) as unknown });
    await expect(failure).rejects.toMatchObject({ stderr: expect.stringContaining('is not a CA certificate') as unknown });
  });
});
