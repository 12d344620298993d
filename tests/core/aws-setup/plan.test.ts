// The plan every output is written from: names found again later, the setup tag, a role cap that
// admits the session, and input refused before anything is created.
import { describe, expect, test } from 'vitest';
import { planSetup, type SetupInput } from '../../../src/core/aws-setup';

const INPUT: SetupInput = {
  name: 'dev',
  source: { sourceType: 'AWS_ACM_PCA', acmPcaArn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666', description: 'AWS Private CA' },
  pinned: [{ key: 'x509Subject/CN', value: 'alice' }],
};

describe('the setup plan', () => {
  test('names every resource rolecall-NAME, tags it rolecall:setup=NAME and defaults to one-hour sessions', () => {
    const plan = planSetup(INPUT);
    expect(plan.trustAnchor.name).toBe('rolecall-dev');
    expect(plan.role).toMatchObject({ name: 'rolecall-dev', maxSessionSeconds: 3600, managedPolicyArns: [] });
    expect(plan.profile).toEqual({ name: 'rolecall-dev', durationSeconds: 3600 });
    expect(plan.tag).toEqual({ key: 'rolecall:setup', value: 'dev' });
  });

  test('raises the role\'s cap to the session asked for, and never below IAM\'s one-hour floor', () => {
    expect(planSetup({ ...INPUT, sessionSeconds: 43200 }).role.maxSessionSeconds).toBe(43200);
    expect(planSetup({ ...INPUT, sessionSeconds: 900 }).role.maxSessionSeconds).toBe(3600);
  });

  test('refuses names AWS would refuse, durations out of range, bad policy ARNs and no pinned tag', () => {
    expect(() => planSetup({ ...INPUT, name: 'dev.team' })).toThrow(expect.objectContaining({ code: 'SETUP_NAME_INVALID' }));
    expect(() => planSetup({ ...INPUT, roleName: 'has space' })).toThrow(expect.objectContaining({ code: 'SETUP_NAME_INVALID' }));
    expect(() => planSetup({ ...INPUT, sessionSeconds: 899 })).toThrow(expect.objectContaining({ code: 'DURATION_INVALID' }));
    expect(() => planSetup({ ...INPUT, sessionSeconds: 43201 })).toThrow(expect.objectContaining({ code: 'DURATION_INVALID' }));
    expect(() => planSetup({ ...INPUT, managedPolicyArns: ['ReadOnlyAccess'] })).toThrow(expect.objectContaining({ code: 'POLICY_ARN_INVALID' }));
    const many = Array.from({ length: 21 }, (_, index) => `arn:aws:iam::123456789012:policy/p${index}`);
    expect(() => planSetup({ ...INPUT, managedPolicyArns: many })).toThrow(expect.objectContaining({ code: 'POLICY_ARN_INVALID' }));
    expect(() => planSetup({ ...INPUT, pinned: [] })).toThrow(expect.objectContaining({ code: 'SETUP_TAG_MISSING' }));
  });
});
