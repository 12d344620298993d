import { describe, expect, it } from 'vitest';
import { isValidRegion, parseRoleArn, parseRolesAnywhereArn } from '../../../src/core/rolesanywhere';

describe('parseRolesAnywhereArn', () => {
  it('reads partition, region, account and ID of a trust anchor', () => {
    expect(parseRolesAnywhereArn(' arn:aws-us-gov:rolesanywhere:us-gov-west-1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789\n', 'trust-anchor')).toEqual({
      arn: 'arn:aws-us-gov:rolesanywhere:us-gov-west-1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      account: '123456789012',
      resource: 'trust-anchor',
      id: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    });
  });

  it('accepts IDs that are not UUIDs, as aws_signing_helper does (the service judges them)', () => {
    expect(parseRolesAnywhereArn('arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA_ID', 'trust-anchor').id).toBe('TA_ID');
  });

  it.each([
    'arn:aws:rolesanywhere:us-east-1:123456789012:profile/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/',
    'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/a/b',
    'arn:aws:rolesanywhere:useast1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    'arn:aws:iam:us-east-1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    'arn:aws:rolesanywhere:us-east-1::trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    '',
  ])('refuses %j as a trust anchor ARN and names it', (arn) => {
    expect(() => parseRolesAnywhereArn(arn, 'trust-anchor')).toThrow(
      expect.objectContaining({ code: 'ARN_INVALID', detail: expect.stringContaining(`trust anchor ARN "${arn}"`) }),
    );
  });
});

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/Dev', '/', 'Dev'],
    ['arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2', '/team!/', 'Example+Role@x=1,2'],
    ['arn:aws-cn:iam::123456789012:role/a/b/c/Name_1', '/a/b/c/', 'Name_1'],
  ])('reads path and name of %s', (arn, path, name) => {
    expect(parseRoleArn(arn)).toMatchObject({ arn, path, name, account: '123456789012' });
  });

  it.each([
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    'arn:aws:iam::123456789012:role/path/',
    `arn:aws:iam::123456789012:role/${'n'.repeat(65)}`,
    'arn:aws:iam:us-east-1:123456789012:role/Dev',
    'arn:aws:sts::123456789012:assumed-role/Dev/x',
  ])('refuses %s and names it', (arn) => {
    expect(() => parseRoleArn(arn)).toThrow(expect.objectContaining({ code: 'ARN_INVALID', detail: expect.stringContaining(arn) }));
  });
});

describe('isValidRegion', () => {
  it('accepts region names and refuses anything else', () => {
    expect(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'il-central-1'].every(isValidRegion)).toBe(true);
    expect(['', 'us-east', 'US-EAST-1', 'us_east_1', 'us-east-1 ', 'useast1'].some(isValidRegion)).toBe(false);
  });
});
