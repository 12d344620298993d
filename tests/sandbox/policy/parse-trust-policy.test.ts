// What IAM's CreateRole / UpdateAssumeRolePolicy accept as a trust policy, and each refusal with IAM's
// error code and words.
import { describe, expect, it } from 'vitest';
import { parseTrustPolicy } from '../../../src/sandbox/policy';
import { RA, allow, document } from './policy-cases';

const base = allow();

const REFUSED: ReadonlyArray<readonly [string, string, string]> = [
  ['text that is not JSON', '{"Version": "2012-10-17", "Statement": [', 'This policy contains invalid Json'],
  ['a JSON array instead of an object', '[]', 'Syntax errors in policy.'],
  ['an unknown top-level element', JSON.stringify({ Version: '2012-10-17', Statement: [base], Extra: 1 }), 'Syntax errors in policy.'],
  ['an unknown Version', JSON.stringify({ Version: '2012-10-18', Statement: [base] }), 'Syntax errors in policy.'],
  ['no Statement', JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors in policy.'],
  ['an empty Statement list', JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'Syntax errors in policy.'],
  ['a statement that is a string', JSON.stringify({ Version: '2012-10-17', Statement: ['allow'] }), 'Syntax errors in policy.'],
  ['a Resource element', document([{ ...base, Resource: '*' }]), 'Has prohibited field Resource'],
  ['a NotResource element', document([{ ...base, NotResource: '*' }]), 'Has prohibited field NotResource'],
  ['a NotPrincipal element', document([{ Effect: 'Deny', NotPrincipal: { Service: RA }, Action: 'sts:AssumeRole' }]), 'Has prohibited field NotPrincipal'],
  ['an unknown statement element', document([{ ...base, Actions: 'sts:AssumeRole' }]), 'Syntax errors in policy.'],
  ['no Effect', document([{ Principal: { Service: RA }, Action: 'sts:AssumeRole' }]), 'Missing required field Effect'],
  ['Effect spelled in lowercase', document([{ ...base, Effect: 'allow' }]), 'The policy failed legacy parsing'],
  ['an Effect that is neither Allow nor Deny', document([{ ...base, Effect: 'Permit' }]), 'Syntax errors in policy.'],
  ['no Principal', document([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]), 'Missing required field Principal'],
  ['a Principal string other than *', document([{ ...base, Principal: RA }]), 'Syntax errors in policy.'],
  ['an unknown principal type', document([{ ...base, Principal: { Services: RA } }]), 'Syntax errors in policy.'],
  ['a service principal that is not a service name', document([{ ...base, Principal: { Service: 'rolesanywhere' } }]), 'Invalid principal in policy: "SERVICE":"rolesanywhere"'],
  ['an AWS principal that is not an account or ARN', document([{ ...base, Principal: { AWS: 'alice' } }]), 'Invalid principal in policy: "AWS":"alice"'],
  ['both Action and NotAction', document([{ ...base, NotAction: 'sts:GetFederationToken' }]), 'Syntax errors in policy.'],
  ['no Action', document([{ Effect: 'Allow', Principal: { Service: RA } }]), 'Policy statement must contain actions.'],
  ['an empty Action list', document([allow(undefined, [])]), 'Policy statement must contain actions.'],
  ['an action without a vendor', document([allow(undefined, 'AssumeRole')]), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['an action with two colons', document([allow(undefined, 'sts:Assume:Role')]), 'Actions/Condition can contain only one colon.'],
  ['an action vendor with a space', document([allow(undefined, 's ts:AssumeRole')]), 'Vendor s ts is not valid'],
  ['a condition key without a vendor', document([allow({ StringEquals: { SourceArn: 'x' } })]), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['an unknown condition operator with keys', document([allow({ StringEqualz: { 'aws:SourceArn': 'x' } })]), 'Syntax errors in policy.'],
  ['NullIfExists, which IAM does not have', document([allow({ NullIfExists: { 'aws:SourceArn': 'true' } })]), 'Syntax errors in policy.'],
  ['a condition value that is an object', document([allow({ StringEquals: { 'aws:SourceArn': { arn: 'x' } } })]), 'Syntax errors in policy.'],
  ['a condition block that is a list', document([allow({ StringEquals: [] })]), 'Syntax errors in policy.'],
  ['a Sid with punctuation', document([{ ...base, Sid: 'allow-devops' }]), 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*'],
  ['two statements with the same Sid', document([{ ...base, Sid: 'One' }, { ...base, Sid: 'One' }]), 'Statement IDs (SID) in a single policy must be unique.'],
];

describe('parseTrustPolicy', () => {
  it.each(REFUSED)('refuses %s as MalformedPolicyDocument', (_what, text, message) => {
    expect(parseTrustPolicy(text)).toEqual({ ok: false, refusal: { status: 400, code: 'MalformedPolicyDocument', message } });
  });

  it('accepts the forms IAM accepts: one statement object, no Version, Principal "*", string Action, typed condition values', () => {
    const text = JSON.stringify({
      Id: 'trust',
      Statement: { Sid: 'Any', Effect: 'Allow', Principal: '*', Action: 'sts:*', Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'aws:EpochTime': 4102444800 }, Unknown: {} } },
    });
    const result = parseTrustPolicy(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.version).toBeUndefined();
    const [statement] = result.policy.statements;
    expect(statement?.principal.anyone).toBe(true);
    expect(statement?.action).toEqual({ negated: false, patterns: ['sts:*'] });
    expect(statement?.conditions.map(({ base, values }) => [base, values])).toEqual([
      ['Bool', ['true']],
      ['NumericLessThan', ['4102444800']],
    ]);
  });

  it('reads set qualifiers and IfExists off the operator', () => {
    const result = parseTrustPolicy(document([allow({ 'ForAllValues:StringLikeIfExists': { 'aws:PrincipalTag/x509Subject/OU': ['a*', 'b*'] } })]));
    expect(result.ok && result.policy.statements[0]?.conditions[0]).toMatchObject({ base: 'StringLike', qualifier: 'ForAllValues', ifExists: true, values: ['a*', 'b*'] });
  });

  it('accepts account, role and wildcard AWS principals and federated ones', () => {
    const principal = { AWS: ['*', '123456789012', 'arn:aws:iam::123456789012:role/Admin'], Federated: 'cognito-identity.amazonaws.com' };
    expect(parseTrustPolicy(document([{ ...base, Principal: principal }])).ok).toBe(true);
  });

  it('refuses a policy over the ACLSizePerRole quota as LimitExceeded, not counting whitespace', () => {
    const values = Array.from({ length: 200 }, (_, index) => `value-${index}`);
    const text = document([allow({ StringEquals: { 'aws:PrincipalTag/x509Subject/OU': values } })]);
    expect(parseTrustPolicy(text)).toEqual({ ok: false, refusal: { status: 409, code: 'LimitExceeded', message: 'Cannot exceed quota for ACLSizePerRole: 2048' } });
    expect(parseTrustPolicy(text, { sizeQuota: 4096 }).ok).toBe(true);
    const small = document([allow()]);
    expect(parseTrustPolicy(small.replace(/,/g, `,${' '.repeat(3000)}`)).ok).toBe(true);
  });
});
