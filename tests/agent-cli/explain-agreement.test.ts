// `rolecall explain` against the sandbox's own reasons: for every refusal the sandbox can give a
// profile's CreateSession, the agent activates the profile and fails, the sandbox says why
// (GET /__explain/<requestId>), `rolecall explain NAME --aws-profile admin --json` says why, and the
// two must name the same cause. The table of causes is printed at the end.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCrlCommand, EnableCrlCommand, ImportCrlCommand, RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, issueCertificate, type GeneratedKey, type IssuedCertificate } from '../../src/sandbox/certificate-factory';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { Explanation } from '../../src/shared/model';
import { assertCliBuilt } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { explainRefusal } from '../sandbox/sandbox-helpers';
import { uniqueName } from './agent-profiles';

const ACCOUNT = '123456789012';
const ANCHOR_ID = '5e1f0000-0000-4000-8000-000000000001';
const PROFILE_ID = '5e1f0000-0000-4000-8000-000000000002';
const STRICT_PROFILE_ID = '5e1f0000-0000-4000-8000-000000000003';
const ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/${ANCHOR_ID}`;
const PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/${PROFILE_ID}`;
const STRICT_PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/${STRICT_PROFILE_ID}`;
const CN_ONLY_PROFILE_ID = '5e1f0000-0000-4000-8000-000000000004';
const CN_ONLY_PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/${CN_ONLY_PROFILE_ID}`;
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const GUARDED = `arn:aws:iam::${ACCOUNT}:role/Guarded`;
const OUTSIDER = `arn:aws:iam::${ACCOUNT}:role/Outsider`;
const DEVOPS_ONLY = `arn:aws:iam::${ACCOUNT}:role/DevopsOnly`;
const DENIES_DEVOPS = `arn:aws:iam::${ACCOUNT}:role/DeniesDevops`;
const BROKEN_POLICY = `arn:aws:iam::${ACCOUNT}:role/BrokenPolicy`;
const SKEW_MS = 4 * 60 * 1000;
const run = promisify(execFile);

const GUARDED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'security' }, ArnEquals: { 'aws:SourceArn': ANCHOR_ARN } },
    },
  ],
});

/** Admits the fixture leaves' OU, so it refuses only where the profile's mappings leave the OU out. */
const DEVOPS_POLICY = GUARDED_POLICY.replace('"security"', '"devops"');

/** Allows the service, then denies the fixture leaves' OU by an explicit Deny, which wins. */
const DENY_DEVOPS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] },
    { Sid: 'NoDevops', Effect: 'Deny', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'devops' } } },
  ],
});

/** A document cut short: IAM would refuse it at CreateRole; here it is stored as is, as a hand-edited state file could. */
const UNPARSABLE_POLICY = GUARDED_POLICY.slice(0, 60);

/** What `explain` must say for each reason the sandbox gives. */
const EXPECTED_CAUSE: Record<string, string> = {
  WRONG_REGION: 'SIGNING_REGION_MISMATCH',
  SIGNATURE_EXPIRED: 'CLOCK_SKEW',
  SIGNATURE_NOT_YET_CURRENT: 'CLOCK_SKEW',
  TRUST_ANCHOR_NOT_FOUND: 'TRUST_ANCHOR_MISSING',
  TRUST_ANCHOR_DISABLED: 'TRUST_ANCHOR_DISABLED',
  LEAF_KEY_USAGE: 'CERT_KEY_USAGE',
  UNTRUSTED_CHAIN: 'UNTRUSTED_CERTIFICATE',
  CERTIFICATE_EXPIRED: 'CERT_EXPIRED',
  CERTIFICATE_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  CERTIFICATE_REVOKED: 'CERT_REVOKED',
  PROFILE_NOT_FOUND: 'RA_PROFILE_MISSING',
  PROFILE_DISABLED: 'RA_PROFILE_DISABLED',
  ROLE_NOT_FOUND: 'ROLE_MISSING',
  ROLE_NOT_IN_PROFILE: 'ROLE_NOT_IN_PROFILE',
  SESSION_NAME_NOT_ACCEPTED: 'SESSION_NAME_NOT_ACCEPTED',
  TRUST_POLICY_DENIED: 'TRUST_POLICY_DENIED',
};

