// Reads CreateSession's answer: credentials on success, a RolecallError with a code the user can
// act on otherwise. Error texts carry the service's own code and message (never secrets); a
// success body is never quoted because it holds the secret key.

import { RolecallError, type ErrorCode } from '../../shared/errors';
import type { HttpResponse } from '../platform/transport';

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** As the service returned it (ISO 8601, e.g. `2026-11-21T23:50:00Z`). */
  readonly expiration: string;
  /** The service's clock when it answered (its Date header, ISO 8601), when it sent one. */
  readonly issuedAt?: string;
  readonly roleArn: string;
  readonly assumedRoleArn?: string;
  readonly sourceIdentity?: string;
  readonly subjectArn?: string;
}

const MAX_DETAIL_LENGTH = 500;

// Hand-written readers rather than zod: this runs in every drop-in `credential-process`, where start-up
// time is what SDK users wait for.
type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function filled(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Credentials from a 2xx answer; `requestedRoleArn` fills in when the service omits roleArn. */
export function credentialsFromResponse(response: HttpResponse, requestedRoleArn: string): SessionCredentials {
  const body = object(parseJson(response.body));
  const credentialSet = body?.credentialSet;
  if (!body || (credentialSet !== undefined && !Array.isArray(credentialSet))) {
    throw new RolecallError('SERVICE_ERROR', `HTTP ${response.status}: the answer is not CreateSession JSON`);
  }
  const first: unknown = credentialSet?.[0];
  if (first === undefined) throw new RolecallError('EMPTY_CREDENTIALS');
  const entry = object(first);
  const credentials = object(entry?.credentials);
  const accessKeyId = filled(credentials?.accessKeyId);
  const secretAccessKey = filled(credentials?.secretAccessKey);
  const sessionToken = filled(credentials?.sessionToken);
  const expiration = filled(credentials?.expiration);
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration || Number.isNaN(Date.parse(expiration))) {
    throw new RolecallError('SERVICE_ERROR', `HTTP ${response.status}: the credentials in the answer are incomplete`);
  }
  const assumedRoleArn = text(object(entry?.assumedRoleUser)?.arn);
  const sourceIdentity = text(entry?.sourceIdentity);
  const subjectArn = text(body.subjectArn);
  const date = Date.parse(response.headers.date ?? '');
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration,
    ...(Number.isNaN(date) ? {} : { issuedAt: new Date(date).toISOString() }),
    roleArn: text(entry?.roleArn) ?? requestedRoleArn,
    ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    ...(subjectArn === undefined ? {} : { subjectArn }),
  };
}

/** The error a non-2xx answer means. */
export function errorFromResponse(response: HttpResponse): RolecallError {
  const json = object(parseJson(response.body)) ?? {};
  const code = serviceErrorCode(response.headers['x-amzn-errortype'] ?? text(json.code) ?? text(json.__type));
  const message = text(json.message) ?? text(json.Message);
  const detail = [`HTTP ${response.status}`, code, message].filter(Boolean).join(' ').slice(0, MAX_DETAIL_LENGTH);
  return new RolecallError(classify(response.status, code, message ?? ''), detail);
}

function classify(status: number, code: string | undefined, message: string): ErrorCode {
  if (status === 429 || code === 'ThrottlingException' || code === 'TooManyRequestsException') return 'THROTTLED';
  if (status >= 500) return 'SERVICE_UNAVAILABLE';
  // ARNs name roles and profiles freely ("role/NotInTheProfile", "role/RevokedAccess"): only the words around them tell the cause.
  const words = message.replace(/arn:\S+/g, 'ARN');
  if (status === 403 || code === 'AccessDeniedException') return FORBIDDEN_CAUSES.find(([pattern]) => pattern.test(words))?.[1] ?? 'ACCESS_DENIED';
  if (status === 404 || code === 'ResourceNotFoundException') return NOT_FOUND_CAUSES.find(([pattern]) => pattern.test(words))?.[1] ?? 'NOT_FOUND';
  if (code === 'ValidationException') return 'VALIDATION';
  return 'SERVICE_ERROR';
}

// A 403's message names its cause; the bare "access denied" of a trust policy refusal says nothing, so
// every known cause is matched first and only what is left reads as ACCESS_DENIED. Order matters where
// messages overlap: "Signature expired" is the clock, "Invalid signature" the key.
const FORBIDDEN_CAUSES: ReadonlyArray<readonly [RegExp, ErrorCode]> = [
  [/untrusted signing certificate/i, 'UNTRUSTED_CERTIFICATE'],
  [/roleSessionName|role ?session ?name/i, 'SESSION_NAME_NOT_ACCEPTED'],
  [/signature (expired|not yet current)|request (time|has expired)|clock skew/i, 'CLOCK_SKEW'],
  [/scoped to a valid region|signing region/i, 'SIGNING_REGION_MISMATCH'],
  [/certificate.*(has expired|expired)/i, 'CERT_EXPIRED'],
  [/not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/revoked/i, 'CERT_REVOKED'],
  [/keyUsage|key usage/i, 'CERT_KEY_USAGE'],
  [/end-entity|not a CA|CA certificate/i, 'CERT_IS_CA'],
  [/SHA-256 or stronger/i, 'CERT_WEAK_SIGNATURE'],
  [/version 3/i, 'CERT_NOT_V3'],
  [/chain is too long/i, 'CHAIN_TOO_LONG'],
  [/trust anchor is disabled/i, 'TRUST_ANCHOR_DISABLED'],
  [/profile is disabled/i, 'RA_PROFILE_DISABLED'],
  [/signature/i, 'INVALID_SIGNATURE'],
];

const NOT_FOUND_CAUSES: ReadonlyArray<readonly [RegExp, ErrorCode]> = [
  [/is not in profile|not (in|part of) the profile/i, 'ROLE_NOT_IN_PROFILE'],
  [/trust anchor/i, 'TRUST_ANCHOR_MISSING'],
  [/profile/i, 'RA_PROFILE_MISSING'],
  [/role/i, 'ROLE_MISSING'],
];

// `x-amzn-ErrorType` may carry `Code:http://…`; a JSON `__type` may be `namespace#Code`.
function serviceErrorCode(raw: string | undefined): string | undefined {
  const code = raw?.split(':')[0]?.split('#').pop()?.trim();
  return code || undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
