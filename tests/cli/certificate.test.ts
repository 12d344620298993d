// From nothing to a working profile with the built CLI, a real background agent, the run's throwaway
// keychain and the sandbox: `certificate new` → the CSR signed once by `openssl x509 -req` with a CA
// made as the tutorials make one, once by `rolecall ca issue` → `certificate import` → `profiles add
// --from-certificate` → activate → /usr/bin/aws sts get-caller-identity. The key never reaches a file.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateView } from '../../src/core/certificates';
import type { Sandbox } from '../../src/sandbox/server';
import { signWithOpenssl, verifiedCsrText } from '../core/certificates/helpers';
import { uniqueName } from '../agent-cli/agent-profiles';
import { TRUST_ANCHOR_ARN, arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { expectKeyInNoFile } from '../helpers/key-leak';
import type { CliResult } from '../helpers/cli';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa } from '../sandbox/openssl-ca';

const run = promisify(execFile);
const TRUST_ANCHOR_ID = TRUST_ANCHOR_ARN.split('/')[1] ?? '';
const SUBJECT = 'CN=alice,OU=devops,O=Example Corp,C=US';

// Files written from here on are scanned for the keychain-born keys.
const startedAt = Date.now();
let dir: string;
let env: IsolatedEnv;
let ca: OpensslCa;
const sandboxes: Sandbox[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-certificate-cli-'));
  ca = await makeOpensslCa(dir);
  env = await createIsolatedEnv();
});

afterAll(async () => {
  await env?.stop();
  await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
  await rm(dir, { recursive: true, force: true });
});

function expectSuccess(result: CliResult): void {
  expect(result.code, result.stderr).toBe(0);
}

/** A sandbox whose trust anchor (the fixtures' ARN) holds this CA. */
async function sandboxTrusting(caPem: string): Promise<Sandbox> {
  const sandbox = await startFixtureSandbox({ trustAnchors: [{ id: TRUST_ANCHOR_ID, name: 'my-ca', caPem }] });
  sandboxes.push(sandbox);
  return sandbox;
}

async function callerIdentity(sandbox: Sandbox, profile: string): Promise<{ Arn?: string }> {
  const { stdout } = await run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', profile, '--endpoint-url', sandbox.url, '--output', 'json', '--region', 'us-east-1'], { env: { ...env.env, AWS_PAGER: '' } });
  return JSON.parse(stdout) as { Arn?: string };
}

