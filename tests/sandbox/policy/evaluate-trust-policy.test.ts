// The trust-policy evaluator against a table of policies × tag sets, each row one IAM rule: how
// operators compare, what a missing key does, set qualifiers, IfExists, Null, Bool, ARNs, actions,
// principals, Deny over Allow, and policy variables.
import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy, type TrustDecision } from '../../../src/sandbox/policy';
import { ACCOUNT, ALL_ACTIONS, OTHER_ANCHOR, RA, TAGS, TRUST_ANCHOR, allow, deny, document, parsed, sessionRequest, type StatementJson } from './policy-cases';

const TUTORIAL = [
  allow({
    StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'devops', 'aws:PrincipalTag/x509Subject/CN': 'alice' },
    ArnEquals: { 'aws:SourceArn': [TRUST_ANCHOR] },
  }),
];

interface Case {
  readonly name: string;
  readonly statements: readonly StatementJson[];
  readonly expected: TrustDecision['decision'];
  readonly tags?: Readonly<Record<string, string>>;
  readonly version?: string;
  /** null: the request sets no source identity. */
  readonly sourceIdentity?: string | null;
  readonly trustAnchorArn?: string;
  /** Text the decision's reason must contain. */
  readonly reason?: string;
}

const withTags = (changes: Record<string, string | undefined>): Record<string, string> => {
  const tags: Record<string, string> = { ...TAGS };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete tags[key];
    else tags[key] = value;
  }
  return tags;
};
const OU = 'aws:PrincipalTag/x509Subject/OU';
const OU_PLATFORM = withTags({ 'x509Subject/OU': 'platform' });
const NO_OU = withTags({ 'x509Subject/OU': undefined });

