// The sandbox's public face: what the CLI (`rolecall sandbox`, the demo) and tests import.
export { startSandbox, RequestLog } from './server';
export type { Sandbox, SandboxOptions, SandboxSwitches, SandboxOperation, RequestRecord } from './server';
export { startDemoSandbox } from './demo-sandbox';
export type { DemoSandbox, DemoSandboxOptions } from './demo-sandbox';
export { createDemoPki, openDemoPki, DEMO_KEY_KINDS, DEMO_ROLE_ARN, DEMO_TRUST_ANCHOR_ID, DEMO_PROFILE_ID, DEMO_ACCOUNT, DEMO_REGION } from './demo-pki';
export type { DemoPki, DemoLeaf, DemoPkiOptions } from './demo-pki';
export { generateKey, issueCertificate } from './certificate-factory';
export type { KeyKind, GeneratedKey, IssuedCertificate, CertificateSpec } from './certificate-factory';
export { verifyCreateSession, verifyX509Signature } from './verifier';
export type { VerifiedCreateSession, VerifiedSignature } from './verifier';
export { parseCertificatesPem } from './certificate';
export { setTrustAnchorBundle } from './config';
export type { SandboxConfig, TrustAnchorOptions, ProfileOptions, RoleOptions, TrustAnchorState, ProfileState, RoleState } from './config';
export type { IssuedCredentials } from './credentials';
export { ServiceError } from './service-error';
export type { Reason } from './service-error';
