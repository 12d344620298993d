// "Did you mean …?" for a profile name that does not exist: typos of a known name are suggested,
// names that merely share a few letters are not.
import { describe, expect, it } from 'vitest';
import { closeNames, unknownProfile } from '../../../src/core/profiles/unknown-profile';

const KNOWN = ['dev', 'dev-eu', 'prod', 'staging', 'sandbox-admin'];

describe('closeNames', () => {
  it.each([
    ['stagign', ['staging']],
    ['Prod', ['prod']],
    ['prdo', ['prod']],
    ['sandbox-admn', ['sandbox-admin']],
    ['de', ['dev', 'dev-eu']],
    ['eu', ['dev-eu']],
  ])('suggests %s → %j', (typed, expected) => {
    expect(closeNames(typed, KNOWN)).toEqual(expected);
  });

  it('suggests nothing for a name unlike every known one', () => {
    expect(closeNames('billing', KNOWN)).toEqual([]);
    expect(closeNames('x', KNOWN)).toEqual([]);
  });

  it('lists at most three, nearest first', () => {
    expect(closeNames('app', ['app1', 'app22', 'app3', 'apq', 'ap'])).toEqual(['ap', 'app1', 'app3']);
  });
});

describe('unknownProfile', () => {
  it('is PROFILE_NOT_FOUND naming the typed name and the suggestions', () => {
    expect(unknownProfile('stagign', KNOWN).toInfo()).toMatchObject({ code: 'PROFILE_NOT_FOUND', detail: 'stagign; did you mean staging?' });
    expect(unknownProfile('de', KNOWN).detail).toBe('de; did you mean dev or dev-eu?');
    expect(unknownProfile('billing', KNOWN).detail).toBe('billing');
  });
});