const CASES: readonly Case[] = [
  // The tutorials' trust policy: OU and CN pinned with StringEquals, the trust anchor with ArnEquals.
  { name: "the tutorials' policy allows the certificate whose OU and CN match", statements: TUTORIAL, expected: 'Allow' },
  { name: "the tutorials' policy refuses a certificate whose OU differs", statements: TUTORIAL, tags: OU_PLATFORM, expected: 'ImplicitDeny', reason: `${OU} ["devops"] failed: the request has "platform"` },
  { name: "the tutorials' policy refuses a certificate whose CN differs", statements: TUTORIAL, tags: withTags({ 'x509Subject/CN': 'bob' }), expected: 'ImplicitDeny', reason: 'x509Subject/CN' },
  { name: "the tutorials' policy refuses a session without the OU tag", statements: TUTORIAL, tags: NO_OU, expected: 'ImplicitDeny', reason: 'the request has no such key' },
  { name: "the tutorials' policy refuses another trust anchor", statements: TUTORIAL, trustAnchorArn: OTHER_ANCHOR, expected: 'ImplicitDeny', reason: 'aws:SourceArn' },

  // String operators: values are case-sensitive, keys are not; values OR, keys and operators AND.
  { name: 'StringEquals compares values case-sensitively', statements: [allow({ StringEquals: { [OU]: 'DevOps' } })], expected: 'ImplicitDeny' },
  { name: 'condition keys match without regard to case', statements: [allow({ StringEquals: { 'AWS:principaltag/X509SUBJECT/ou': 'devops' } })], expected: 'Allow' },
  { name: 'StringEqualsIgnoreCase ignores the case of values', statements: [allow({ StringEqualsIgnoreCase: { [OU]: 'DEVOPS' } })], expected: 'Allow' },
  { name: 'StringNotEqualsIgnoreCase refuses the same value in another case', statements: [allow({ StringNotEqualsIgnoreCase: { [OU]: 'DEVOPS' } })], expected: 'ImplicitDeny' },
  { name: 'several values of one key are ORed', statements: [allow({ StringEquals: { [OU]: ['platform', 'devops'] } })], expected: 'Allow' },
  { name: 'several keys under one operator are ANDed', statements: [allow({ StringEquals: { [OU]: 'devops', 'aws:PrincipalTag/x509Subject/O': 'Other Org' } })], expected: 'ImplicitDeny', reason: 'x509Subject/O' },
  { name: 'several operators are ANDed', statements: [allow({ StringEquals: { [OU]: 'devops' }, StringLike: { 'aws:PrincipalTag/x509SAN/DNS': '*.example.com' } })], expected: 'ImplicitDeny', reason: 'StringLike' },
  { name: 'StringNotEquals allows a value not listed', statements: [allow({ StringNotEquals: { [OU]: ['platform', 'security'] } })], expected: 'Allow' },
  { name: 'StringNotEquals refuses a listed value', statements: [allow({ StringNotEquals: { [OU]: ['platform', 'devops'] } })], expected: 'ImplicitDeny' },

  // Wildcards.
  { name: 'StringLike matches * against any run of characters', statements: [allow({ StringLike: { [OU]: 'dev*' } })], expected: 'Allow' },
  { name: 'StringLike matches ? against exactly one character', statements: [allow({ StringLike: { [OU]: 'd?vops' } })], expected: 'Allow' },
  { name: 'StringLike ? does not match several characters', statements: [allow({ StringLike: { [OU]: 'dev?' } })], expected: 'ImplicitDeny' },
  { name: 'StringLike matches a SPIFFE URI prefix', statements: [allow({ StringLike: { 'aws:PrincipalTag/x509SAN/URI': 'spiffe://rolecall.test/workload/*' } })], expected: 'Allow' },
  { name: 'StringLike is case-sensitive', statements: [allow({ StringLike: { [OU]: 'DEV*' } })], expected: 'ImplicitDeny' },
  { name: 'StringNotLike allows a value no pattern matches', statements: [allow({ StringNotLike: { [OU]: 'plat*' } })], expected: 'Allow' },
  { name: 'StringNotLike refuses a value a pattern matches', statements: [allow({ StringNotLike: { [OU]: ['plat*', 'dev*'] } })], expected: 'ImplicitDeny' },

  // Missing keys and IfExists.
  { name: 'StringEquals on a missing tag fails', statements: [allow({ StringEquals: { 'aws:PrincipalTag/x509SAN/Name/CN': 'alice' } })], expected: 'ImplicitDeny', reason: 'no such key' },
  { name: 'StringNotEquals on a missing tag holds', statements: [allow({ StringNotEquals: { 'aws:PrincipalTag/x509SAN/Name/CN': 'mallory' } })], expected: 'Allow' },
  { name: 'StringEqualsIfExists holds when the tag is missing', statements: [allow({ StringEqualsIfExists: { [OU]: 'devops' } })], tags: NO_OU, expected: 'Allow' },
  { name: 'StringEqualsIfExists still compares a tag that is present', statements: [allow({ StringEqualsIfExists: { [OU]: 'devops' } })], tags: OU_PLATFORM, expected: 'ImplicitDeny' },
  { name: 'StringLikeIfExists matches a tag that is present', statements: [allow({ StringLikeIfExists: { [OU]: 'dev*' } })], expected: 'Allow' },

  // Set qualifiers.
  { name: 'ForAnyValue:StringLike allows when one pattern matches', statements: [allow({ 'ForAnyValue:StringLike': { [OU]: ['plat*', 'dev*'] } })], expected: 'Allow' },
  { name: 'ForAnyValue:StringLike refuses when no pattern matches', statements: [allow({ 'ForAnyValue:StringLike': { [OU]: ['plat*', 'sec*'] } })], expected: 'ImplicitDeny' },
  { name: 'ForAnyValue on a missing key (empty set) fails', statements: [allow({ 'ForAnyValue:StringEquals': { [OU]: 'devops' } })], tags: NO_OU, expected: 'ImplicitDeny' },
  { name: 'ForAllValues on a missing key (empty set) holds', statements: [allow({ 'ForAllValues:StringEquals': { [OU]: 'devops' } })], tags: NO_OU, expected: 'Allow' },
  { name: 'ForAllValues holds when the value is listed', statements: [allow({ 'ForAllValues:StringEquals': { [OU]: ['devops', 'platform'] } })], expected: 'Allow' },
  { name: 'ForAllValues fails when the value is not listed', statements: [allow({ 'ForAllValues:StringEquals': { [OU]: ['platform'] } })], expected: 'ImplicitDeny' },

  // Null and Bool.
  { name: 'Null true holds for a missing tag', statements: [allow({ Null: { 'aws:PrincipalTag/x509SAN/Name/CN': 'true' } })], expected: 'Allow' },
  { name: 'Null true fails for a present tag', statements: [allow({ Null: { 'aws:PrincipalTag/x509SAN/DNS': true } })], expected: 'ImplicitDeny' },
  { name: 'Null false holds for a present tag', statements: [allow({ Null: { 'aws:PrincipalTag/x509SAN/DNS': 'false' } })], expected: 'Allow' },
  { name: 'Null false fails for a missing tag', statements: [allow({ Null: { [OU]: false } })], tags: NO_OU, expected: 'ImplicitDeny' },
  { name: 'Bool compares true without regard to case', statements: [allow({ Bool: { 'aws:PrincipalTag/x509Subject/L': true } })], tags: withTags({ 'x509Subject/L': 'TRUE' }), expected: 'Allow' },
  { name: 'Bool fails on a key the request lacks', statements: [allow({ Bool: { 'aws:SecureTransport': 'true' } })], expected: 'ImplicitDeny' },
  { name: 'BoolIfExists holds on a key the request lacks', statements: [allow({ BoolIfExists: { 'aws:SecureTransport': 'false' } })], expected: 'Allow' },

  // ARNs and the source account.
  { name: 'ArnLike matches any trust anchor of the account', statements: [allow({ ArnLike: { 'aws:SourceArn': `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/*` } })], expected: 'Allow' },
  { name: 'ArnLike matches a wildcard region', statements: [allow({ ArnLike: { 'aws:SourceArn': `arn:aws:rolesanywhere:*:${ACCOUNT}:trust-anchor/*` } })], expected: 'Allow' },
  { name: 'ArnLike refuses a trust anchor of another account', statements: [allow({ ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:210987654321:trust-anchor/*' } })], expected: 'ImplicitDeny' },
  { name: 'ArnLike does not let * cross into another ARN part', statements: [allow({ ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:*:trust-anchor/*' } })], expected: 'ImplicitDeny' },
  { name: 'ArnEquals matches the exact trust anchor', statements: [allow({ ArnEquals: { 'aws:SourceArn': TRUST_ANCHOR } })], expected: 'Allow' },
  { name: 'ArnNotEquals allows a trust anchor other than the one named', statements: [allow({ ArnNotEquals: { 'aws:SourceArn': OTHER_ANCHOR } })], expected: 'Allow' },
  { name: 'ArnNotLike refuses the trust anchor it names', statements: [allow({ ArnNotLike: { 'aws:SourceArn': `arn:aws:rolesanywhere:*:${ACCOUNT}:trust-anchor/*` } })], expected: 'ImplicitDeny' },
  { name: 'ArnLike with a value that is not an ARN matches nothing', statements: [allow({ ArnLike: { 'aws:SourceArn': 'trust-anchor/*' } })], expected: 'ImplicitDeny' },
  { name: 'ArnEquals expands a variable that holds a whole ARN before splitting it', statements: [allow({ ArnEquals: { 'aws:SourceArn': '${aws:SourceArn}' } })], expected: 'Allow' },
  { name: 'ArnLike expands a variable inside one ARN part', statements: [allow({ ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:*:${aws:SourceAccount}:trust-anchor/*' } })], expected: 'Allow' },
  { name: 'aws:SourceAccount is the trust anchor account', statements: [allow({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })], expected: 'Allow' },
  { name: 'aws:SourceAccount of another account is refused', statements: [allow({ StringEquals: { 'aws:SourceAccount': '210987654321' } })], expected: 'ImplicitDeny' },

  // Actions.
  { name: 'a policy without sts:TagSession refuses the session', statements: [allow(undefined, ['sts:AssumeRole', 'sts:SetSourceIdentity'])], expected: 'ImplicitDeny', reason: 'no statement allows sts:TagSession' },
  { name: 'a policy without sts:SetSourceIdentity refuses a session with a source identity', statements: [allow(undefined, ['sts:AssumeRole', 'sts:TagSession'])], expected: 'ImplicitDeny', reason: 'sts:SetSourceIdentity' },
  { name: 'sts:SetSourceIdentity is not needed when no source identity is set', statements: [allow(undefined, ['sts:AssumeRole', 'sts:TagSession'])], sourceIdentity: null, expected: 'Allow' },
  { name: 'sts:* covers every needed action', statements: [allow(undefined, 'sts:*')], expected: 'Allow' },
  { name: 'sts:Assume* does not cover sts:TagSession', statements: [allow(undefined, 'sts:Assume*')], expected: 'ImplicitDeny', reason: 'sts:TagSession' },
  { name: 'NotAction covers every action it does not name', statements: [{ Effect: 'Allow', Principal: { Service: RA }, NotAction: 'sts:GetFederationToken' }], expected: 'Allow' },
  { name: 'NotAction naming a needed action leaves it not allowed', statements: [{ Effect: 'Allow', Principal: { Service: RA }, NotAction: 'sts:TagSession' }], expected: 'ImplicitDeny' },
  { name: 'action names match without regard to case', statements: [allow(undefined, ['STS:ASSUMEROLE', 'sts:tagsession', 'Sts:SetSourceIdentity'])], expected: 'Allow' },
  { name: 'actions may be allowed by different statements', statements: [allow({ StringEquals: { 'sts:SourceIdentity': 'CN=alice' } }, ['sts:AssumeRole', 'sts:SetSourceIdentity']), allow({ StringEquals: { 'aws:PrincipalTag/x509Issuer/CN': 'Rolecall Test Intermediate CA' } }, 'sts:TagSession')], expected: 'Allow' },

  // Principals.
  { name: 'a statement for another service principal does not apply', statements: [{ ...allow(), Principal: { Service: 'ec2.amazonaws.com' } }], expected: 'ImplicitDeny', reason: 'Principal does not name Service rolesanywhere.amazonaws.com' },
  { name: 'a list of service principals applies when it names Roles Anywhere', statements: [{ ...allow(), Principal: { Service: ['ec2.amazonaws.com', RA] } }], expected: 'Allow' },
  { name: 'Principal "*" applies to Roles Anywhere', statements: [{ ...allow(), Principal: '*' }], expected: 'Allow' },
  { name: 'an AWS account principal does not cover the service', statements: [{ ...allow(), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }], expected: 'ImplicitDeny' },

  // Deny over Allow.
  { name: 'a matching Deny wins over an Allow', statements: [allow(), deny({ StringEquals: { [OU]: 'devops' } })], expected: 'ExplicitDeny', reason: 'explicitly denied by statement 1' },
  { name: 'a Deny whose condition fails leaves the Allow standing', statements: [allow(), deny({ StringEquals: { [OU]: 'platform' } })], expected: 'Allow' },
  { name: 'a Deny of sts:TagSession alone denies the session', statements: [allow(), { ...deny(undefined, 'sts:TagSession'), Sid: 'NoTags' }], expected: 'ExplicitDeny', reason: 'sts:TagSession is explicitly denied by statement 1 ("NoTags")' },
  { name: 'a Deny for another principal does not apply', statements: [allow(), { ...deny(), Principal: { Service: 'ec2.amazonaws.com' } }], expected: 'Allow' },
  { name: 'a policy with no Allow statement denies implicitly', statements: [deny({ StringEquals: { [OU]: 'platform' } })], expected: 'ImplicitDeny', reason: 'no Allow statement' },

  // Policy variables and the global time keys.
  { name: 'a policy variable takes the value of another tag', statements: [allow({ StringEquals: { 'aws:PrincipalTag/x509SAN/DNS': '${aws:PrincipalTag/x509Subject/CN}.rolecall.test' } })], expected: 'Allow' },
  { name: 'policy variables are literal text under Version 2008-10-17', statements: [allow({ StringEquals: { 'aws:PrincipalTag/x509SAN/DNS': '${aws:PrincipalTag/x509Subject/CN}.rolecall.test' } })], version: '2008-10-17', expected: 'ImplicitDeny' },
  { name: 'a policy variable of a missing tag uses its default', statements: [allow({ StringEquals: { [OU]: "${aws:PrincipalTag/team, 'devops'}" } })], expected: 'Allow' },
  { name: 'a policy variable of a missing tag without default matches nothing', statements: [allow({ StringLike: { [OU]: '${aws:PrincipalTag/team}*' } })], expected: 'ImplicitDeny' },
  { name: '${*} in StringLike is a literal star, not a wildcard', statements: [allow({ StringLike: { [OU]: 'dev${*}' } })], expected: 'ImplicitDeny' },
  { name: 'DateGreaterThan on aws:CurrentTime holds after the date', statements: [allow({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } })], expected: 'Allow' },
  { name: 'DateLessThan on aws:CurrentTime fails after the date', statements: [allow({ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } })], expected: 'ImplicitDeny' },
  { name: 'NumericGreaterThan on aws:EpochTime compares numbers', statements: [allow({ NumericGreaterThan: { 'aws:EpochTime': '1000000000' } })], expected: 'Allow' },
];

describe('trust policy evaluation for CreateSession', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const policy = parsed(document(c.statements, c.version));
    const decision = evaluateTrustPolicy(policy, sessionRequest({ tags: c.tags, trustAnchorArn: c.trustAnchorArn, sourceIdentity: c.sourceIdentity }));
    expect(decision.decision, decision.reason).toBe(c.expected);
    if (c.reason) expect(decision.reason).toContain(c.reason);
  });

  it('names the statement that allowed each action', () => {
    const policy = parsed(document([{ ...allow(undefined, ['sts:AssumeRole', 'sts:SetSourceIdentity']), Sid: 'Assume' }, { ...allow(undefined, 'sts:TagSession'), Sid: 'Tags' }]));
    const decision = evaluateTrustPolicy(policy, sessionRequest());
    expect(decision).toMatchObject({
      decision: 'Allow',
      allowedBy: [
        { action: 'sts:AssumeRole', statement: { index: 0, sid: 'Assume' } },
        { action: 'sts:TagSession', statement: { index: 1, sid: 'Tags' } },
        { action: 'sts:SetSourceIdentity', statement: { index: 0, sid: 'Assume' } },
      ],
    });
  });

  it('explains an implicit deny statement by statement', () => {
    const policy = parsed(document([{ ...allow(undefined, 'sts:AssumeRole'), Sid: 'OnlyAssume' }, { ...allow({ StringEquals: { [OU]: 'platform' } }), Sid: 'Platform' }, { ...allow(), Principal: { Service: 'ec2.amazonaws.com' } }]));
    const decision = evaluateTrustPolicy(policy, sessionRequest());
    expect(decision.decision).toBe('ImplicitDeny');
    if (decision.decision !== 'ImplicitDeny') return;
    expect(decision.actions).toEqual(['sts:TagSession', 'sts:SetSourceIdentity']);
    expect(decision.findings.map(({ verdict }) => verdict.kind)).toEqual(['action-mismatch', 'condition-failed', 'principal-mismatch']);
    expect(decision.reason).toContain('statement 0 ("OnlyAssume"): its Action does not cover sts:TagSession');
    expect(decision.reason).toContain(`statement 1 ("Platform"): condition StringEquals ${OU} ["platform"] failed: the request has "devops"`);
  });

  it('asks for the actions and keys Roles Anywhere sets', () => {
    const request = sessionRequest();
    expect(request.principal).toEqual({ type: 'Service', id: RA });
    expect(request.actions).toEqual(ALL_ACTIONS);
    expect(request.context.get('aws:principaltag/x509subject/cn')).toBe('alice');
    expect(request.context.get('aws:SourceArn')).toBe(TRUST_ANCHOR);
    expect(request.context.get('aws:SourceAccount')).toBe(ACCOUNT);
    expect(request.context.get('sts:SourceIdentity')).toBe('CN=alice');
    expect(request.context.get('aws:CurrentTime')).toBe('2026-03-01T12:00:00Z');
    expect(request.context.get('aws:EpochTime')).toBe(String(Date.parse('2026-03-01T12:00:00Z') / 1000));
    expect(request.context.get('aws:RequestTag/x509Subject/CN')).toBeUndefined();
  });
});
