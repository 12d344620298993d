// The "Why?" dialog's words: core's explain() decides from a real certificate and facts, and the window
// says the cause, what the trust policy wanted and what the certificate carries, and a next step in its
// own words (no terminal command) for every cause explain can name.
import { describe, expect, it } from 'vitest';
import { explain, type ExplainFacts } from '../../src/core/diagnosis/explain';
import { parseCertificates } from '../../src/core/pki';
import { explainView } from '../../src/renderer/format/explain';
import { readPki } from '../helpers/fixtures';

const [leaf] = parseCertificates(readPki('leaf-ec-p256.cert.pem'));
const [intermediate] = parseCertificates(readPki('intermediate-ca.cert.pem'));
const [root] = parseCertificates(readPki('root-ca.cert.pem'));
const ANCHOR = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0b1e5a3c-0000-4000-8000-000000000001';
const ROLE = 'arn:aws:iam::123456789012:role/Developer';

function facts(trustPolicy: string, overrides: Partial<ExplainFacts> = {}): ExplainFacts {
  const now = Date.now();
  return {
    name: 'dev',
    trustAnchorArn: ANCHOR,
    profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/0b1e5a3c-0000-4000-8000-000000000002',
    roleArn: ROLE,
    signingRegion: 'us-east-1',
    durationSeconds: 3600,
    leaf: leaf!,
    chain: [intermediate!],
    now,
    serviceNow: now,
    anchor: { kind: 'found', value: { enabled: true, certificates: [root!] }, source: 'GetTrustAnchor' },
    revocation: { kind: 'found', value: { revoked: new Map() }, source: 'ListCrls' },
    profile: { kind: 'found', value: { enabled: true, roleArns: [ROLE], durationSeconds: 3600, acceptRoleSessionName: false }, source: 'GetProfile' },
    role: { kind: 'found', value: { maxSessionDurationSeconds: 3600, trustPolicy }, source: 'GetRole' },
    ...overrides,
  };
}

const policy = (condition: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: condition }] });

describe('the window says why', () => {
  it('names the trust policy condition, the value it wants and the value the certificate carries', () => {
    const view = explainView(explain(facts(policy({ StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'security' } }))));
    expect(view.headline).toContain('aws:PrincipalTag/x509Subject/OU');
    expect(view.wanted).toBe('"security"');
    expect(view.carried).not.toBe('"security"');
    expect(view.next).not.toMatch(/`|rolecall |(^|\s)--[a-z]/);
  });

  it('says every check passed when the policy admits the certificate', () => {
    const tags = explain(facts(policy({}))).checks.find((check) => check.check === 'principal-tags');
    const ou = /x509Subject\/OU=([^,]+)/.exec(tags?.summary ?? '')?.[1];
    const view = explainView(explain(facts(policy(ou ? { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': ou } } : {}))));
    expect(view.next).toBeUndefined();
    expect(view.headline).toMatch(/Every check passed/);
  });

  it('words each cause for the window, without terminal commands', () => {
    const causes = [
      explain(facts(policy({}), { signingRegion: 'eu-west-1' })),
      explain(facts(policy({}), { serviceNow: Date.now() + 10 * 60_000 })),
      explain(facts(policy({}), { anchor: { kind: 'found', value: { enabled: false, certificates: [root!] }, source: 'GetTrustAnchor' } })),
      explain(facts(policy({}), { chain: [] })),
      explain(facts(policy({}), { roleSessionName: 'alice' })),
      explain(facts(policy({}), { profile: { kind: 'missing', source: 'GetProfile' } })),
    ];
    expect(causes.map((explanation) => explanation.cause?.cause)).toEqual(['SIGNING_REGION_MISMATCH', 'CLOCK_SKEW', 'TRUST_ANCHOR_DISABLED', 'UNTRUSTED_CERTIFICATE', 'SESSION_NAME_NOT_ACCEPTED', 'RA_PROFILE_MISSING']);
    for (const explanation of causes) expect(explainView(explanation).next, explanation.cause?.cause).not.toMatch(/`|rolecall |(^|\s)--[a-z]/);
  });
});
