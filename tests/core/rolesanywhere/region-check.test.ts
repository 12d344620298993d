// profiles add warns when the ARNs' region, the signing region (--region) and the endpoint's region differ.
import { describe, expect, it } from 'vitest';
import { regionMismatches } from '../../../src/core/rolesanywhere/region-check';

const TRUST_ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

describe('regionMismatches', () => {
  it.each([
    ['no region or endpoint', {}],
    ['the ARNs\' region signed for', { signingRegion: 'eu-west-1' }],
    ['the regional endpoint', { endpoint: 'https://rolesanywhere.eu-west-1.amazonaws.com' }],
    ['the FIPS endpoint as a bare host', { endpoint: 'rolesanywhere-fips.eu-west-1.amazonaws.com' }],
    ['a VPC endpoint of the region', { endpoint: 'https://vpce-0a1b2c3d-4e5f.rolesanywhere.eu-west-1.vpce.amazonaws.com' }],
    ['a loopback endpoint', { endpoint: 'http://127.0.0.1:8443', signingRegion: 'eu-west-1' }],
    ['a private name', { endpoint: 'https://ra.internal.example.com' }],
  ])('says nothing for %s', (_label, settings) => {
    expect(regionMismatches({ trustAnchorArn: TRUST_ANCHOR, ...settings })).toEqual([]);
  });

  it('warns when requests are signed for another region than the ARNs\'', () => {
    const [warning, ...rest] = regionMismatches({ trustAnchorArn: TRUST_ANCHOR, signingRegion: 'us-east-1' });
    expect(rest).toEqual([]);
    expect(warning).toBe('Requests are signed for us-east-1 (--region), but the trust anchor and profile are in eu-west-1: Roles Anywhere will refuse every session. Leave --region out to sign for eu-west-1.');
  });

  it('warns when the endpoint is in another region than the requests are signed for', () => {
    expect(regionMismatches({ trustAnchorArn: TRUST_ANCHOR, endpoint: 'https://rolesanywhere.us-east-2.amazonaws.com' })).toEqual([
      'The endpoint is Roles Anywhere in us-east-2, but requests are signed for eu-west-1 (the ARNs\' region): it will refuse them. Use the endpoint of eu-west-1, or leave --endpoint out.',
    ]);
  });

  it('warns twice when signing region and endpoint agree with each other but not with the ARNs', () => {
    expect(regionMismatches({ trustAnchorArn: TRUST_ANCHOR, signingRegion: 'cn-north-1', endpoint: 'https://rolesanywhere.cn-north-1.amazonaws.com.cn' })).toEqual([
      'Requests are signed for cn-north-1 (--region), but the trust anchor and profile are in eu-west-1: Roles Anywhere will refuse every session. Leave --region out to sign for eu-west-1.',
      'The endpoint is Roles Anywhere in cn-north-1, which does not know a trust anchor in eu-west-1. Use the endpoint of eu-west-1, or leave --endpoint out.',
    ]);
  });
});

describe('regionMismatches on an ARN that is not one', () => {
  it('leaves it to the profile check', () => {
    expect(regionMismatches({ trustAnchorArn: 'trust-anchor/x', signingRegion: 'us-east-1' })).toEqual([]);
  });
});
