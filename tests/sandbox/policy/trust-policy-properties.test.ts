// Properties of the trust-policy evaluator over generated policies and requests: an unconditioned Allow
// of the needed actions always allows; adding a Deny never turns a refusal into an allow; parsing and
// evaluating never throw, whatever the document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy, parseTrustPolicy } from '../../../src/sandbox/policy';
import { ACCOUNT, OTHER_ANCHOR, RA, TRUST_ANCHOR, sessionRequest, type StatementJson } from './policy-cases';

const RUNS = 300;

const TAG_KEYS = ['x509Subject/CN', 'x509Subject/OU', 'x509Subject/O', 'x509Issuer/CN', 'x509SAN/DNS', 'x509SAN/URI', 'x509SAN/Name/CN'];
const TAG_VALUES = ['devops', 'platform', 'alice', 'DevOps', '', 'Rolecall Tests', 'spiffe://rolecall.test/workload/alice', 'a/b'];

const tagsArb = fc.dictionary(fc.constantFrom(...TAG_KEYS), fc.oneof(fc.constantFrom(...TAG_VALUES), fc.string({ maxLength: 12 })), { maxKeys: TAG_KEYS.length });
const requestArb = fc.record({
  tags: tagsArb,
  trustAnchorArn: fc.oneof(fc.constantFrom(TRUST_ANCHOR, OTHER_ANCHOR, 'not-an-arn', `arn:aws:rolesanywhere:eu-west-1:${ACCOUNT}:trust-anchor/x`), fc.string({ maxLength: 20 })),
  sourceIdentity: fc.option(fc.constantFrom('CN=alice', 'CN=bob', 'ID=0123'), { nil: null }),
});

const BASES = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool', 'NumericLessThan', 'DateGreaterThan', 'IpAddress', 'NotIpAddress', 'BinaryEquals'];
const operatorArb = fc.oneof(
  fc.tuple(fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.constantFrom(...BASES), fc.constantFrom('', 'IfExists')).map(([prefix, base, suffix]) => `${prefix}${base}${suffix}`),
  fc.constant('Null'),
);
const CONDITION_KEYS = [...TAG_KEYS.map((key) => `aws:PrincipalTag/${key}`), 'aws:SourceArn', 'aws:SourceAccount', 'sts:SourceIdentity', 'aws:CurrentTime', 'aws:EpochTime', 'aws:SecureTransport', 'aws:principaltag/X509SUBJECT/ou'];
const CONDITION_VALUES = ['devops', 'dev*', 'd?vops', '*', '?', 'true', 'false', ACCOUNT, TRUST_ANCHOR, `arn:aws:rolesanywhere:*:${ACCOUNT}:trust-anchor/*`, 'arn:*', '${aws:PrincipalTag/x509Subject/CN}', "${aws:PrincipalTag/team, 'devops'}", '${*}', '${', '10.0.0.0/8', '::1', '2020-01-01T00:00:00Z', '1700000000', ''];
const conditionValueArb = fc.oneof(fc.constantFrom(...CONDITION_VALUES), fc.string({ maxLength: 10 }), fc.boolean(), fc.integer());
const conditionArb = fc.dictionary(operatorArb, fc.dictionary(fc.constantFrom(...CONDITION_KEYS), fc.oneof(conditionValueArb, fc.array(conditionValueArb, { maxLength: 3 })), { minKeys: 1, maxKeys: 3 }), { maxKeys: 3 });

const NEEDED = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
const randomCase = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((char, index) => (upper[index] ? char.toUpperCase() : char.toLowerCase())).join(''));
const actionArb = fc.oneof(fc.constantFrom('sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:*', '*', 'sts:Assume*', 'sts:GetFederationToken'), fc.constantFrom(...NEEDED).chain(randomCase));
const principalArb = fc.constantFrom<unknown>({ Service: RA }, { Service: ['ec2.amazonaws.com', RA] }, { Service: 'ec2.amazonaws.com' }, '*', { AWS: '*' }, { AWS: `arn:aws:iam::${ACCOUNT}:root` });

const statementArb = (effect: fc.Arbitrary<'Allow' | 'Deny'>): fc.Arbitrary<StatementJson> =>
  fc
    .record({
      effect,
      principal: principalArb,
      actions: fc.array(actionArb, { minLength: 1, maxLength: 4 }),
      notAction: fc.boolean(),
      condition: fc.option(conditionArb, { nil: undefined }),
    })
    .map(({ effect: e, principal, actions, notAction, condition }) => ({
      Effect: e,
      Principal: principal,
      [notAction ? 'NotAction' : 'Action']: actions,
      ...(condition ? { Condition: condition } : {}),
    }));

