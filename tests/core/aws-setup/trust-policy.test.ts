// The trust policy Rolecall writes, judged by the sandbox's own IAM parser and evaluator (code that
// shares nothing with the writer): it admits the certificate whose tags it pins, through its trust
// anchor, and nothing else.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pinnedTags, trustPolicy } from '../../../src/core/aws-setup';
import { createSessionAuthorization, evaluateTrustPolicy, parseTrustPolicy } from '../../../src/sandbox/policy';

const ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555';
const OTHER_ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/99999999-2222-3333-4444-555555555555';
const ALICE = { 'x509Subject/CN': 'alice', 'x509Subject/OU': 'devops', 'x509Subject/O': 'Example Corp', 'x509Issuer/CN': 'Example CA' };

function decide(policyJson: string, tags: Readonly<Record<string, string>>, trustAnchorArn = ANCHOR): string {
  const parsed = parseTrustPolicy(policyJson);
  if (!parsed.ok) throw new Error(`IAM would refuse the policy: ${parsed.refusal.message}`);
  const request = createSessionAuthorization({ principalTags: tags, trustAnchorArn, sourceIdentity: `CN=${tags['x509Subject/CN'] ?? ''}`, now: Date.now() });
  return evaluateTrustPolicy(parsed.policy, request).decision;
}

describe('the trust policy for a certificate', () => {
  test('pins the subject OU and CN by default, as the tutorials do, and the trust anchor', () => {
    const policy = trustPolicy(pinnedTags(ALICE, []), ANCHOR);
    expect(policy.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'devops', 'aws:PrincipalTag/x509Subject/CN': 'alice' },
      ArnEquals: { 'aws:SourceArn': ANCHOR },
    });
    expect(policy.Statement[0].Principal).toEqual({ Service: 'rolesanywhere.amazonaws.com' });
    expect(policy.Statement[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
  });

  test('admits the certificate it was written for, and refuses another OU, another CN or another trust anchor', () => {
    const policy = JSON.stringify(trustPolicy(pinnedTags(ALICE, []), ANCHOR));
    expect(decide(policy, ALICE)).toBe('Allow');
    expect(decide(policy, { ...ALICE, 'x509Subject/OU': 'finance' })).toBe('ImplicitDeny');
    expect(decide(policy, { ...ALICE, 'x509Subject/CN': 'mallory' })).toBe('ImplicitDeny');
    expect(decide(policy, ALICE, OTHER_ANCHOR)).toBe('ImplicitDeny');
  });

  test('pins any tag the certificate carries, or a value given outright', () => {
    const pinned = pinnedTags(ALICE, ['x509Issuer/CN', 'aws:PrincipalTag/x509Subject/O', 'x509Subject/OU=platform']);
    expect(pinned).toEqual([
      { key: 'x509Issuer/CN', value: 'Example CA' },
      { key: 'x509Subject/O', value: 'Example Corp' },
      { key: 'x509Subject/OU', value: 'platform' },
    ]);
    expect(pinnedTags(undefined, ['x509SAN/DNS=alice.example.com'])).toEqual([{ key: 'x509SAN/DNS', value: 'alice.example.com' }]);
  });

  test('refuses a tag the certificate does not carry, a key Roles Anywhere never sets, and no tag at all', () => {
    expect(() => pinnedTags(ALICE, ['x509SAN/DNS'])).toThrow(expect.objectContaining({ code: 'SETUP_TAG_UNKNOWN' }));
    expect(() => pinnedTags(ALICE, ['x509Subject/E'])).toThrow(expect.objectContaining({ code: 'SETUP_TAG_UNKNOWN' }));
    expect(() => pinnedTags(ALICE, ['x509Subject/OU=R&D'])).toThrow(expect.objectContaining({ code: 'SETUP_TAG_UNKNOWN' }));
    expect(() => pinnedTags({ 'x509Subject/O': 'Example Corp' }, [])).toThrow(expect.objectContaining({ code: 'SETUP_TAG_MISSING' }));
    expect(() => pinnedTags(undefined, [])).toThrow(expect.objectContaining({ code: 'SETUP_TAG_MISSING' }));
    expect(() => trustPolicy([], ANCHOR)).toThrow(expect.objectContaining({ code: 'SETUP_TAG_MISSING' }));
  });

  test('for any tag values a session can carry, admits exactly the certificate whose values it pins', () => {
    const value = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,40}$/);
    fc.assert(
      fc.property(value, value, value, (ou, cn, otherOu) => {
        const tags = { ...ALICE, 'x509Subject/OU': ou, 'x509Subject/CN': cn };
        const policy = JSON.stringify(trustPolicy(pinnedTags(tags, []), ANCHOR));
        expect(decide(policy, tags)).toBe('Allow');
        expect(decide(policy, { ...tags, 'x509Subject/OU': otherOu })).toBe(otherOu === ou ? 'Allow' : 'ImplicitDeny');
      }),
      { numRuns: 200 },
    );
  });
});
