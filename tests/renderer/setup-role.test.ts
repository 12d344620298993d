// The wizard's role fields refuse what `rolecall setup aws` refuses (planSetup, which the agent runs for
// the window too) and take what it takes, with its defaults.
import { describe, expect, test } from 'vitest';
import { planSetup, type SetupInput } from '../../src/core/aws-setup';
import { checkSetupRole, setupRoleDefaults, type SetupRoleText } from '../../src/renderer/format/setup-role';

const INPUT: SetupInput = {
  name: 'dev',
  source: { sourceType: 'AWS_ACM_PCA', acmPcaArn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666', description: 'AWS Private CA' },
  pinned: [{ key: 'x509Subject/CN', value: 'alice' }],
};
const DEFAULTS = setupRoleDefaults('rolecall-dev');
const TWENTY_ONE = Array.from({ length: 21 }, (_, index) => `arn:aws:iam::123456789012:policy/p${index}`).join('\n');

const CASES: readonly (readonly [string, Partial<SetupRoleText>])[] = [
  ['a role name with a space', { roleName: 'dev role' }],
  ['an empty role name', { roleName: '  ' }],
  ['a role name of 65 characters', { roleName: 'r'.repeat(65) }],
  ['a role name with every allowed sign', { roleName: 'dev+=,.@_-1' }],
  ['a policy name alone', { policies: 'ReadOnlyAccess' }],
  ['an account ID of 11 digits', { policies: 'arn:aws:iam::12345678901:policy/Team' }],
  ['a role ARN as a policy', { policies: 'arn:aws:iam::123456789012:role/Team' }],
  ["AWS's own policies on a path, repeated", { policies: 'arn:aws:iam::aws:policy/ReadOnlyAccess\n\n arn:aws:iam::aws:policy/job-function/ViewOnlyAccess \narn:aws:iam::aws:policy/ReadOnlyAccess' }],
  ['a GovCloud policy', { policies: 'arn:aws-us-gov:iam::123456789012:policy/Team' }],
  ['21 policies', { policies: TWENTY_ONE }],
  ['14 minutes', { sessionSeconds: '840' }],
  ['12 hours and a second', { sessionSeconds: '43201' }],
  ['a fraction of a second', { sessionSeconds: '3600.5' }],
  ['no duration', { sessionSeconds: '' }],
  ['12 hours', { sessionSeconds: '43200' }],
];

describe("the wizard's role fields", () => {
  test('start from the CLI defaults: the role named as the other resources, no policy, one-hour sessions', () => {
    const { role } = checkSetupRole(DEFAULTS);
    const plan = planSetup(INPUT);
    expect(role).toEqual({ roleName: plan.role.name, policyArns: [...plan.role.managedPolicyArns], sessionSeconds: plan.profile.durationSeconds });
  });

  test.each(CASES)('agree with the CLI on %s', (_, change) => {
    const { role, problems } = checkSetupRole({ ...DEFAULTS, ...change });
    const field = Object.keys(change)[0] as keyof SetupRoleText;
    const plan = () =>
      planSetup({
        ...INPUT,
        roleName: ({ ...DEFAULTS, ...change }).roleName.trim(),
        managedPolicyArns: ({ ...DEFAULTS, ...change }).policies.split('\n').map((line) => line.trim()).filter((line) => line !== ''),
        sessionSeconds: Number(({ ...DEFAULTS, ...change }).sessionSeconds.trim() || Number.NaN),
      });
    if (role === undefined) {
      expect(problems[field], 'refused beside the field changed').toEqual(expect.any(String));
      expect(plan).toThrow();
    } else {
      expect(problems).toEqual({});
      const made = plan();
      expect(role).toEqual({ roleName: made.role.name, policyArns: [...made.role.managedPolicyArns], sessionSeconds: made.profile.durationSeconds });
    }
  });
});
