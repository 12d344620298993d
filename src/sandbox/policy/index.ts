// The sandbox's IAM side: trust policies as IAM parses and evaluates them, and the principal tags and
// source identity a Roles Anywhere session carries. Pure functions; the server wires them in.
export { parseTrustPolicy, DEFAULT_TRUST_POLICY_SIZE_QUOTA, type ParsedTrustPolicy, type PolicyRefusal, type TrustPolicyLimits } from './parse-trust-policy';
export { evaluateTrustPolicy, type StatementFinding, type StatementRef, type TrustDecision } from './evaluate-trust-policy';
export { createSessionAuthorization, ROLES_ANYWHERE_PRINCIPAL, type CreateSessionFacts } from './create-session-request';
export { requestContext, type AuthorizationRequest, type ContextValue, type RequestContext } from './authorization-request';
export {
  CERTIFICATE_FIELDS,
  DEFAULT_ATTRIBUTE_MAPPINGS,
  deleteAttributeMapping,
  putAttributeMapping,
  readAttributeMapping,
  type AttributeMapping,
  type CertificateField,
  type MappingInput,
  type MappingRule,
} from './attribute-mapping';
export { principalTagsOf, type DroppedTag, type PrincipalTags } from './principal-tags';
export { sourceIdentityOf } from './source-identity';
export type { TrustPolicy, Statement, ConditionClause } from './trust-policy';
