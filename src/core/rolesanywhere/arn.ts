// ARNs are checked before anything is signed or sent, so a typo shows up as "this ARN is wrong"
// instead of as a 403 or 404 from the service.

import { RolecallError } from '../../shared/errors';
import { REGION_PATTERN, ROLE_ARN_PATTERN, ROLES_ANYWHERE_ARN_PATTERN } from '../../shared/patterns';

export type RolesAnywhereResource = 'trust-anchor' | 'profile';

export interface RolesAnywhereArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly resource: RolesAnywhereResource;
  readonly id: string;
}

export interface RoleArn {
  readonly arn: string;
  readonly partition: string;
  readonly account: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
  readonly name: string;
}


const LABEL: Record<RolesAnywhereResource, string> = { 'trust-anchor': 'trust anchor', profile: 'profile' };

export function isValidRegion(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/** Parses a trust anchor or profile ARN (surrounding whitespace ignored); ARN_INVALID names the bad one. */
export function parseRolesAnywhereArn(text: string, resource: RolesAnywhereResource): RolesAnywhereArn {
  const arn = text.trim();
  const match = ROLES_ANYWHERE_ARN_PATTERN.exec(arn);
  if (!match || match[4] !== resource) {
    throw new RolecallError('ARN_INVALID', `${LABEL[resource]} ARN "${arn}" is not arn:aws:rolesanywhere:REGION:ACCOUNT:${resource}/ID`);
  }
  const [, partition = '', region = '', account = '', , id = ''] = match;
  return { arn, partition, region, account, resource, id };
}

/** Parses `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (surrounding whitespace ignored). */
export function parseRoleArn(text: string): RoleArn {
  const arn = text.trim();
  const match = ROLE_ARN_PATTERN.exec(arn);
  if (!match) throw new RolecallError('ARN_INVALID', `role ARN "${arn}" is not arn:aws:iam::ACCOUNT:role/NAME`);
  const [, partition = '', account = '', path = '', name = ''] = match;
  return { arn, partition, account, path: `/${path}`, name };
}
