// ARNs are checked before anything is signed or sent, so a typo shows up as "this ARN is wrong"
// instead of as a 403 or 404 from the service.

import { RolecallError } from '../../shared/errors';

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const ACCOUNT = '\\d{12}';
// Real IDs are UUIDs, but the reference client accepts any ID and lets the service judge it; a drop-in
// must not refuse what aws_signing_helper sends (private endpoints and test doubles use other IDs).
const RESOURCE_ID = '[A-Za-z0-9_.:-]{1,128}';
// IAM: a path is / or /segments/ of printable ASCII; a name is 1-64 of [\w+=,.@-].
const ROLE_PATH = '(?:[\\x21-\\x7e]*/)?';
const ROLE_NAME = '[\\w+=,.@-]{1,64}';

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

const ROLES_ANYWHERE_ARN = new RegExp(`^arn:(${PARTITION}):rolesanywhere:(${REGION}):(${ACCOUNT}):(trust-anchor|profile)/(${RESOURCE_ID})$`);
const ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):role/(${ROLE_PATH})(${ROLE_NAME})$`);
const REGION_NAME = new RegExp(`^${REGION}$`);

const LABEL: Record<RolesAnywhereResource, string> = { 'trust-anchor': 'trust anchor', profile: 'profile' };

export function isValidRegion(region: string): boolean {
  return REGION_NAME.test(region);
}

/** Parses a trust anchor or profile ARN (surrounding whitespace ignored); ARN_INVALID names the bad one. */
export function parseRolesAnywhereArn(text: string, resource: RolesAnywhereResource): RolesAnywhereArn {
  const arn = text.trim();
  const match = ROLES_ANYWHERE_ARN.exec(arn);
  if (!match || match[4] !== resource) {
    throw new RolecallError('ARN_INVALID', `${LABEL[resource]} ARN "${arn}" is not arn:aws:rolesanywhere:REGION:ACCOUNT:${resource}/ID`);
  }
  const [, partition = '', region = '', account = '', , id = ''] = match;
  return { arn, partition, region, account, resource, id };
}

/** Parses `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (surrounding whitespace ignored). */
export function parseRoleArn(text: string): RoleArn {
  const arn = text.trim();
  const match = ROLE_ARN.exec(arn);
  if (!match) throw new RolecallError('ARN_INVALID', `role ARN "${arn}" is not arn:aws:iam::ACCOUNT:role/NAME`);
  const [, partition = '', account = '', path = '', name = ''] = match;
  return { arn, partition, account, path: `/${path}`, name };
}
