import { describe, expect, it } from 'vitest';
import { parseRoleArn, parseRolesAnywhereArn } from '../../src/core/rolesanywhere/arn';
import { abbreviateId, arnProblem, arnShortName, isValidRegion, parseArn, regionOfArn } from '../../src/renderer/format/arn';

const ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d';
const ROLE = 'arn:aws:iam::123456789012:role/developers/Developer';

describe('ARN short names', () => {
  it('shows the ID of a trust anchor or profile and the name of a role without its path', () => {
    expect(arnShortName(ANCHOR)).toBe('3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234');
    expect(arnShortName(PROFILE)).toBe('8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d');
    expect(arnShortName(ROLE)).toBe('Developer');
    expect(arnShortName('arn:aws-us-gov:iam::123456789012:role/Admin')).toBe('Admin');
  });

  it('falls back to the text itself for something that is no ARN Rolecall knows', () => {
    expect(arnShortName('  not-an-arn ')).toBe('not-an-arn');
  });

  it('abbreviates UUID-shaped IDs to their first 8 digits and leaves other names alone', () => {
    expect(abbreviateId('3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234')).toBe('3f1c2a9e…');
    expect(abbreviateId('Developer')).toBe('Developer');
  });
});

describe('ARN checks', () => {
  it('accepts each ARN in its own field and says which kind a misplaced one is', () => {
    expect(arnProblem(ANCHOR, 'trust-anchor')).toBeUndefined();
    expect(arnProblem(PROFILE, 'profile')).toBeUndefined();
    expect(arnProblem(` ${ROLE} `, 'role')).toBeUndefined();
    expect(arnProblem(PROFILE, 'trust-anchor')).toBe('This is a profile ARN; expected arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID.');
    expect(arnProblem(ANCHOR, 'role')).toBe('This is a trust anchor ARN; expected arn:aws:iam::ACCOUNT:role/NAME.');
    expect(arnProblem('arn:aws:iam::123:role/x', 'role')).toBe('Expected arn:aws:iam::ACCOUNT:role/NAME.');
  });

  it('reads the region of Roles Anywhere ARNs; roles have none', () => {
    expect(regionOfArn(ANCHOR)).toBe('eu-west-1');
    expect(regionOfArn(ROLE)).toBeUndefined();
    expect(regionOfArn('garbage')).toBeUndefined();
  });

  it('agrees with the core parser on which ARNs are valid', () => {
    const samples = [
      ANCHOR,
      PROFILE,
      ROLE,
      'arn:aws-cn:rolesanywhere:cn-north-1:123456789012:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234',
      'arn:aws:rolesanywhere:eu-west-1:12345678901:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234',
      'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/3F1C2A9E-5b7d-4e21-9c0a-7d6e8f901234',
      'arn:aws:rolesanywhere:EU-west-1:123456789012:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
      'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/8a4b6c2d',
      'arn:aws:iam::123456789012:role/Admin',
      'arn:aws:iam::123456789012:role/a/b/c/Name+=,.@-_',
      'arn:aws:iam::123456789012:role/',
      'arn:aws:iam::123456789012:user/alice',
      `arn:aws:iam::123456789012:role/${'x'.repeat(65)}`,
      'arn:aws:iam:us-east-1:123456789012:role/Admin',
    ];
    const core = (text: string) => {
      const attempts = [() => parseRolesAnywhereArn(text, 'trust-anchor'), () => parseRolesAnywhereArn(text, 'profile'), () => parseRoleArn(text)];
      return attempts.some((parse) => {
        try {
          parse();
          return true;
        } catch {
          return false;
        }
      });
    };
    for (const sample of samples) expect(parseArn(sample) !== null, sample).toBe(core(sample));
  });

  it('knows region names by their shape', () => {
    expect(isValidRegion('us-east-1')).toBe(true);
    expect(isValidRegion('us-gov-west-1')).toBe(true);
    expect(isValidRegion('useast1')).toBe(false);
    expect(isValidRegion('US-EAST-1')).toBe(false);
  });
});
