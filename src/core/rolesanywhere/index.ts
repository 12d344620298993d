export { isValidRegion, parseRoleArn, parseRolesAnywhereArn, type RoleArn, type RolesAnywhereArn, type RolesAnywhereResource } from './arn';
export { isLoopbackHost, resolveEndpoint, type EndpointOptions, type SessionEndpoint } from './endpoint';
export {
  DEFAULT_TIMEOUT_MS,
  MAX_CHAIN_CERTIFICATES,
  prepareCreateSession,
  type CreateSessionRequest,
  type PreparedSessionRequest,
} from './session-request';
export { rolecallUserAgent, sessionRequestFor, signingIdentity, type SessionTarget, type SigningIdentity } from './session-input';
export { credentialsFromResponse, errorFromResponse, type SessionCredentials } from './response';
export { backoffDelay, createSession, MAX_ATTEMPTS, type CreateSessionDeps } from './create-session';
