// IAM's checks on a role trust policy (CreateRole, UpdateAssumeRolePolicy), each refusal in IAM's own
// words, so a policy the sandbox accepts is one IAM accepts and a typo fails at CreateRole, not at the
// first CreateSession. The messages are those IAM returns with MalformedPolicyDocument.
import {
  BASE_OPERATORS,
  type ActionElement,
  type BaseOperator,
  type ConditionClause,
  type Effect,
  type PrincipalElement,
  type PrincipalType,
  type SetQualifier,
  type Statement,
  type TrustPolicy,
} from './trust-policy';

export interface PolicyRefusal {
  readonly status: 400 | 409;
  readonly code: 'MalformedPolicyDocument' | 'LimitExceeded';
  readonly message: string;
}

export type ParsedTrustPolicy = { readonly ok: true; readonly policy: TrustPolicy } | { readonly ok: false; readonly refusal: PolicyRefusal };

export interface TrustPolicyLimits {
  /** IAM's ACLSizePerRole quota: 2,048 characters by default, raisable to 4,096; whitespace does not count. */
  readonly sizeQuota?: number;
}

export const DEFAULT_TRUST_POLICY_SIZE_QUOTA = 2048;

const VERSIONS = ['2012-10-17', '2008-10-17'] as const;
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'NotAction', 'Condition']);
// Valid in other policy types, refused by name in a trust policy (NotPrincipal: IAM's user guide says
// it cannot be used in a role trust policy).
const PROHIBITED_ELEMENTS = ['Resource', 'NotResource', 'NotPrincipal'];
const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws[a-z-]*:sts::\d{12}:(assumed-role|federated-user)\/.+)$/;
const SID = /^[0-9A-Za-z]*$/;
const VENDOR = /^[a-zA-Z0-9.-]+$/;

const SYNTAX = 'Syntax errors in policy.';

class Refused extends Error {
  constructor(readonly refusal: PolicyRefusal) {
    super(refusal.message);
  }
}

function malformed(message: string): Refused {
  return new Refused({ status: 400, code: 'MalformedPolicyDocument', message });
}

