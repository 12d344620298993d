// Handing sessions to terminals and long-running tools: export scripts per shell, exec with a session
// in the environment, and the local credentials endpoint (container credentials, optional IMDSv2).
export { assertRepresentable, quoteCmdAssignment, quoteFish, quotePosix, quotePowerShell } from './shell-quote';
export type { EndpointAddress, EnvVars } from './env-script';
export { CREDENTIAL_SOURCE_VARIABLES, endpointEnvVars, envVars, exportsFor, renderEnv, renderEnvScript } from './env-script';
export type { ShellContext } from './detect-shell';
export { detectShell } from './detect-shell';
export type { ExecOptions, ForwardedSignal, SignalSource } from './exec';
export { childEnv, execWithCredentials, FORWARDED_SIGNALS } from './exec';
export type { CredentialsProvider, ProvidedCredentials } from './served-credentials';
export { DEFAULT_MIN_VALIDITY_SECONDS } from './served-credentials';
export type { CredentialsEndpoint, CredentialsEndpointOptions, ImdsRequest } from './credentials-endpoint';
export { startCredentialsEndpoint } from './credentials-endpoint';
export { IMDS_DEFAULT_PORT, MAX_TOKEN_TTL_SECONDS } from './imds';
