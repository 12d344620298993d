// The role's trust policy, asked what Roles Anywhere asks it at CreateSession, so `explain` can name
// the condition that refused a certificate: the value it wanted and the value the session carries.
// Core's own small evaluator (the sandbox's is the other side of the test and must stay separate): the
// condition operators trust policies use (String*, Arn*, Bool, Null, Numeric*, Date*, with IfExists and
// ForAnyValue/ForAllValues), IAM's rules for absent keys, and ${key} policy variables.

export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere.amazonaws.com';

/** The request context: keys compared without regard to case. */
export type PolicyContext = ReadonlyMap<string, string>;

export interface ConditionFailure {
  /** The statement's Sid, or its position (1-based). */
  readonly statement: string;
  readonly operator: string;
  readonly key: string;
  /** The values the policy lists. */
  readonly wanted: readonly string[];
  /** What the request carries for the key; undefined when it carries none. */
  readonly carried: string | undefined;
}

/** A condition of a statement that applied: for an explicit Deny, what made it match. */
export interface ConditionMatch {
  readonly operator: string;
  readonly key: string;
  readonly wanted: readonly string[];
  readonly carried: string | undefined;
}

export type PolicyVerdict =
  | { readonly decision: 'allow' }
  | { readonly decision: 'unreadable'; readonly reason: string }
  | { readonly decision: 'explicit-deny'; readonly action: string; readonly statement: string; readonly matched: readonly ConditionMatch[] }
  /** No statement allows `action`; `failure` is the first condition that stopped one which otherwise would. */
  | { readonly decision: 'implicit-deny'; readonly action: string; readonly failure?: ConditionFailure; readonly reason: string }
  | { readonly decision: 'unsupported'; readonly operator: string; readonly statement: string };

interface Statement {
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: unknown;
  readonly action: unknown;
  readonly notAction: unknown;
  readonly condition: Record<string, Record<string, unknown>>;
}

class Unsupported extends Error {
  constructor(
    readonly operator: string,
    readonly statement = '',
  ) {
    super(operator);
  }
}

/** Lowercased keys, for IAM's case-insensitive condition keys. */
export function policyContext(entries: Iterable<readonly [string, string]>): PolicyContext {
  return new Map([...entries].map(([key, value]) => [key.toLowerCase(), value]));
}

export function evaluateTrustPolicy(document: string, actions: readonly string[], context: PolicyContext): PolicyVerdict {
  const statements = readStatements(document);
  if (typeof statements === 'string') return { decision: 'unreadable', reason: statements };
  try {
    for (const action of actions) {
      const deny = statements.find((statement) => statement.effect === 'Deny' && applies(statement, action, context) === true);
      if (deny) return { decision: 'explicit-deny', action, statement: deny.label, matched: conditionsOf(deny, context) };
    }
    for (const action of actions) {
      const allows = statements.filter((statement) => statement.effect === 'Allow');
      const outcomes = allows.map((statement) => applies(statement, action, context));
      if (outcomes.some((outcome) => outcome === true)) continue;
      const failure = outcomes.find((outcome): outcome is ConditionFailure => typeof outcome === 'object');
      if (failure) return { decision: 'implicit-deny', action, failure, reason: `condition ${failure.operator} ${failure.key} of statement ${failure.statement} does not hold` };
      const reason = allows.length === 0 ? 'the policy has no Allow statement' : `no Allow statement names ${ROLES_ANYWHERE_SERVICE} with ${action}`;
      return { decision: 'implicit-deny', action, reason };
    }
  } catch (error) {
    if (error instanceof Unsupported) return { decision: 'unsupported', operator: error.operator, statement: error.statement };
    throw error;
  }
  return { decision: 'allow' };
}

/** true when the statement covers the call, false when its principal or action do not, else the failed condition. */
function applies(statement: Statement, action: string, context: PolicyContext): true | false | ConditionFailure {
  if (!principalMatches(statement.principal)) return false;
  const listed = statement.notAction !== undefined ? !listOf(statement.notAction).some((pattern) => wildcard(pattern, action, true)) : listOf(statement.action).some((pattern) => wildcard(pattern, action, true));
  if (!listed) return false;
  for (const [operator, clauses] of Object.entries(statement.condition)) {
    for (const [key, values] of Object.entries(clauses ?? {})) {
      const wanted = listOf(values);
      const carried = context.get(key.toLowerCase());
      let holds: boolean;
      try {
        holds = clauseHolds(operator, wanted, carried, context);
      } catch (error) {
        throw error instanceof Unsupported ? new Unsupported(error.operator, statement.label) : error;
      }
      if (!holds) return { statement: statement.label, operator, key, wanted, carried };
    }
  }
  return true;
}

function conditionsOf(statement: Statement, context: PolicyContext): ConditionMatch[] {
  return Object.entries(statement.condition).flatMap(([operator, clauses]) =>
    Object.entries(clauses ?? {}).map(([key, values]) => ({ operator, key, wanted: listOf(values), carried: context.get(key.toLowerCase()) })),
  );
}

function principalMatches(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const { Service, AWS } = principal as { Service?: unknown; AWS?: unknown };
  return listOf(Service).some((name) => name.toLowerCase() === ROLES_ANYWHERE_SERVICE) || listOf(AWS).includes('*');
}