/** What the IAM CreateRole and UpdateAssumeRolePolicy handlers call on AssumeRolePolicyDocument. */
export function parseTrustPolicy(document: string, limits: TrustPolicyLimits = {}): ParsedTrustPolicy {
  try {
    return { ok: true, policy: readDocument(document, limits.sizeQuota ?? DEFAULT_TRUST_POLICY_SIZE_QUOTA) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

function readDocument(document: string, sizeQuota: number): TrustPolicy {
  const size = document.replace(/\s/g, '').length;
  if (size > sizeQuota) {
    throw new Refused({ status: 409, code: 'LimitExceeded', message: `Cannot exceed quota for ACLSizePerRole: ${sizeQuota}` });
  }
  let json: unknown;
  try {
    json = JSON.parse(document);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObject(json)) throw malformed(SYNTAX);
  for (const key of Object.keys(json)) if (!TOP_LEVEL.has(key)) throw malformed(SYNTAX);
  const version = json.Version;
  if (version !== undefined && !VERSIONS.some((known) => known === version)) throw malformed(SYNTAX);
  if (json.Id !== undefined && typeof json.Id !== 'string') throw malformed(SYNTAX);

  const raw = json.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (list === undefined || list.length === 0) throw malformed(SYNTAX);
  const statements = list.map((entry, index) => readStatement(entry, index));

  const sids = statements.flatMap((statement) => (statement.sid ? [statement.sid] : []));
  if (new Set(sids).size !== sids.length) throw malformed('Statement IDs (SID) in a single policy must be unique.');
  return { version: version as TrustPolicy['version'], statements };
}

function readStatement(entry: unknown, index: number): Statement {
  if (!isObject(entry)) throw malformed(SYNTAX);
  for (const name of PROHIBITED_ELEMENTS) if (name in entry) throw malformed(`Has prohibited field ${name}`);
  for (const key of Object.keys(entry)) if (!STATEMENT_ELEMENTS.has(key)) throw malformed(SYNTAX);

  const sid = entry.Sid;
  if (sid !== undefined && typeof sid !== 'string') throw malformed(SYNTAX);
  if (typeof sid === 'string' && !SID.test(sid)) {
    throw malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
  }
  return {
    index,
    sid: sid === '' ? undefined : sid,
    effect: readEffect(entry.Effect),
    principal: readPrincipal(entry.Principal),
    action: readAction(entry),
    conditions: readConditions(entry.Condition),
  };
}

function readEffect(value: unknown): Effect {
  if (value === undefined) throw malformed('Missing required field Effect');
  if (value === 'Allow' || value === 'Deny') return value;
  // IAM parses Effect case-insensitively first, then refuses anything not spelled exactly.
  if (typeof value === 'string' && ['allow', 'deny'].includes(value.toLowerCase())) throw malformed('The policy failed legacy parsing');
  throw malformed(SYNTAX);
}

function readPrincipal(value: unknown): PrincipalElement {
  if (value === undefined) throw malformed('Missing required field Principal');
  if (value === '*') return { anyone: true, ids: new Map() };
  if (!isObject(value) || Object.keys(value).length === 0) throw malformed(SYNTAX);
  const ids = new Map<PrincipalType, readonly string[]>();
  let anyone = false;
  for (const [type, raw] of Object.entries(value)) {
    const known = PRINCIPAL_TYPES.find((name) => name === type);
    if (!known) throw malformed(SYNTAX);
    const list = stringOrStrings(raw);
    for (const id of list) checkPrincipalId(known, id);
    if (known === 'AWS' && list.includes('*')) anyone = true;
    ids.set(known, list);
  }
  return { anyone, ids };
}

function checkPrincipalId(type: PrincipalType, id: string): void {
  const valid = type === 'Service' ? SERVICE_PRINCIPAL.test(id) : type === 'AWS' ? AWS_PRINCIPAL.test(id) : id.length > 0;
  if (!valid) throw malformed(`Invalid principal in policy: "${type.toUpperCase()}":"${id}"`);
}

function readAction(entry: Record<string, unknown>): ActionElement {
  if ('Action' in entry && 'NotAction' in entry) throw malformed(SYNTAX);
  const negated = 'NotAction' in entry;
  const raw = negated ? entry.NotAction : entry.Action;
  if (raw === undefined) throw malformed('Policy statement must contain actions.');
  const patterns = stringOrStrings(raw, true);
  if (patterns.length === 0) throw malformed('Policy statement must contain actions.');
  for (const pattern of patterns) checkVendorPrefixed(pattern);
  return { negated, patterns };
}

function checkVendorPrefixed(name: string): void {
  if (name === '*') return;
  const parts = name.split(':');
  const [vendor = ''] = parts;
  if (parts.length === 1) throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (parts.length > 2) throw malformed('Actions/Condition can contain only one colon.');
  if (!VENDOR.test(vendor)) throw malformed(`Vendor ${vendor} is not valid`);
}

function readConditions(value: unknown): ConditionClause[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw malformed(SYNTAX);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) throw malformed(SYNTAX);
    const entries = Object.entries(block);
    const parsed = parseOperator(operator);
    if (!parsed) {
      // IAM lets an unknown operator stand only with nothing under it.
      if (entries.length > 0) throw malformed(SYNTAX);
      continue;
    }
    for (const [key, raw] of entries) {
      checkVendorPrefixed(key.split('/')[0] ?? key);
      clauses.push({ operator, ...parsed, key, values: conditionValues(raw) });
    }
  }
  return clauses;
}

/** `ForAnyValue:StringLikeIfExists` → its three parts; undefined for an operator IAM does not know. */
export function parseOperator(operator: string): { base: BaseOperator; qualifier: SetQualifier | undefined; ifExists: boolean } | undefined {
  const qualifier = (['ForAnyValue', 'ForAllValues'] as const).find((prefix) => operator.startsWith(`${prefix}:`));
  let rest = qualifier ? operator.slice(qualifier.length + 1) : operator;
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = BASE_OPERATORS.find((name) => name === rest);
  // IAM's grammar allows IfExists on every operator except Null.
  if (!base || (base === 'Null' && ifExists)) return undefined;
  return { base, qualifier, ifExists };
}

function conditionValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
    throw malformed(SYNTAX);
  });
}

function stringOrStrings(value: unknown, allowEmpty = false): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string') && (allowEmpty || value.length > 0)) return value;
  throw malformed(SYNTAX);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
