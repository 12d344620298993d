// Shared steps for sandbox tests that talk HTTP: a sandbox trusting the test PKI, a signed
// CreateSession against it, and the sandbox's own word on why it answered a request as it did.
import { expect } from 'vitest';
import type { IssuedCertificate } from '../../src/sandbox/certificate-factory';
import { EXPLAIN_PATH, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import type { TestPki } from './test-pki';
import { send, signCreateSession, type SentResponse, type X509SignInput } from './test-signer';

export const ANCHOR_ID = '0a0a0a0a-0000-4000-8000-000000000001';
export const OTHER_ANCHOR_ID = '0a0a0a0a-0000-4000-8000-000000000002';
export const PROFILE_ID = '0b0b0b0b-0000-4000-8000-000000000001';
export const NAMED_PROFILE_ID = '0b0b0b0b-0000-4000-8000-000000000002';
export const DEV_ROLE = 'arn:aws:iam::123456789012:role/Dev';
export const OPS_ROLE = 'arn:aws:iam::123456789012:role/ops/Operator';
export const OTHER_ROLE = 'arn:aws:iam::123456789012:role/Elsewhere';

export function startTestSandbox(pki: TestPki, extra: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    trustAnchors: [
      { id: ANCHOR_ID, name: 'tests', caPem: pki.root.pem },
      { id: OTHER_ANCHOR_ID, name: 'intermediate-only', caPem: pki.intermediate.pem },
    ],
    profiles: [
      { id: PROFILE_ID, name: 'dev', roleArns: [DEV_ROLE, OPS_ROLE], durationSeconds: 3600 },
      { id: NAMED_PROFILE_ID, name: 'named', roleArns: [DEV_ROLE], durationSeconds: 1800, acceptRoleSessionName: true },
    ],
    roles: [{ arn: DEV_ROLE, maxSessionDurationSeconds: 43200 }, { arn: OPS_ROLE, maxSessionDurationSeconds: 1200 }, { arn: OTHER_ROLE }],
    ...extra,
  });
}

export function arnsOf(sandbox: Sandbox) {
  const anchor = (id: string) => sandbox.config.trustAnchors.find((a) => a.id === id)?.arn ?? '';
  const profile = (id: string) => sandbox.config.profiles.find((p) => p.id === id)?.arn ?? '';
  return { trustAnchorArn: anchor(ANCHOR_ID), profileArn: profile(PROFILE_ID), namedProfileArn: profile(NAMED_PROFILE_ID), otherAnchorArn: anchor(OTHER_ANCHOR_ID) };
}

export interface SessionCall {
  leaf?: IssuedCertificate;
  params?: Partial<Record<'profileArn' | 'roleArn' | 'trustAnchorArn', string>>;
  body?: string;
  sign?: Partial<X509SignInput>;
}

export function callCreateSession(sandbox: Sandbox, pki: TestPki, call: SessionCall = {}): Promise<SentResponse> {
  const leaf = call.leaf ?? pki.ecLeaf;
  const arns = arnsOf(sandbox);
  const request = signCreateSession({
    host: new URL(sandbox.url).host,
    params: { profileArn: arns.profileArn, roleArn: DEV_ROLE, trustAnchorArn: arns.trustAnchorArn, ...call.params },
    ...(call.body === undefined ? {} : { body: call.body }),
    certificateDer: leaf.der,
    chainDer: [pki.intermediate.der],
    privateKey: leaf.key.privateKey,
    date: new Date(sandbox.now()),
    scopeSerial: leaf.serialDecimal,
    ...call.sign,
  });
  return send(sandbox.url, request);
}

export interface CreateSessionBody {
  credentialSet: Array<{
    assumedRoleUser: { arn: string; assumedRoleId: string };
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
    packedPolicySize: number;
    roleArn: string;
    sourceIdentity: string;
  }>;
  subjectArn: string;
}

export async function issueCredentials(sandbox: Sandbox, pki: TestPki, call: SessionCall = {}) {
  const response = await callCreateSession(sandbox, pki, call);
  if (response.status !== 201) throw new Error(`CreateSession answered ${response.status}: ${response.body}`);
  const set = response.json<CreateSessionBody>().credentialSet[0];
  if (!set) throw new Error('empty credentialSet');
  return set.credentials;
}

export interface SandboxExplanation {
  readonly status: number;
  readonly reason?: string;
  readonly explanation?: string;
}

/** Why the sandbox answered a request as it did, asked as a client asks: GET /__explain/<requestId>. */
export async function explainRequest(sandbox: Sandbox, requestId: string | undefined): Promise<SandboxExplanation> {
  const response = await fetch(`${sandbox.url}${EXPLAIN_PATH}${requestId ?? 'none'}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxExplanation;
}

/** What /__explain says of the last CreateSession the sandbox answered. */
export function explainLastCreateSession(sandbox: Sandbox): Promise<SandboxExplanation> {
  return explainRequest(sandbox, sandbox.requests.entries.filter((entry) => entry.operation === 'CreateSession').at(-1)?.requestId);
}

/** /__explain of a request the sandbox refused, whose reason it must name. */
export async function explainRefusal(sandbox: Sandbox, requestId: string | undefined): Promise<SandboxExplanation & { readonly reason: string }> {
  const explained = await explainRequest(sandbox, requestId);
  if (explained.reason === undefined) throw new Error(`the sandbox named no reason for request ${requestId ?? '(none)'}`);
  return { ...explained, reason: explained.reason };
}