function clauseHolds(operatorText: string, wanted: readonly string[], carried: string | undefined, context: PolicyContext): boolean {
  const qualified = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operatorText);
  const qualifier = qualified?.[1];
  const withoutQualifier = qualified?.[2] ?? operatorText;
  const ifExists = withoutQualifier.endsWith('IfExists');
  const operator = ifExists ? withoutQualifier.slice(0, -'IfExists'.length) : withoutQualifier;
  if (operator === 'Null') {
    return wanted.some((value) => (value.toLowerCase() === 'true' ? carried === undefined : value.toLowerCase() === 'false' && carried !== undefined));
  }
  const rule = RULES[operator];
  if (!rule) throw new Unsupported(operatorText);
  if (carried === undefined) {
    if (ifExists || qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    return rule.negated;
  }
  const matched = wanted.some((value) => {
    const expanded = expand(value, context);
    return expanded !== undefined && rule.matches(expanded, carried);
  });
  return rule.negated ? !matched : matched;
}

interface Rule {
  readonly negated: boolean;
  readonly matches: (policy: string, request: string) => boolean;
}

const equals = (policy: string, request: string) => policy === request;
const equalsIgnoreCase = (policy: string, request: string) => policy.toLowerCase() === request.toLowerCase();
const like = (policy: string, request: string) => wildcard(policy, request, false);
const arnLike = (policy: string, request: string) => {
  const policyParts = arnParts(policy);
  const requestParts = arnParts(request);
  return !!policyParts && !!requestParts && policyParts.every((part, index) => wildcard(part, requestParts[index] ?? '', false));
};
const compareAs = (parse: (text: string) => number, test: (request: number, policy: number) => boolean) => (policy: string, request: string) => {
  const [p, r] = [parse(policy), parse(request)];
  return Number.isFinite(p) && Number.isFinite(r) && test(r, p);
};
const asNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const asDate = (text: string) => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
const yes = (matches: Rule['matches']): Rule => ({ negated: false, matches });
const not = (matches: Rule['matches']): Rule => ({ negated: true, matches });

const RULES: Readonly<Record<string, Rule>> = {
  StringEquals: yes(equals),
  StringNotEquals: not(equals),
  StringEqualsIgnoreCase: yes(equalsIgnoreCase),
  StringNotEqualsIgnoreCase: not(equalsIgnoreCase),
  StringLike: yes(like),
  StringNotLike: not(like),
  ArnEquals: yes(arnLike),
  ArnLike: yes(arnLike),
  ArnNotEquals: not(arnLike),
  ArnNotLike: not(arnLike),
  Bool: yes(equalsIgnoreCase),
  NumericEquals: yes(compareAs(asNumber, (r, p) => r === p)),
  NumericNotEquals: not(compareAs(asNumber, (r, p) => r === p)),
  NumericLessThan: yes(compareAs(asNumber, (r, p) => r < p)),
  NumericLessThanEquals: yes(compareAs(asNumber, (r, p) => r <= p)),
  NumericGreaterThan: yes(compareAs(asNumber, (r, p) => r > p)),
  NumericGreaterThanEquals: yes(compareAs(asNumber, (r, p) => r >= p)),
  DateEquals: yes(compareAs(asDate, (r, p) => r === p)),
  DateNotEquals: not(compareAs(asDate, (r, p) => r === p)),
  DateLessThan: yes(compareAs(asDate, (r, p) => r < p)),
  DateLessThanEquals: yes(compareAs(asDate, (r, p) => r <= p)),
  DateGreaterThan: yes(compareAs(asDate, (r, p) => r > p)),
  DateGreaterThanEquals: yes(compareAs(asDate, (r, p) => r >= p)),
};

function arnParts(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** ${key} from the context, ${*} ${?} ${$} as literals; undefined when a variable has no value. */
function expand(value: string, context: PolicyContext): string | undefined {
  let missing = false;
  const text = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return `\u0000${name}`;
    const found = context.get(name.toLowerCase());
    if (found === undefined) missing = true;
    return found ?? '';
  });
  return missing ? undefined : text;
}

/** IAM wildcards: * any run, ? one character; `ignoreCase` for action names. A \0 marks a literal. */
function wildcard(pattern: string, text: string, ignoreCase: boolean): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] as string;
    if (char === '\u0000') {
      source += escape(pattern[i + 1] ?? '');
      i += 1;
    } else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escape(char);
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'iu' : 'u').test(text);
}

function escape(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return Array.isArray(value) ? value.flatMap(listOf) : [];
}

function readStatements(document: string): Statement[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return 'the trust policy is not JSON';
  }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: Statement[] = [];
  for (const [index, entry] of list.entries()) {
    const { Sid, Effect, Principal, Action, NotAction, Condition } = (entry ?? {}) as Record<string, unknown>;
    if (Effect !== 'Allow' && Effect !== 'Deny') return `statement ${index + 1} has no Effect Allow or Deny`;
    statements.push({
      label: typeof Sid === 'string' && Sid !== '' ? `"${Sid}"` : `${index + 1}`,
      effect: Effect,
      principal: Principal,
      action: Action,
      notAction: NotAction,
      condition: typeof Condition === 'object' && Condition !== null ? (Condition as Record<string, Record<string, unknown>>) : {},
    });
  }
  return statements;
}
