// Core's trust policy evaluator (what `explain` uses) against the sandbox's, which the agreement test
// trusts as the service: over generated policies with the operators trust policies use, both must
// allow and refuse the same requests. And the failed condition core reports is one that really fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy as coreEvaluate, policyContext } from '../../../src/core/diagnosis/trust-policy-check';
import { evaluateTrustPolicy as sandboxEvaluate, parseTrustPolicy } from '../../../src/sandbox/policy';
import { ACCOUNT, OTHER_ANCHOR, RA, TRUST_ANCHOR, sessionRequest } from '../../sandbox/policy/policy-cases';

const RUNS = 600;
const TAG_KEYS = ['x509Subject/CN', 'x509Subject/OU', 'x509Issuer/CN', 'x509SAN/DNS'];
const TAG_VALUES = ['devops', 'platform', 'alice', 'DevOps', 'Rolecall Tests', 'a/b'];
const tagsArb = fc.dictionary(fc.constantFrom(...TAG_KEYS), fc.oneof(fc.constantFrom(...TAG_VALUES), fc.string({ maxLength: 8 })), { maxKeys: TAG_KEYS.length });
const requestArb = fc.record({
  tags: tagsArb,
  trustAnchorArn: fc.constantFrom(TRUST_ANCHOR, OTHER_ANCHOR),
  sourceIdentity: fc.option(fc.constantFrom('CN=alice', 'CN=bob'), { nil: null }),
});
const BASES = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool', 'NumericLessThan', 'NumericGreaterThanEquals', 'DateGreaterThan', 'DateLessThan'];
const operatorArb = fc.oneof(
  fc.tuple(fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.constantFrom(...BASES), fc.constantFrom('', 'IfExists')).map(([prefix, base, suffix]) => `${prefix}${base}${suffix}`),
  fc.constant('Null'),
);
const KEYS = [...TAG_KEYS.map((key) => `aws:PrincipalTag/${key}`), 'aws:SourceArn', 'aws:SourceAccount', 'sts:SourceIdentity', 'aws:CurrentTime', 'aws:EpochTime', 'aws:principaltag/X509SUBJECT/ou'];
const VALUES = ['devops', 'dev*', 'd?vops', '*', 'true', 'false', ACCOUNT, TRUST_ANCHOR, `arn:aws:rolesanywhere:*:${ACCOUNT}:trust-anchor/*`, 'arn:*', '${aws:PrincipalTag/x509Subject/CN}', '${*}', '2020-01-01T00:00:00Z', '1700000000', '5', 'CN=alice'];
const valueArb = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 6 }));
const conditionArb = fc.dictionary(operatorArb, fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(valueArb, fc.array(valueArb, { minLength: 1, maxLength: 3 })), { minKeys: 1, maxKeys: 2 }), { maxKeys: 2 });
const actionArb = fc.constantFrom('sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:*', '*', 'sts:Assume*', 'STS:assumerole', 'sts:GetFederationToken');
const principalArb = fc.constantFrom<unknown>({ Service: RA }, { Service: ['ec2.amazonaws.com', RA] }, { Service: 'ec2.amazonaws.com' }, '*', { AWS: `arn:aws:iam::${ACCOUNT}:root` });
const statementArb = fc
  .record({ effect: fc.constantFrom('Allow', 'Allow', 'Deny'), principal: principalArb, actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }), notAction: fc.boolean(), condition: fc.option(conditionArb, { nil: undefined }) })
  .map(({ effect, principal, actions, notAction, condition }) => ({ Effect: effect, Principal: principal, [notAction ? 'NotAction' : 'Action']: actions, ...(condition ? { Condition: condition } : {}) }));
const policyArb = fc.array(statementArb, { minLength: 1, maxLength: 3 }).map((statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements }));

function contextOf(request: ReturnType<typeof sessionRequest>) {
  return policyContext(request.context.entries.map(([key, value]) => [key, typeof value === 'string' ? value : value.join(',')] as const));
}

describe('core trust policy evaluator', () => {
  it('allows and refuses exactly what the sandbox allows and refuses', () => {
    let refused = 0;
    fc.assert(
      fc.property(policyArb, requestArb, (text, request) => {
        const parsed = parseTrustPolicy(text, { sizeQuota: 1_000_000 });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const authorization = sessionRequest(request);
        const sandbox = sandboxEvaluate(parsed.policy, authorization);
        const core = coreEvaluate(text, authorization.actions, contextOf(authorization));
        if (sandbox.decision !== 'Allow') refused += 1;
        expect(core.decision === 'allow', `${text}\n${JSON.stringify(request)}\nsandbox: ${sandbox.reason}\ncore: ${JSON.stringify(core)}`).toBe(sandbox.decision === 'Allow');
      }),
      { numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(RUNS / 10);
  });

  it('reports the condition that fails, with the value it wants and the value the request carries', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Devops', Effect: 'Allow', Principal: { Service: RA }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': ['devops', 'sre'] } } }],
    });
    const authorization = sessionRequest({ tags: { 'x509Subject/OU': 'platform' } });
    expect(coreEvaluate(text, authorization.actions, contextOf(authorization))).toEqual({
      decision: 'implicit-deny',
      action: 'sts:AssumeRole',
      failure: { statement: '"Devops"', operator: 'StringEquals', key: 'aws:PrincipalTag/x509Subject/OU', wanted: ['devops', 'sre'], carried: 'platform' },
      reason: 'condition StringEquals aws:PrincipalTag/x509Subject/OU of statement "Devops" does not hold',
    });
  });

  it('says which operator it cannot evaluate rather than guessing', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Net', Effect: 'Allow', Principal: { Service: RA }, Action: 'sts:*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });
    const authorization = sessionRequest();
    expect(coreEvaluate(text, authorization.actions, contextOf(authorization))).toEqual({ decision: 'unsupported', operator: 'IpAddress', statement: '"Net"' });
  });
});
