// A role trust policy (AssumeRolePolicyDocument) as the sandbox holds it once IAM's parser accepted it:
// every element in one normalised shape, so evaluation never meets "string or array" again.

export type Effect = 'Allow' | 'Deny';

/** The principal kinds a trust policy may name. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

export interface PrincipalElement {
  /** `"Principal": "*"` (or `{"AWS": "*"}`): every principal. */
  readonly anyone: boolean;
  readonly ids: ReadonlyMap<PrincipalType, readonly string[]>;
}

export interface ActionElement {
  /** True for NotAction: the statement covers every action except these. */
  readonly negated: boolean;
  /** `service:Action` patterns, IAM wildcards allowed; matched without regard to case. */
  readonly patterns: readonly string[];
}

/** The condition operators IAM knows, without the ForAnyValue:/ForAllValues: prefix and IfExists suffix. */
export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;

export type BaseOperator = (typeof BASE_OPERATORS)[number];

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

/** One `"operator": { "key": values }` pair of a Condition block. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  readonly base: BaseOperator;
  readonly qualifier: SetQualifier | undefined;
  readonly ifExists: boolean;
  /** The key as written; keys match without regard to case. */
  readonly key: string;
  /** Booleans and numbers in the document are kept as their JSON text, as IAM compares them. */
  readonly values: readonly string[];
}

export interface Statement {
  /** Position in the Statement array (0 for a single statement object). */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly principal: PrincipalElement;
  readonly action: ActionElement;
  readonly conditions: readonly ConditionClause[];
}

export interface TrustPolicy {
  /** Absent means IAM's default, 2008-10-17, under which `${…}` is literal text. */
  readonly version: '2012-10-17' | '2008-10-17' | undefined;
  readonly statements: readonly Statement[];
}

/** How a statement is named in explanations: its Sid when it has one, else its position. */
export function statementLabel(statement: Pick<Statement, 'index' | 'sid'>): string {
  return statement.sid ? `statement ${statement.index} ("${statement.sid}")` : `statement ${statement.index}`;
}
