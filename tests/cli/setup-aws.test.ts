// `rolecall setup aws` and `rolecall policy` end to end: the built CLI against the sandbox's Roles
// Anywhere and IAM control planes, an openssl CA as the tutorials make it, the agent, the keychain of the
// test session, and /usr/bin/aws and boto3 as the clients that use the profile. Needs `npm run build:cli`.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createSessionAuthorization, evaluateTrustPolicy, parseTrustPolicy } from '../../src/sandbox/policy';
import type { CertificateView } from '../../src/core/certificates';
import { signWithOpenssl } from '../core/certificates/helpers';
import { startRefusingProxy, type RefusingProxy } from '../core/aws-setup/refusing-proxy';
import { assertCliBuilt, CLI_PATH } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { expectKeyInNoFile } from '../helpers/key-leak';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa, type OpensslLeaf } from '../sandbox/openssl-ca';
import { explainLastCreateSession } from '../sandbox/sandbox-helpers';

const run = promisify(execFile);
const REGION = 'eu-west-1';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

// Files written from here on are scanned for the keychain-born keys.
const startedAt = Date.now();
let dir: string;
let sandbox: Sandbox;
let env: IsolatedEnv;
let ca: OpensslCa;
let alice: OpensslLeaf;
let mallory: OpensslLeaf;
let arns: { trustAnchor: string; profile: string; role: string };

function setupArgs(name: string, leaf: OpensslLeaf, ...extra: string[]): string[] {
  return ['setup', 'aws', '--name', name, '--ca-file', ca.certificatePath, '--certificate', leaf.certificatePath, '--private-key', leaf.keyPath, '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', sandbox.url, ...extra];
}

