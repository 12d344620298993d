// The authorization request CreateSession puts to the role's trust policy: Roles Anywhere's service
// principal asks for sts:AssumeRole and sts:TagSession (and sts:SetSourceIdentity when it sets a source
// identity), with the session's principal tags as aws:PrincipalTag/…, the trust anchor as
// aws:SourceArn and its account as aws:SourceAccount (user guide, "Trust policy"), sts:SourceIdentity,
// and the global time keys every request carries. The guide documents no aws:RequestTag/… or
// aws:TagKeys for these sessions, so the sandbox sets none.
import { requestContext, type AuthorizationRequest, type ContextValue } from './authorization-request';

export const ROLES_ANYWHERE_PRINCIPAL = 'rolesanywhere.amazonaws.com';

export interface CreateSessionFacts {
  /** Keys without `aws:PrincipalTag/`, as principalTagsOf gives them. */
  readonly principalTags: Readonly<Record<string, string>>;
  readonly trustAnchorArn: string;
  readonly sourceIdentity?: string;
  /** The sandbox clock, ms since the epoch. */
  readonly now: number;
}

export function createSessionAuthorization(facts: CreateSessionFacts): AuthorizationRequest {
  const entries: Array<[string, ContextValue]> = Object.entries(facts.principalTags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]);
  entries.push(['aws:SourceArn', facts.trustAnchorArn]);
  const account = facts.trustAnchorArn.split(':')[4];
  if (account) entries.push(['aws:SourceAccount', account]);
  if (facts.sourceIdentity !== undefined) entries.push(['sts:SourceIdentity', facts.sourceIdentity]);
  entries.push(['aws:CurrentTime', new Date(facts.now).toISOString().replace(/\.\d{3}Z$/, 'Z')]);
  entries.push(['aws:EpochTime', String(Math.floor(facts.now / 1000))]);
  const actions = ['sts:AssumeRole', 'sts:TagSession'];
  if (facts.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  return { principal: { type: 'Service', id: ROLES_ANYWHERE_PRINCIPAL }, actions, context: requestContext(entries) };
}