const versionArb = fc.constantFrom('2012-10-17', '2008-10-17', undefined);
const policyText = (statements: readonly unknown[], version: string | undefined) => JSON.stringify({ ...(version ? { Version: version } : {}), Statement: statements });

function parsedOrSkip(text: string) {
  const result = parseTrustPolicy(text, { sizeQuota: 1_000_000 });
  fc.pre(result.ok);
  return result.ok ? result.policy : undefined;
}

describe('trust policy properties', () => {
  it('a single unconditioned Allow of the needed actions for the Roles Anywhere principal always allows', () => {
    const coveringActions = fc.oneof(
      fc.shuffledSubarray(NEEDED, { minLength: 3, maxLength: 3 }).chain((list) => fc.tuple(...list.map(randomCase))),
      fc.constantFrom(['sts:*'], ['*'], ['sts:*', 'iam:PassRole'], ['sts:Assume*', 'sts:*Session', 'sts:Set*']),
    );
    const principal = fc.constantFrom<unknown>({ Service: RA }, { Service: ['ec2.amazonaws.com', RA] }, '*', { AWS: '*' });
    fc.assert(
      fc.property(coveringActions, principal, versionArb, requestArb, (actions, who, version, request) => {
        const policy = parseTrustPolicy(policyText([{ Effect: 'Allow', Principal: who, Action: actions }], version));
        expect(policy.ok).toBe(true);
        if (!policy.ok) return;
        expect(evaluateTrustPolicy(policy.policy, sessionRequest(request)).decision).toBe('Allow');
      }),
      { numRuns: RUNS },
    );
  });

  it('adding a Deny statement never turns a refusal into an allow', () => {
    let refusedBefore = 0;
    fc.assert(
      fc.property(fc.array(statementArb(fc.constantFrom('Allow', 'Deny')), { minLength: 1, maxLength: 4 }), statementArb(fc.constant('Deny')), fc.nat(), versionArb, requestArb, (statements, denyStatement, at, version, request) => {
        const before = parsedOrSkip(policyText(statements, version));
        const withDeny = [...statements];
        withDeny.splice(at % (statements.length + 1), 0, denyStatement);
        const after = parsedOrSkip(policyText(withDeny, version));
        if (!before || !after) return;
        const requestContext = sessionRequest(request);
        const beforeDecision = evaluateTrustPolicy(before, requestContext).decision;
        const afterDecision = evaluateTrustPolicy(after, requestContext).decision;
        if (beforeDecision !== 'Allow') {
          refusedBefore++;
          expect(afterDecision).not.toBe('Allow');
        }
        if (afterDecision === 'Allow') expect(beforeDecision).toBe('Allow');
      }),
      { numRuns: RUNS },
    );
    // The property must have been tried on refused policies, not only on ones that allowed anyway.
    expect(refusedBefore).toBeGreaterThan(RUNS / 10);
  });

  it('parsing never throws on any JSON document, and evaluation never throws on any policy that parses', () => {
    const junkStatement = fc.oneof(statementArb(fc.constantFrom('Allow', 'Deny')), fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('Effect', 'Principal', 'Action', 'NotAction', 'Condition', 'Sid', 'Resource'), fc.jsonValue({ maxDepth: 3 })));
    const documentArb = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.array(statementArb(fc.constantFrom('Allow', 'Deny')), { minLength: 1, maxLength: 4 }), versionArb).map(([statements, version]) => policyText(statements, version)) },
      fc.tuple(fc.array(junkStatement, { maxLength: 4 }), fc.oneof(versionArb, fc.string())).map(([statements, version]) => policyText(statements, version)),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
    );
    let parsedCount = 0;
    fc.assert(
      fc.property(documentArb, requestArb, (text, request) => {
        const result = parseTrustPolicy(text, { sizeQuota: 1_000_000 });
        if (!result.ok) {
          expect(['MalformedPolicyDocument', 'LimitExceeded']).toContain(result.refusal.code);
          return;
        }
        parsedCount++;
        const decision = evaluateTrustPolicy(result.policy, sessionRequest(request));
        expect(['Allow', 'ExplicitDeny', 'ImplicitDeny']).toContain(decision.decision);
        expect(decision.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS * 3 },
    );
    expect(parsedCount).toBeGreaterThan(RUNS);
  });
});
