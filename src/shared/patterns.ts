// The shapes of names and ARNs, in one place for the agent (which enforces them), the contract's
// schemas and the renderer's inline validation. No dependencies: the renderer bundles this file.

export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+@-]{0,63}$/;
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const ACCOUNT = '\\d{12}';
// Real IDs are UUIDs, but the reference client accepts any ID and lets the service judge it; a drop-in
// must not refuse what aws_signing_helper sends (private endpoints and test doubles use other IDs).
const RESOURCE_ID = '[A-Za-z0-9_.:-]{1,128}';
// IAM: a path is / or /segments/ of printable ASCII; a name is 1-64 of [\w+=,.@-].
const ROLE_PATH = '(?:[\\x21-\\x7e]*/)?';
const ROLE_NAME = '[\\w+=,.@-]{1,64}';

export const REGION_PATTERN = new RegExp(`^${REGION}$`);
/** Groups: partition, region, account, resource type, ID. */
export const ROLES_ANYWHERE_ARN_PATTERN = new RegExp(`^arn:(${PARTITION}):rolesanywhere:(${REGION}):(${ACCOUNT}):(trust-anchor|profile)/(${RESOURCE_ID})$`);
/** Groups: partition, account, path (without the leading /), name. */
export const ROLE_ARN_PATTERN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):role/(${ROLE_PATH})(${ROLE_NAME})$`);

/** A setup's name (`rolecall setup aws --name`, the wizard): the stem of AWS resource names, `rolecall-NAME`. */
export const SETUP_NAME_PATTERN = /^[A-Za-z0-9_-]{1,50}$/;

/** An IAM role's name (`rolecall setup aws --role-name`, the wizard's role field). */
export const IAM_ROLE_NAME_PATTERN = new RegExp(`^${ROLE_NAME}$`);
/** A managed policy's ARN, AWS's own (arn:aws:iam::aws:policy/…) or an account's (`--policy-arn`, the wizard's policies). */
export const MANAGED_POLICY_ARN_PATTERN = new RegExp(`^arn:${PARTITION}:iam::(?:aws|${ACCOUNT}):policy/(?:[\\x21-\\x7e]+/)?[\\w+=,.@-]{1,128}$`);
