// One condition clause (`operator: { key: values }`) against the request context, with IAM's rules:
// a key's values are ORed; a missing key fails a positive operator and satisfies a negated one;
// …IfExists is satisfied by a missing key; ForAnyValue needs one request value to match and is false
// on an empty set; ForAllValues needs every request value to match and is true on an empty set; Null
// tests presence. Keys match without regard to case, values as each operator says.
import type { ContextValue, RequestContext } from './authorization-request';
import { OPERATOR_RULES, type Expand } from './condition-operators';
import { expandPolicyValue } from './policy-variables';
import type { ConditionClause } from './trust-policy';

export interface ClauseOutcome {
  readonly clause: ConditionClause;
  readonly satisfied: boolean;
  /** The request's values for the key; undefined when the key is absent. */
  readonly requestValues: readonly string[] | undefined;
}

/** `variables`: whether policy variables are expanded (Version 2012-10-17). */
export function evaluateClause(clause: ConditionClause, context: RequestContext, variables: boolean): ClauseOutcome {
  const requestValues = presentValues(context.get(clause.key));
  return { clause, satisfied: satisfied(clause, requestValues, context, variables), requestValues };
}

function satisfied(clause: ConditionClause, requestValues: readonly string[] | undefined, context: RequestContext, variables: boolean): boolean {
  if (clause.base === 'Null') {
    return clause.values.some((value) => (value.toLowerCase() === 'true' ? requestValues === undefined : value.toLowerCase() === 'false' && requestValues !== undefined));
  }
  const rule = OPERATOR_RULES[clause.base];
  if (requestValues === undefined) {
    if (clause.ifExists) return true;
    if (clause.qualifier === 'ForAllValues') return true;
    if (clause.qualifier === 'ForAnyValue') return false;
    return rule.negated;
  }
  const expand: Expand = (policyValue, wildcards) => expandPolicyValue(policyValue, { variables, wildcards, lookup: (key) => singleValue(context.get(key)) });
  const matchesOne = (requestValue: string): boolean => {
    const anyMatch = clause.values.some((policyValue) => rule.matches(policyValue, requestValue, expand));
    return rule.negated ? !anyMatch : anyMatch;
  };
  if (clause.qualifier === 'ForAllValues') return requestValues.every(matchesOne);
  if (clause.qualifier === 'ForAnyValue') return requestValues.some(matchesOne);
  // A plain operator on a multivalued key: a positive one needs any value to match, a negated one
  // needs none of them to.
  return rule.negated ? requestValues.every(matchesOne) : requestValues.some(matchesOne);
}

function presentValues(value: ContextValue | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  return value.length === 0 ? undefined : value;
}

/** Policy variables take single-valued keys only. */
function singleValue(value: ContextValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** e.g. `StringEquals aws:PrincipalTag/x509Subject/OU in ["devops"] failed: the request has "platform"`. */
export function describeClause(outcome: ClauseOutcome): string {
  const { clause, requestValues } = outcome;
  const has = requestValues === undefined ? 'the request has no such key' : `the request has ${requestValues.map((value) => JSON.stringify(value)).join(', ')}`;
  return `${clause.operator} ${clause.key} ${JSON.stringify(clause.values)} ${outcome.satisfied ? 'held' : 'failed'}: ${has}`;
}