let sandbox: Sandbox;
let env: IsolatedEnv;
let dir: string;
let root: IssuedCertificate;
let intermediate: IssuedCertificate;
let otherRoot: IssuedCertificate;
let leafKey: GeneratedKey;
/** An issuing CA under the root, made by its case to expire 90 s later: expired at a service 4 min ahead. */
let expiringIntermediate: IssuedCertificate;
const table: string[][] = [];

beforeAll(async () => {
  assertCliBuilt();
  const rootKey = await generateKey('ec-p256');
  root = await issueCertificate({ subject: 'CN=Explain Test Root, O=Rolecall Tests', key: rootKey, ca: true });
  intermediate = await issueCertificate({ subject: 'CN=Explain Issuing CA, O=Rolecall Tests', key: await generateKey('ec-p256'), issuer: root, ca: true, pathLength: 0 });
  otherRoot = await issueCertificate({ subject: 'CN=Other CA, O=Elsewhere', key: await generateKey('ec-p256'), ca: true });
  leafKey = await generateKey('ec-p256');
  sandbox = await startSandbox({
    account: ACCOUNT,
    trustAnchors: [{ id: ANCHOR_ID, name: 'explain-root', caPem: root.pem }],
    profiles: [
      { id: PROFILE_ID, name: 'main', roleArns: [DEVELOPER, GUARDED, DENIES_DEVOPS, BROKEN_POLICY], acceptRoleSessionName: true },
      { id: STRICT_PROFILE_ID, name: 'strict', roleArns: [DEVELOPER], acceptRoleSessionName: false },
      { id: CN_ONLY_PROFILE_ID, name: 'cn-only', roleArns: [DEVOPS_ONLY], attributeMappings: [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }] },
    ],
    roles: [
      { arn: DEVELOPER, maxSessionDurationSeconds: 43200 },
      { arn: GUARDED, assumeRolePolicyDocument: GUARDED_POLICY },
      { arn: OUTSIDER },
      { arn: DEVOPS_ONLY, assumeRolePolicyDocument: DEVOPS_POLICY },
      { arn: DENIES_DEVOPS, assumeRolePolicyDocument: DENY_DEVOPS_POLICY },
      { arn: BROKEN_POLICY, assumeRolePolicyDocument: UNPARSABLE_POLICY },
    ],
  });
  env = await createIsolatedEnv();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-explain-'));
  await writeFile(env.credentialsFile, `[admin]\naws_access_key_id = ${sandbox.adminKey.accessKeyId}\naws_secret_access_key = ${sandbox.adminKey.secretAccessKey}\n`, { mode: 0o600 });
  const started = await env.cli(['status']);
  expect(started.code, started.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  if (table.length > 0) {
    const head = ['refusal set up', 'sandbox reason', 'explain verdict', 'agree'];
    const widths = head.map((title, index) => Math.max(title.length, ...table.map((row) => (row[index] ?? '').length)));
    const line = (row: readonly string[]) => `| ${row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
    console.log(['', line(head), line(widths.map((width) => '-'.repeat(width))), ...table.map(line)].join('\n'));
  }
  await env?.stop();
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Case {
  readonly name: string;
  readonly leaf?: () => Promise<IssuedCertificate>;
  /** The intermediate sent with the leaf (default: the test's issuing CA). */
  readonly intermediate?: () => IssuedCertificate;
  readonly trustAnchorArn?: string;
  readonly profileArn?: string;
  readonly roleArn?: string;
  readonly signingRegion?: string;
  readonly roleSessionName?: string;
  /** For a trust policy refusal: the value explain must say the session carries (null: none). */
  readonly carried?: string | null;
  /** What explain's summary of the cause must say (the link, the statement, the parse failure). */
  readonly summary?: RegExp;
  /** Changes the sandbox before the activation; returns what puts it back. */
  readonly arrange?: (leaf: IssuedCertificate) => Restore | Promise<Restore>;
}

/** Puts the sandbox back; revoking a leaf is undone with an API call, so it may be asynchronous. */
type Restore = () => void | Promise<void>;

const leafFrom = (issuer: IssuedCertificate, overrides: { notBefore?: Date; notAfter?: Date; keyUsage?: number; ou?: string } = {}) =>
  issueCertificate({
    subject: `CN=explain-client, OU=${overrides.ou ?? 'devops'}, O=Rolecall Tests`,
    key: leafKey,
    issuer,
    ...(overrides.notBefore && { notBefore: overrides.notBefore }),
    ...(overrides.notAfter && { notAfter: overrides.notAfter }),
    ...(overrides.keyUsage !== undefined && { keyUsage: overrides.keyUsage }),
  });

const skew = (ms: number) => () => {
  sandbox.switches.clockSkewMs = ms;
  return () => {
    sandbox.switches.clockSkewMs = 0;
  };
};

function adminRolesAnywhere(): RolesAnywhereClient {
  return new RolesAnywhereClient({ region: 'us-east-1', endpoint: sandbox.url, credentials: sandbox.adminKey, maxAttempts: 1 });
}

/** The root's CRL listing the leaf, made by `openssl ca -gencrl` from an index naming it revoked. */
async function revoke(leaf: IssuedCertificate): Promise<() => Promise<void>> {
  const caDir = await mkdtemp(join(dir, 'ca-'));
  const stamp = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const serial = leaf.serialHex.toUpperCase().padStart(leaf.serialHex.length + (leaf.serialHex.length % 2), '0');
  await writeFile(join(caDir, 'ca.pem'), root.pem);
  await writeFile(join(caDir, 'ca.key'), root.key.privateKeyPem, { mode: 0o600 });
  await writeFile(join(caDir, 'index.txt'), `R\t${stamp(leaf.certificate.notAfter)}\t${stamp(new Date(Date.now() - 60_000))}\t${serial}\tunknown\t/CN=explain-client\n`);
  await writeFile(join(caDir, 'crlnumber'), '01\n');
  await writeFile(
    join(caDir, 'ca.cnf'),
    ['[ ca ]', 'default_ca = CA_default', '[ CA_default ]', `database = ${join(caDir, 'index.txt')}`, `crlnumber = ${join(caDir, 'crlnumber')}`,
      `certificate = ${join(caDir, 'ca.pem')}`, `private_key = ${join(caDir, 'ca.key')}`, 'default_md = sha256', 'default_crl_days = 30', ''].join('\n'),
  );
  await run('openssl', ['ca', '-config', join(caDir, 'ca.cnf'), '-gencrl', '-out', join(caDir, 'crl.pem')]);
  const client = adminRolesAnywhere();
  const imported = await client.send(new ImportCrlCommand({ name: 'explain-crl', trustAnchorArn: ANCHOR_ARN, crlData: await readFile(join(caDir, 'crl.pem')), enabled: true }));
  // ImportCrl's `enabled` is not in this SDK release's model, so the CRL is enabled on its own.
  await client.send(new EnableCrlCommand({ crlId: imported.crl?.crlId ?? '' }));
  return async () => {
    await client.send(new DeleteCrlCommand({ crlId: imported.crl?.crlId ?? '' }));
    client.destroy();
  };
}

const CASES: Case[] = [
  { name: 'signing region eu-west-1, endpoint us-east-1', signingRegion: 'eu-west-1' },
  { name: 'this computer 10 min behind the service', arrange: skew(10 * 60 * 1000) },
  { name: 'this computer 10 min ahead of the service', arrange: skew(-10 * 60 * 1000) },
  { name: 'trust anchor ARN that does not exist', trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/5e1f0000-0000-4000-8000-00000000dead` },
  {
    name: 'trust anchor disabled',
    arrange: () => {
      const anchor = sandbox.config.trustAnchors[0];
      if (anchor) anchor.enabled = false;
      return () => {
        if (anchor) anchor.enabled = true;
      };
    },
  },
  { name: 'leaf without keyUsage', leaf: () => leafFrom(intermediate, { keyUsage: 0 }) },
  { name: 'leaf from "Other CA"', leaf: () => leafFrom(otherRoot) },
  { name: 'leaf expired at the service (4 min ahead)', leaf: () => leafFrom(intermediate, { notAfter: new Date(Date.now() + 90_000) }), arrange: skew(SKEW_MS) },
  { name: 'leaf not yet valid at the service (4 min behind)', leaf: () => leafFrom(intermediate, { notBefore: new Date(Date.now() - 90_000) }), arrange: skew(-SKEW_MS) },
  {
    name: 'intermediate CA expired at the service (4 min ahead), leaf still valid',
    leaf: async () => {
      expiringIntermediate = await issueCertificate({ subject: 'CN=Explain Expiring CA, O=Rolecall Tests', key: await generateKey('ec-p256'), issuer: root, ca: true, pathLength: 0, notAfter: new Date(Date.now() + 90_000) });
      return leafFrom(expiringIntermediate);
    },
    intermediate: () => expiringIntermediate,
    arrange: skew(SKEW_MS),
    summary: /^CN=Explain Expiring CA, O=Rolecall Tests in the chain expired /,
  },
  { name: 'leaf revoked by the anchor\'s CRL', arrange: (leaf) => revoke(leaf) },
  { name: 'profile ARN that does not exist', profileArn: `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/5e1f0000-0000-4000-8000-00000000dead` },
  {
    name: 'profile disabled',
    arrange: () => {
      const profile = sandbox.config.profiles[0];
      if (profile) profile.enabled = false;
      return () => {
        if (profile) profile.enabled = true;
      };
    },
  },
  { name: 'role that does not exist', roleArn: `arn:aws:iam::${ACCOUNT}:role/Nobody` },
  { name: 'role not in the profile', roleArn: OUTSIDER },
  { name: 'session name, profile does not accept one', profileArn: STRICT_PROFILE_ARN, roleSessionName: 'alice-laptop' },
  { name: 'trust policy wants OU=security, cert has devops', roleArn: GUARDED, carried: 'devops' },
  { name: 'trust policy wants OU=devops, profile maps only the CN', profileArn: CN_ONLY_PROFILE_ARN, roleArn: DEVOPS_ONLY, carried: null },
  { name: 'trust policy allows, then an explicit Deny matches OU=devops', roleArn: DENIES_DEVOPS, carried: 'devops', summary: /^statement "NoDevops" of the trust policy of .*DeniesDevops denies sts:AssumeRole: its condition StringEquals aws:PrincipalTag\/x509Subject\/OU "devops" holds \(the certificate gives "devops"\)$/ },
  { name: 'trust policy document that does not parse', roleArn: BROKEN_POLICY, summary: /^the trust policy of .*BrokenPolicy cannot be read: the trust policy is not JSON/ },
];

async function writeMaterial(name: string, leaf: IssuedCertificate, issuing = intermediate): Promise<{ certificatePath: string; privateKeyPath: string; intermediatesPath: string }> {
  const certificatePath = join(dir, `${name}.pem`);
  const privateKeyPath = join(dir, `${name}.key`);
  const intermediatesPath = join(dir, `${name}.chain.pem`);
  await writeFile(certificatePath, leaf.pem);
  await writeFile(privateKeyPath, leaf.key.privateKeyPem, { mode: 0o600 });
  await chmod(privateKeyPath, 0o600);
  await writeFile(intermediatesPath, issuing.pem);
  return { certificatePath, privateKeyPath, intermediatesPath };
}

describe('rolecall explain agrees with the sandbox on why CreateSession was refused', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const name = uniqueName('why');
      const leaf = testCase.leaf ? await testCase.leaf() : await leafFrom(intermediate);
      const agent = await env.agent();
      const draft = await agent.call('drafts.open', await writeMaterial(name, leaf, testCase.intermediate?.()));
      await agent.call('profiles.add', {
        name,
        draftId: draft.draftId,
        trustAnchorArn: testCase.trustAnchorArn ?? ANCHOR_ARN,
        profileArn: testCase.profileArn ?? PROFILE_ARN,
        roleArn: testCase.roleArn ?? DEVELOPER,
        endpoint: sandbox.url,
        ...(testCase.signingRegion !== undefined && { signingRegion: testCase.signingRegion }),
        ...(testCase.roleSessionName !== undefined && { roleSessionName: testCase.roleSessionName }),
      });
      const restore = testCase.arrange ? await testCase.arrange(leaf) : undefined;
      try {
        const before = sandbox.requests.entries.length;
        await expect(agent.call('sessions.activate', { name })).rejects.toBeDefined();
        const refused = sandbox.requests.entries.slice(before).find((entry) => entry.operation === 'CreateSession');
        expect(refused?.status, 'the request reached the sandbox and was refused').not.toBe(201);
        const why = await explainRefusal(sandbox, refused?.requestId);

        const result = await env.cli(['explain', name, '--aws-profile', 'admin', '--json']);
        expect(result.stderr).toBe('');
        const explanation = JSON.parse(result.stdout) as Explanation;
        const agree = explanation.cause?.cause === EXPECTED_CAUSE[why.reason];
        table.push([testCase.name, why.reason, `${explanation.cause?.cause ?? explanation.verdict}: ${explanation.cause?.summary ?? ''}`.slice(0, 140), agree ? 'yes' : 'NO']);
        expect(explanation.verdict).toBe('cause');
        expect(explanation.cause?.cause, `sandbox said ${why.reason}${why.explanation ? ` (${why.explanation})` : ''}`).toBe(EXPECTED_CAUSE[why.reason]);
        if (testCase.carried !== undefined) expect(explanation.cause?.carried).toBe(testCase.carried);
        if (testCase.summary) expect(explanation.cause?.summary).toMatch(testCase.summary);
        expect(result.code).toBe(1);
        // The timeline's failed event already carries explain's cause as its code, found with no AWS call
        // beyond CreateSession: the service's message and the local checks of refusal-cause.ts. A trust
        // policy refusal is the one the service does not name; its code stays ACCESS_DENIED and its next
        // step sends the user to `rolecall explain NAME`, which reads the policy.
        const { events } = await agent.call('timeline.get', { name });
        const failed = events.find((event) => event.kind === 'failed');
        if (explanation.cause?.cause === 'TRUST_POLICY_DENIED') {
          expect(failed?.problem).toMatchObject({ code: 'ACCESS_DENIED', next: expect.stringContaining(`rolecall explain ${name}`) });
        } else {
          expect(failed?.problem?.code).toBe(explanation.cause?.cause);
        }
      } finally {
        await agent.call('sessions.deactivate', { name }).catch(() => undefined);
        if (restore) await restore();
        await agent.close();
      }
    }, 60_000);
  }

  it('a profile the sandbox accepts is clear, with every check made', async () => {
    const name = uniqueName('fine');
    const agent = await env.agent();
    try {
      const draft = await agent.call('drafts.open', await writeMaterial(name, await leafFrom(intermediate)));
      await agent.call('profiles.add', { name, draftId: draft.draftId, trustAnchorArn: ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: DEVELOPER, endpoint: sandbox.url });
      await agent.call('sessions.activate', { name });
      const result = await env.cli(['explain', name, '--aws-profile', 'admin', '--json']);
      const explanation = JSON.parse(result.stdout) as Explanation;
      table.push(['accepted profile', '(201 Created)', explanation.verdict, explanation.verdict === 'clear' ? 'yes' : 'NO']);
      expect(explanation.checks.filter((check) => check.outcome === 'fail' || check.outcome === 'unknown')).toEqual([]);
      expect(explanation.verdict).toBe('clear');
      expect(result.code).toBe(0);
      await agent.call('sessions.deactivate', { name });
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('without AWS credentials, --policy FILE decides: it names the condition that failed, wanted and carried, as the sandbox refused', async () => {
    const name = uniqueName('policy-file');
    const agent = await env.agent();
    try {
      const draft = await agent.call('drafts.open', await writeMaterial(name, await leafFrom(intermediate)));
      await agent.call('profiles.add', { name, draftId: draft.draftId, trustAnchorArn: ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: GUARDED, endpoint: sandbox.url });
      const before = sandbox.requests.entries.length;
      await expect(agent.call('sessions.activate', { name })).rejects.toBeDefined();
      const refused = sandbox.requests.entries.slice(before).find((entry) => entry.operation === 'CreateSession');
      const why = await explainRefusal(sandbox, refused?.requestId);
      const policyFile = join(dir, 'guarded-trust-policy.json');
      await writeFile(policyFile, GUARDED_POLICY);

      const result = await env.cli(['explain', name, '--policy', policyFile, '--json']);
      expect(result.stderr).toBe('');
      const explanation = JSON.parse(result.stdout) as Explanation;
      table.push(['trust policy from --policy FILE, no AWS credentials', why.reason, `${explanation.cause?.cause ?? explanation.verdict}: ${explanation.cause?.summary ?? ''}`.slice(0, 140), explanation.cause?.cause === EXPECTED_CAUSE[why.reason] ? 'yes' : 'NO']);
      expect(explanation.verdict).toBe('cause');
      expect(explanation.cause).toMatchObject({
        check: 'trust-policy',
        cause: EXPECTED_CAUSE[why.reason],
        summary: `the trust policy in ${policyFile}, statement 1: StringEquals aws:PrincipalTag/x509Subject/OU wants "security"; the certificate gives "devops"`,
        wanted: ['security'],
        carried: 'devops',
      });
      // Nothing was read from AWS: what the policy file could not tell stays unknown, with the permission that would.
      expect(explanation.checks.filter((check) => check.outcome === 'unknown').map((check) => check.permission)).toEqual(
        expect.arrayContaining(['rolesanywhere:GetTrustAnchor', 'rolesanywhere:GetProfile', 'iam:GetRole']),
      );
      expect(result.code).toBe(1);

      const text = await env.cli(['explain', name, '--policy', policyFile]);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`✖ ${name}: the trust policy in ${policyFile}, statement 1: StringEquals aws:PrincipalTag/x509Subject/OU wants "security"`);
      expect(text.stdout).toContain('  wanted:  "security"\n  carried: "devops"');
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('without credentials it names the permissions that would let it look, and still finds what it can', async () => {
    const name = uniqueName('blind');
    const agent = await env.agent();
    try {
      const draft = await agent.call('drafts.open', await writeMaterial(name, await leafFrom(otherRoot)));
      await agent.call('profiles.add', { name, draftId: draft.draftId, trustAnchorArn: ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: DEVELOPER, endpoint: sandbox.url });
      const blind = JSON.parse((await env.cli(['explain', name, '--json'])).stdout) as Explanation;
      expect(blind.verdict).toBe('unknown');
      expect(blind.checks.flatMap((check) => (check.permission ? [check.permission] : []))).toEqual(
        expect.arrayContaining(['rolesanywhere:GetTrustAnchor', 'rolesanywhere:GetProfile', 'iam:GetRole']),
      );
      const caFile = join(dir, 'anchor.pem');
      await writeFile(caFile, root.pem);
      const withCa = await env.cli(['explain', name, '--ca', caFile, '--json']);
      const explanation = JSON.parse(withCa.stdout) as Explanation;
      expect(explanation.cause?.cause).toBe('UNTRUSTED_CERTIFICATE');
      expect(explanation.cause?.summary).toContain('CN=Other CA');
      expect(withCa.code).toBe(1);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