describe('rolecall certificate and rolecall ca', () => {
  it('takes a CSR signed by openssl x509 -req to a profile the AWS CLI uses against the sandbox', async () => {
    const sandbox = await sandboxTrusting(ca.pem);
    const made = await env.cli(['certificate', 'new', 'alice', '--subject', SUBJECT, '--san', 'dns:alice.example.com']);
    expectSuccess(made);
    expect(made.stdout).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
    expect(made.stderr).toContain('openssl x509 -req -in alice.csr');
    expect(made.stderr).toContain('extendedKeyUsage=clientAuth');
    expect(made.stderr).toContain('cfssl sign');
    expect(made.stderr).toContain('aws acm-pca issue-certificate');
    expect(made.stderr).toContain('--csr fileb://alice.csr --signing-algorithm SHA256WITHECDSA');
    expect(made.stderr).toContain('--template-arn arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1');
    expect(made.stderr).toContain('rolecall certificate import alice --certificate alice.pem');
    expect(await verifiedCsrText(dir, made.stdout)).toContain('TLS Web Client Authentication');

    const issuedPath = join(dir, 'alice.pem');
    await writeFile(issuedPath, await signWithOpenssl(ca, made.stdout));
    const imported = await env.cli(['certificate', 'import', 'alice', '--certificate', issuedPath]);
    expectSuccess(imported);
    expect(imported.stdout).toContain('--from-certificate alice');

    const listed = JSON.parse((await env.cli(['certificate', 'list', '--json'])).stdout) as CertificateView[];
    expect(listed).toEqual([expect.objectContaining({ name: 'alice', state: 'issued', keyType: 'p256', keyStorage: 'keychain', issuedBy: { kind: 'external' }, stale: false })]);

    const profile = uniqueName('from-openssl');
    const added = await env.cli(['profiles', 'add', profile, '--from-certificate', 'alice', '--endpoint', sandbox.url, ...arnFlags(), '--activate']);
    expectSuccess(added);
    expect(added.stdout).toContain('x509Subject/OU');
    expect((await callerIdentity(sandbox, profile)).Arn).toContain(':assumed-role/Developer/');
    const stored = JSON.parse(await readFile(join(env.dataDir, 'profiles.json'), 'utf8')) as { profiles: { name: string; certificate?: string }[] };
    expect(stored.profiles.find((definition) => definition.name === profile)?.certificate, 'the profile remembers the request it came from').toBe('alice');
    await expectKeyInNoFile(env, 'alice', startedAt);
  });

  it('takes a request issued by a Rolecall CA to a profile the AWS CLI uses against the sandbox', async () => {
    const created = await env.cli(['ca', 'create', 'team', '--subject', 'CN=Team CA,O=Example Corp']);
    expectSuccess(created);
    const caView = JSON.parse((await env.cli(['ca', 'show', 'team', '--json'])).stdout) as { certificatePath: string; certificatePem: string };
    expect(created.stdout).toContain(caView.certificatePath);
    expect(caView.certificatePath.startsWith(env.dataDir)).toBe(true);
    const sandbox = await sandboxTrusting(await readFile(caView.certificatePath, 'utf8'));

    const csrPath = join(dir, 'bob.csr');
    const made = await env.cli(['certificate', 'new', 'bob', '--subject', 'CN=bob,OU=devops', '--key-type', 'rsa2048', '--out', csrPath]);
    expectSuccess(made);
    expect(made.stdout).toContain('rolecall ca issue team --for bob');
    expect(await readFile(csrPath, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);

    const issued = await env.cli(['ca', 'issue', 'team', '--for', 'bob', '--days', '30', '--json']);
    expectSuccess(issued);
    expect(JSON.parse(issued.stdout)).toMatchObject({ name: 'bob', state: 'issued', issuedBy: { kind: 'rolecall-ca', ca: 'team' } });

    const profile = uniqueName('from-rolecall-ca');
    expectSuccess(await env.cli(['profiles', 'add', profile, '--from-certificate', 'bob', '--endpoint', sandbox.url, ...arnFlags(), '--activate']));
    expect((await callerIdentity(sandbox, profile)).Arn).toContain(':assumed-role/Developer/');
    await expectKeyInNoFile(env, 'bob', startedAt);
  });

  it('keeps a --key-in-file key in its own 0600 file, which a --key-in-file profile then reads; a keychain key cannot become a file', async () => {
    const sandbox = await sandboxTrusting(ca.pem);
    const keyPath = join(dir, 'gina.key');
    const csrPath = join(dir, 'gina.csr');
    expectSuccess(await env.cli(['certificate', 'new', 'gina', '--subject', 'CN=gina,OU=devops', '--key-in-file', keyPath, '--out', csrPath]));
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    const issuedPath = join(dir, 'gina.pem');
    await writeFile(issuedPath, await signWithOpenssl(ca, await readFile(csrPath, 'utf8')));
    expectSuccess(await env.cli(['certificate', 'import', 'gina', '--certificate', issuedPath]));
    const profile = uniqueName('key-in-file');
    expectSuccess(await env.cli(['profiles', 'add', profile, '--from-certificate', 'gina', '--key-in-file', '--endpoint', sandbox.url, ...arnFlags(), '--activate']));
    const view = JSON.parse((await env.cli(['profiles', 'show', profile, '--json'])).stdout) as { keyStorage: string; keyPath?: string; status: string };
    expect(view).toMatchObject({ keyStorage: 'file', keyPath, status: 'active' });

    const refused = await env.cli(['profiles', 'add', uniqueName('no-file'), '--from-certificate', 'alice', '--key-in-file', '--endpoint', sandbox.url, ...arnFlags()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[KEY_FILE_UNKNOWN]');
  });

  it('refuses a certificate for another key, naming both public keys\' fingerprints', async () => {
    expectSuccess(await env.cli(['certificate', 'new', 'carol', '--subject', 'CN=carol', '--out', join(dir, 'carol.csr')]));
    const other = await issueOpensslLeaf(ca, 'someone-else', '/CN=carol');
    const refused = await env.cli(['certificate', 'import', 'carol', '--certificate', other.certificatePath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[ISSUED_KEY_MISMATCH]');
    expect(refused.stderr.match(/(?:[0-9A-F]{2}:){31}[0-9A-F]{2}/g)).toHaveLength(2);
    const view = JSON.parse((await env.cli(['certificate', 'show', 'carol', '--json'])).stdout) as CertificateView;
    expect(view.state).toBe('pending');
    expect(refused.stderr).toContain(view.publicKeySha256);
  });

  it('refuses a certificate without digitalSignature, and a profile from a request still pending', async () => {
    const csrPath = join(dir, 'dave.csr');
    expectSuccess(await env.cli(['certificate', 'new', 'dave', '--subject', 'CN=dave', '--out', csrPath]));
    const issuedPath = join(dir, 'dave.pem');
    await writeFile(issuedPath, await signWithOpenssl(ca, await readFile(csrPath, 'utf8'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=clientAuth\n'));
    const refused = await env.cli(['certificate', 'import', 'dave', '--certificate', issuedPath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[CERT_KEY_USAGE]');
    const pending = await env.cli(['profiles', 'add', uniqueName('pending'), '--from-certificate', 'dave', ...arnFlags()]);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain('[CERTIFICATE_NOT_ISSUED]');
  });

  it('refuses an unsupported key type or curve and a subject Roles Anywhere cannot map, keeping nothing', async () => {
    const before = (await env.cli(['certificate', 'list', '--json'])).stdout;
    for (const keyType of ['ed25519', 'p521']) {
      const refused = await env.cli(['certificate', 'new', 'erin', '--subject', 'CN=erin', '--key-type', keyType]);
      expect(refused.code, keyType).toBe(1);
      expect(refused.stderr).toContain('[KEY_TYPE_UNSUPPORTED]');
    }
    const badSubject = await env.cli(['certificate', 'new', 'erin', '--subject', 'CN=erin,emailAddress=erin@example.com']);
    expect(badSubject.code).toBe(1);
    expect(badSubject.stderr).toContain('[SUBJECT_INVALID]');
    expect((await env.cli(['certificate', 'list', '--json'])).stdout).toBe(before);
  });

  it('removes a request with its key, and has help for every subcommand', async () => {
    expectSuccess(await env.cli(['certificate', 'new', 'frank', '--subject', 'CN=frank', '--out', join(dir, 'frank.csr')]));
    const removed = await env.cli(['certificate', 'remove', 'frank', '--yes']);
    expectSuccess(removed);
    expect(removed.stdout).toContain('deleted from the keychain');
    expect((await env.cli(['certificate', 'show', 'frank'])).stderr).toContain('[CERTIFICATE_NOT_FOUND]');
    for (const args of [['certificate'], ['ca']]) {
      expect((await env.cli([...args, '--help'])).code).toBe(0);
    }
    for (const sub of ['new', 'import', 'list', 'show', 'remove']) expect((await env.cli(['certificate', sub, '--help'])).stdout).toContain(`rolecall certificate ${sub}`);
    for (const sub of ['create', 'issue', 'list', 'show', 'remove']) expect((await env.cli(['ca', sub, '--help'])).stdout).toContain(`rolecall ca ${sub}`);
  });
});