/** /usr/bin/aws with the isolated env's AWS files (where Rolecall delivers and the admin profile lives). */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('/usr/bin/aws', [...args, '--endpoint-url', sandbox.url, '--output', 'json'], { env: { ...env.env, AWS_PAGER: '', AWS_DEFAULT_REGION: REGION } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

function arnAfter(label: string, text: string): string {
  const match = new RegExp(`${label}\\s+(arn:\\S+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${label} in:\n${text}`);
  return match[1];
}

/** The boto3 session's caller ARN for a profile of the isolated env's AWS files. */
async function boto3Arn(profile: string): Promise<string> {
  const script = "import boto3, sys; print(boto3.Session(profile_name=sys.argv[1]).client('sts', endpoint_url=sys.argv[2]).get_caller_identity()['Arn'])";
  const { stdout } = await run('/usr/bin/python3', ['-c', script, profile, sandbox.url], { env: { ...env.env, AWS_DEFAULT_REGION: REGION } });
  return stdout.trim();
}

/** An issuing CA under the tutorial root, as a two-tier PKI makes one: `openssl x509 -req` with CA:true, pathlen:0. */
async function makeIntermediateCa(root: OpensslCa, folder: string): Promise<OpensslCa> {
  await mkdir(folder, { recursive: true });
  const keyPath = join(folder, 'issuing.key');
  const csrPath = join(folder, 'issuing.csr');
  const certificatePath = join(folder, 'issuing.pem');
  const extPath = join(folder, 'issuing.ext');
  await writeFile(extPath, 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n');
  await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', '/C=US/O=Example Corp/CN=Setup Issuing CA']);
  await run('openssl', ['x509', '-req', '-in', csrPath, '-CA', root.certificatePath, '-CAkey', root.keyPath, '-CAcreateserial', '-sha256', '-days', '180', '-extfile', extPath, '-out', certificatePath]);
  return { dir: folder, certificatePath, keyPath, pem: await readFile(certificatePath, 'utf8') };
}

/** Control-plane calls that change the account (CreateSession only mints a session). */
const changes = () => sandbox.requests.entries.filter((entry) => entry.operation !== 'CreateSession' && /^(Create|Attach|Delete|Detach|Update)/.test(entry.operation)).length;

beforeAll(async () => {
  assertCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-setup-aws-'));
  sandbox = await startSandbox({ region: REGION, stateFile: join(dir, 'sandbox', 'state.json') });
  env = await createIsolatedEnv();
  await writeFile(env.credentialsFile, `[admin]\naws_access_key_id = ${sandbox.adminKey.accessKeyId}\naws_secret_access_key = ${sandbox.adminKey.secretAccessKey}\n`, { mode: 0o600 });
  ca = await makeOpensslCa(dir, 'Setup Tutorial CA');
  alice = await issueOpensslLeaf(ca, 'alice', '/O=Example Corp/OU=devops/CN=alice');
  mallory = await issueOpensslLeaf(ca, 'mallory', '/O=Example Corp/OU=finance/CN=alice');
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rolecall setup aws --apply against the sandbox', () => {
  test('previews every resource and the whole trust policy, creates them, then adds and activates the profile that the AWS CLI uses', async () => {
    const result = await env.cli(setupArgs('dev', alice, '--policy-arn', READ_ONLY, '--apply', '--yes'), { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('trust anchor  rolecall-dev: CERTIFICATE_BUNDLE');
    expect(result.stdout).toContain('"aws:PrincipalTag/x509Subject/OU": "devops"');
    expect(result.stdout).toContain('"aws:PrincipalTag/x509Subject/CN": "alice"');
    expect(result.stdout).toContain('"aws:SourceArn": "<ARN of trust anchor rolecall-dev>"');
    expect(result.stdout.match(/created /g)).toHaveLength(3);
    expect(result.stdout).toContain(`attached managed policy ${READ_ONLY} to rolecall-dev`);
    expect(result.stdout).toContain('Ready: dev is active');
    arns = { trustAnchor: arnAfter('Trust anchor ARN', result.stdout), profile: arnAfter('Profile ARN', result.stdout), role: arnAfter('Role ARN', result.stdout) };

    const identity = await aws('sts', 'get-caller-identity', '--profile', 'dev');
    expect(identity.Arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/rolecall-dev\//);
    expect(await boto3Arn('dev')).toBe(identity.Arn);
  });

  test('leaves no private key and no AWS secret in Rolecall\'s data folder', async () => {
    const keyBody = (await readFile(alice.keyPath, 'utf8')).replace(/-----[^-]+-----|\s+/g, '').slice(0, 40);
    const files = await readdir(env.dataDir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(files.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text.replace(/\s+/g, '')).not.toContain(keyBody);
      expect(text).not.toContain(sandbox.adminKey.secretAccessKey);
    }
    expect(texts.join('\n')).toContain('"kind": "trust-anchor"');
  });

  test('the trust policy Rolecall wrote refuses a certificate of another OU from the same CA', async () => {
    const added = await env.cli(['profiles', 'add', 'mallory', '--certificate', mallory.certificatePath, '--private-key', mallory.keyPath, '--trust-anchor-arn', arns.trustAnchor, '--profile-arn', arns.profile, '--role-arn', arns.role, '--endpoint', sandbox.url, '--activate']);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain('ACCESS_DENIED');
    const explained = await explainLastCreateSession(sandbox);
    expect(explained.reason).toBe('TRUST_POLICY_DENIED');
    expect(explained.explanation).toContain('x509Subject/OU');
  });

  test('a second --apply finds everything, creates nothing and keeps the profile', async () => {
    const before = changes();
    const result = await env.cli(setupArgs('dev', alice, '--policy-arn', READ_ONLY, '--apply', '--yes'), { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/^ {2}(created|attached) /m);
    expect(result.stdout.match(/\bfound /g)).toHaveLength(3);
    expect(result.stdout).toContain('already attached managed policy');
    expect(result.stdout).toContain('The Rolecall profile dev exists with these ARNs.');
    expect(changes()).toBe(before);
  });

  test('asks before creating anything, and without a terminal says to pass --yes', async () => {
    const before = changes();
    const result = await env.cli(setupArgs('asked', alice, '--apply'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect(result.stdout).toContain('IAM role      rolecall-asked');
    expect(changes()).toBe(before);
  });
});

describe('rolecall policy NAME', () => {
  test('prints a trust policy that the sandbox\'s IAM parser accepts and that admits the profile\'s certificate', async () => {
    const result = await env.cli(['policy', 'dev']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = parseTrustPolicy(result.stdout);
    if (!parsed.ok) throw new Error(parsed.refusal.message);
    const role = sandbox.config.roles.find((candidate) => candidate.arn === arns.role);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(role?.assumeRolePolicyDocument ?? '{}'));
    const admits = (tags: Record<string, string>) =>
      evaluateTrustPolicy(parsed.policy, createSessionAuthorization({ principalTags: tags, trustAnchorArn: arns.trustAnchor, sourceIdentity: 'CN=alice', now: Date.now() })).decision;
    expect(admits({ 'x509Subject/OU': 'devops', 'x509Subject/CN': 'alice' })).toBe('Allow');
    expect(admits({ 'x509Subject/OU': 'finance', 'x509Subject/CN': 'alice' })).toBe('ImplicitDeny');
  });

  test('pins the tags asked for, and names a tag the certificate does not carry', async () => {
    const chosen = await env.cli(['policy', 'dev', '--tag', 'x509Issuer/CN', '--no-source-arn']);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(JSON.parse(chosen.stdout).Statement[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalTag/x509Issuer/CN': 'Setup Tutorial CA' } });
    const missing = await env.cli(['policy', 'dev', '--tag', 'x509SAN/DNS']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SETUP_TAG_UNKNOWN');
  });
});

describe('rolecall setup aws --commands and --template', () => {
  test('the printed commands, run line by line by bash with /usr/bin/aws against the sandbox, give a working profile', async () => {
    const printed = await env.cli(setupArgs('cmds', alice, '--policy-arn', READ_ONLY, '--commands'));
    expect(printed.code, printed.stderr).toBe(0);
    const shim = join(dir, 'bin');
    await mkdir(shim, { recursive: true });
    await writeFile(join(shim, 'rolecall'), `#!/bin/sh\nexec '${process.execPath}' '${CLI_PATH}' "$@"\n`);
    await writeFile(join(shim, 'aws'), '#!/bin/sh\nexec /usr/bin/aws "$@"\n');
    await chmod(join(shim, 'rolecall'), 0o755);
    await chmod(join(shim, 'aws'), 0o755);
    const before = changes();
    // bash reading its script from stdin runs it one line at a time, as a paste into a terminal does.
    const shell = spawn('bash', ['-e'], { env: { ...env.env, PATH: `${shim}:${process.env.PATH ?? ''}`, AWS_PAGER: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    shell.stdin.end(printed.stdout);
    const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));
    expect(code, output).toBe(0);
    expect(changes() - before).toBe(4);
    const role = sandbox.config.roles.find((candidate) => candidate.name === 'rolecall-cmds');
    expect(role?.attachedPolicyArns).toEqual([READ_ONLY]);
    const anchor = sandbox.config.trustAnchors.find((candidate) => candidate.name === 'rolecall-cmds');
    expect(JSON.parse(role?.assumeRolePolicyDocument ?? '{}').Statement[0].Condition.ArnEquals).toEqual({ 'aws:SourceArn': anchor?.arn });

    const identity = await aws('sts', 'get-caller-identity', '--profile', 'cmds');
    expect(identity.Arn).toMatch(/assumed-role\/rolecall-cmds\//);
  }, 120_000);

  test('a Rolecall CA by name becomes the trust anchor', async () => {
    const created = await env.cli(['ca', 'create', 'team', '--subject', 'CN=Team CA,O=Example Corp']);
    expect(created.code, created.stderr).toBe(0);
    const file = join(dir, 'team.json');
    const result = await env.cli(['setup', 'aws', '--name', 'team', '--ca', 'team', '--tag', 'x509Subject/OU=devops', '--tag', 'x509Subject/CN=bob', '--template', file]);
    expect(result.code, result.stderr).toBe(0);
    const template = JSON.parse(await readFile(file, 'utf8')) as { Resources: { TrustAnchor: { Properties: { Source: { SourceData: { X509CertificateData: string } } } } } };
    const pem = template.Resources.TrustAnchor.Properties.Source.SourceData.X509CertificateData;
    expect(pem.replace(/\s+/g, '')).toBe((await readFile(join(env.dataDir, 'cas', 'team.pem'), 'utf8')).replace(/\s+/g, ''));
    const unknown = await env.cli(['setup', 'aws', '--name', 'nope', '--ca', 'nope', '--tag', 'x509Subject/CN=bob', '--commands', '--region', REGION]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('CA_NOT_FOUND');
  });

  test('a request a Rolecall CA issued is set up and activated from nothing, with no key file anywhere', async () => {
    const requested = await env.cli(['certificate', 'new', 'bob', '--subject', 'CN=bob,OU=devops,O=Example Corp']);
    expect(requested.code, requested.stderr).toBe(0);
    const issued = await env.cli(['ca', 'issue', 'team', '--for', 'bob']);
    expect(issued.code, issued.stderr).toBe(0);
    const setup = ['setup', 'aws', '--name', 'bob', '--ca', 'team', '--from-certificate', 'bob', '--session-duration', '7200', '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', sandbox.url];
    const commands = await env.cli([...setup, '--commands']);
    expect(commands.stdout).toContain('rolecall profiles add bob --from-certificate bob --trust-anchor-arn "$TRUST_ANCHOR_ARN"');
    expect(commands.stdout).toMatch(/rolecall profiles add bob .*--session-duration 7200/);
    const result = await env.cli([...setup, '--apply', '--yes'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('"aws:PrincipalTag/x509Subject/CN": "bob"');
    expect(result.stdout).toContain('Ready: bob is active');
    // The profile asks for the two hours the Roles Anywhere profile allows, and the session lasts that long.
    const shown = JSON.parse((await env.cli(['profiles', 'show', 'bob', '--json'])).stdout) as { durationSeconds: number; expiresAt: string };
    expect(shown.durationSeconds).toBe(7200);
    expect(Date.parse(shown.expiresAt) - Date.now()).toBeGreaterThan(7000_000);
    const identity = await aws('sts', 'get-caller-identity', '--profile', 'bob');
    expect(identity.Arn).toMatch(/assumed-role\/rolecall-bob\//);
  }, 60_000);

  test('--template writes the CloudFormation template and prints the deploy command', async () => {
    const file = join(dir, 'roles-anywhere.yaml');
    const result = await env.cli(setupArgs('tpl', alice, '--template', file));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`aws cloudformation deploy --template-file ${file} --stack-name rolecall-tpl --capabilities CAPABILITY_NAMED_IAM --region ${REGION}`);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('Type: "AWS::RolesAnywhere::TrustAnchor"');
    expect(text).not.toContain('PRIVATE KEY');
  });
});

describe('from a key born in the keychain, through openssl and an intermediate CA, to --apply', () => {
  let root: OpensslCa;
  let issuing: OpensslCa;
  let chainPath: string;
  let erin: { trustAnchor: string; profile: string; role: string };

  /** `certificate new` (the key into the keychain), the CSR signed by the issuing CA, then `certificate import --intermediates`. */
  async function requestIssuedByIntermediate(name: string, subject: string): Promise<void> {
    const csrPath = join(dir, `${name}.csr`);
    const made = await env.cli(['certificate', 'new', name, '--subject', subject, '--out', csrPath]);
    expect(made.code, made.stderr).toBe(0);
    const issuedPath = join(dir, `${name}-issued.pem`);
    await writeFile(issuedPath, await signWithOpenssl(issuing, await readFile(csrPath, 'utf8')));
    const imported = await env.cli(['certificate', 'import', name, '--certificate', issuedPath, '--intermediates', chainPath]);
    expect(imported.code, imported.stderr).toBe(0);
    const view = JSON.parse((await env.cli(['certificate', 'show', name, '--json'])).stdout) as CertificateView;
    expect(view).toMatchObject({ state: 'issued', keyStorage: 'keychain', certificate: { issuer: expect.stringContaining('Setup Issuing CA'), chainLength: 1 } });
  }

  beforeAll(async () => {
    root = await makeOpensslCa(await mkdtemp(join(dir, 'root-')), 'Setup Root CA');
    issuing = await makeIntermediateCa(root, join(dir, 'issuing'));
    chainPath = join(dir, 'chain.pem');
    await writeFile(chainPath, issuing.pem);
  }, 60_000);

  test('certificate new, openssl x509 -req, certificate import --intermediates, setup aws --ca-file ROOT --apply: the AWS CLI and boto3 use the profile', async () => {
    await requestIssuedByIntermediate('erin', 'CN=erin,OU=platform,O=Example Corp');
    const result = await env.cli(['setup', 'aws', '--name', 'erin', '--ca-file', root.certificatePath, '--from-certificate', 'erin', '--policy-arn', READ_ONLY, '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', sandbox.url, '--apply', '--yes'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('then the Rolecall profile erin for certificate erin, activated');
    expect(result.stdout).toContain('"aws:PrincipalTag/x509Subject/OU": "platform"');
    expect(result.stdout).toContain('"aws:PrincipalTag/x509Subject/CN": "erin"');
    expect(result.stdout).toContain('Ready: erin is active');
    erin = { trustAnchor: arnAfter('Trust anchor ARN', result.stdout), profile: arnAfter('Profile ARN', result.stdout), role: arnAfter('Role ARN', result.stdout) };
    // The anchor holds the root alone: the session needs the issuing CA that certificate import took in.
    const anchor = sandbox.config.trustAnchors.find((candidate) => candidate.arn === erin.trustAnchor);
    expect(JSON.stringify(anchor)).toContain(root.pem.replace(/-----[^-]+-----|\s+/g, '').slice(0, 60));
    expect(JSON.stringify(anchor)).not.toContain(issuing.pem.replace(/-----[^-]+-----|\s+/g, '').slice(0, 60));

    const identity = await aws('sts', 'get-caller-identity', '--profile', 'erin');
    expect(identity.Arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/rolecall-erin\//);
    expect(await boto3Arn('erin')).toBe(identity.Arn);
  }, 90_000);

  test('a certificate of another OU from the same issuing CA is refused by the trust policy Rolecall wrote', async () => {
    await requestIssuedByIntermediate('frank', 'CN=erin,OU=finance,O=Example Corp');
    const added = await env.cli(['profiles', 'add', 'frank', '--from-certificate', 'frank', '--trust-anchor-arn', erin.trustAnchor, '--profile-arn', erin.profile, '--role-arn', erin.role, '--endpoint', sandbox.url, '--activate']);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain('ACCESS_DENIED');
    const explained = await explainLastCreateSession(sandbox);
    expect(explained.reason).toBe('TRUST_POLICY_DENIED');
    expect(explained.explanation).toContain('x509Subject/OU');
  }, 60_000);

  test('neither keychain-born key is in any file the run wrote', async () => {
    await expectKeyInNoFile(env, 'erin', startedAt);
    await expectKeyInNoFile(env, 'frank', startedAt);
  }, 60_000);
});

describe('setup aws --apply with an AWS profile that lacks a permission', () => {
  let proxy: RefusingProxy;

  beforeAll(async () => {
    proxy = await startRefusingProxy(sandbox.url);
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  test('names the denied action and what to do, says what it created first, and --undo removes exactly that', async () => {
    proxy.refuse({ call: 'CreateRole', status: 403, code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole on resource: role rolecall-denied' });
    const scope = ['--name', 'denied', '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', proxy.url];
    const result = await env.cli(['setup', 'aws', ...scope, '--ca-file', ca.certificatePath, '--certificate', alice.certificatePath, '--apply', '--yes'], { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[SETUP_ACCESS_DENIED]');
    expect(result.stderr).toContain('iam:CreateRole was denied');
    expect(result.stderr).toContain('Use an AWS profile allowed the action named above');
    expect(result.stderr).toMatch(/trust anchor rolecall-denied \(arn:aws:rolesanywhere:/);
    expect(result.stdout).toMatch(/created trust anchor rolecall-denied {2}arn:/);
    expect(sandbox.config.roles.map((role) => role.name)).not.toContain('rolecall-denied');

    proxy.clear();
    const undone = await env.cli(['setup', 'aws', '--undo', '--yes', ...scope]);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout.match(/removed /g)).toHaveLength(1);
    expect(sandbox.config.trustAnchors.map((anchor) => anchor.name)).not.toContain('rolecall-denied');
  }, 90_000);
});

describe('rolecall setup aws --undo', () => {
  test('removes what --apply created, the Rolecall profile it added included, and nothing the AWS CLI lines made', async () => {
    expect((await aws('sts', 'get-caller-identity', '--profile', 'dev')).Arn).toMatch(/assumed-role\/rolecall-dev\//);
    const result = await env.cli(['setup', 'aws', '--undo', '--yes', '--name', 'dev', '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', sandbox.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('the Rolecall profile dev the setup added');
    expect(result.stdout.match(/removed /g)).toHaveLength(5);
    expect(result.stdout).toContain('removed the Rolecall profile dev');
    const left = JSON.parse((await env.cli(['profiles', 'list', '--json'])).stdout) as { name: string }[];
    expect(left.map((profile) => profile.name)).not.toContain('dev');
    // What it delivered is withdrawn: the AWS CLI finds no Rolecall session for dev any more.
    expect(await readFile(env.credentialsFile, 'utf8').catch(() => '')).not.toMatch(/^\[dev\]/m);
    expect(await readFile(env.configFile, 'utf8').catch(() => '')).not.toContain('--profile dev');
    // mallory was added by hand with the same ARNs: named, not removed.
    expect(left.map((profile) => profile.name)).toContain('mallory');
    expect(result.stdout).toContain('mallory used what was removed, so Roles Anywhere will refuse it');
    expect(sandbox.config.trustAnchors.map((anchor) => anchor.name)).not.toContain('rolecall-dev');
    expect(sandbox.config.roles.map((role) => role.name)).not.toContain('rolecall-dev');
    expect(sandbox.config.profiles.map((profile) => profile.name)).not.toContain('rolecall-dev');
    expect(sandbox.config.roles.map((role) => role.name)).toContain('rolecall-cmds');
    const again = await env.cli(['setup', 'aws', '--undo', '--yes', '--name', 'dev', '--aws-profile', 'admin', '--region', REGION, '--endpoint-url', sandbox.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SETUP_NOTHING_TO_UNDO');
  });
});
