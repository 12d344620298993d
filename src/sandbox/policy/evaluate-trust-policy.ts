// A trust policy's answer to an authorization request, as IAM decides it: an explicit Deny for any
// needed action wins; otherwise every action must be allowed by some statement whose principal, action
// and every condition match; anything else is an implicit deny. The decision carries the reason in
// words for the sandbox's request log and /__explain, never for the client.
import type { AuthorizationRequest } from './authorization-request';
import { describeClause, evaluateClause, type ClauseOutcome } from './evaluate-condition';
import { statementLabel, type Statement, type TrustPolicy } from './trust-policy';
import { wildcardMatch } from './wildcard';

export type StatementVerdict =
  | { readonly kind: 'applies' }
  | { readonly kind: 'principal-mismatch' }
  | { readonly kind: 'action-mismatch' }
  | { readonly kind: 'condition-failed'; readonly outcome: ClauseOutcome };

export interface StatementRef {
  readonly index: number;
  readonly sid: string | undefined;
}

export interface StatementFinding {
  readonly statement: StatementRef;
  readonly effect: Statement['effect'];
  readonly verdict: StatementVerdict;
}

export type TrustDecision =
  | {
      readonly decision: 'Allow';
      /** For each action, the first statement that allowed it. */
      readonly allowedBy: ReadonlyArray<{ readonly action: string; readonly statement: StatementRef }>;
      readonly reason: string;
    }
  | {
      readonly decision: 'ExplicitDeny';
      readonly action: string;
      readonly statement: StatementRef;
      readonly reason: string;
    }
  | {
      readonly decision: 'ImplicitDeny';
      /** The needed actions no statement allowed. */
      readonly actions: readonly string[];
      /** Why each Allow statement did not allow the first of them. */
      readonly findings: readonly StatementFinding[];
      readonly reason: string;
    };

export function evaluateTrustPolicy(policy: TrustPolicy, request: AuthorizationRequest): TrustDecision {
  const variables = policy.version === '2012-10-17';
  const verdictOf = (statement: Statement, action: string) => statementVerdict(statement, action, request, variables);

  for (const action of request.actions) {
    const deny = policy.statements.find((statement) => statement.effect === 'Deny' && verdictOf(statement, action).kind === 'applies');
    if (deny) {
      return { decision: 'ExplicitDeny', action, statement: refOf(deny), reason: `${action} is explicitly denied by ${statementLabel(deny)}` };
    }
  }

  const allows = policy.statements.filter((statement) => statement.effect === 'Allow');
  const allowedBy: Array<{ action: string; statement: StatementRef }> = [];
  const missing: string[] = [];
  for (const action of request.actions) {
    const allow = allows.find((statement) => verdictOf(statement, action).kind === 'applies');
    if (allow) allowedBy.push({ action, statement: refOf(allow) });
    else missing.push(action);
  }
  const [first] = missing;
  if (first === undefined) {
    const by = [...new Set(allowedBy.map(({ statement }) => statementLabel(statement)))].join(', ');
    return { decision: 'Allow', allowedBy, reason: `${request.actions.join(', ')} allowed by ${by}` };
  }
  const findings = allows.map((statement) => ({ statement: refOf(statement), effect: statement.effect, verdict: verdictOf(statement, first) }));
  return { decision: 'ImplicitDeny', actions: missing, findings, reason: implicitDenyReason(missing, first, findings, request) };
}

export function statementVerdict(statement: Statement, action: string, request: AuthorizationRequest, variables: boolean): StatementVerdict {
  if (!principalMatches(statement, request)) return { kind: 'principal-mismatch' };
  if (!actionMatches(statement, action)) return { kind: 'action-mismatch' };
  for (const clause of statement.conditions) {
    const outcome = evaluateClause(clause, request.context, variables);
    if (!outcome.satisfied) return { kind: 'condition-failed', outcome };
  }
  return { kind: 'applies' };
}

function principalMatches(statement: Statement, request: AuthorizationRequest): boolean {
  if (statement.principal.anyone) return true;
  const { type, id } = request.principal;
  const ids = statement.principal.ids.get(type) ?? [];
  // Service principal names are DNS names, so their case does not matter.
  return type === 'Service' ? ids.some((named) => named.toLowerCase() === id.toLowerCase()) : ids.includes(id);
}

function actionMatches(statement: Statement, action: string): boolean {
  const listed = statement.action.patterns.some((pattern) => wildcardMatch(pattern, action, true));
  return statement.action.negated ? !listed : listed;
}

function refOf(statement: StatementRef): StatementRef {
  return { index: statement.index, sid: statement.sid };
}

function implicitDenyReason(missing: readonly string[], first: string, findings: readonly StatementFinding[], request: AuthorizationRequest): string {
  const head = `no statement allows ${missing.join(', ')}`;
  if (findings.length === 0) return `${head}: the policy has no Allow statement`;
  const why = findings.map(({ statement, verdict }) => `${statementLabel(statement)}: ${verdictText(verdict, first, request)}`);
  return `${head}; for ${first}: ${why.join('; ')}`;
}

function verdictText(verdict: StatementVerdict, action: string, request: AuthorizationRequest): string {
  switch (verdict.kind) {
    case 'principal-mismatch':
      return `its Principal does not name ${request.principal.type} ${request.principal.id}`;
    case 'action-mismatch':
      return `its Action does not cover ${action}`;
    case 'condition-failed':
      return `condition ${describeClause(verdict.outcome)}`;
    case 'applies':
      return 'applies';
  }
}
