// Reads CreateSession's answer: credentials on success, a RolecallError with a code the user can
// act on otherwise. Error texts carry the service's own code and message (never secrets); a
// success body is never quoted because it holds the secret key.

import { z } from 'zod';
import { RolecallError, type ErrorCode } from '../../shared/errors';
import type { HttpResponse } from '../platform/transport';

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** As the service returned it (ISO 8601, e.g. `2026-11-21T23:50:00Z`). */
  readonly expiration: string;
  readonly roleArn: string;
  readonly assumedRoleArn?: string;
  readonly sourceIdentity?: string;
  readonly subjectArn?: string;
}

const MAX_DETAIL_LENGTH = 500;

const SuccessBody = z.object({
  credentialSet: z.array(z.unknown()).optional(),
  subjectArn: z.string().optional(),
});

const CredentialSetEntry = z.object({
  assumedRoleUser: z.object({ arn: z.string().optional() }).optional(),
  credentials: z.object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().min(1),
    expiration: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  }),
  roleArn: z.string().optional(),
  sourceIdentity: z.string().optional(),
});

const ErrorBody = z.object({
  code: z.string().optional(),
  __type: z.string().optional(),
  message: z.string().optional(),
  Message: z.string().optional(),
});

export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Credentials from a 2xx answer; `requestedRoleArn` fills in when the service omits roleArn. */
export function credentialsFromResponse(response: HttpResponse, requestedRoleArn: string): SessionCredentials {
  const body = SuccessBody.safeParse(parseJson(response.body));
  if (!body.success) throw new RolecallError('SERVICE_ERROR', `HTTP ${response.status}: the answer is not CreateSession JSON`);
  const first = body.data.credentialSet?.[0];
  if (first === undefined) throw new RolecallError('EMPTY_CREDENTIALS');
  const entry = CredentialSetEntry.safeParse(first);
  if (!entry.success) throw new RolecallError('SERVICE_ERROR', `HTTP ${response.status}: the credentials in the answer are incomplete`);
  const { credentials, assumedRoleUser, roleArn, sourceIdentity } = entry.data;
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
    roleArn: roleArn ?? requestedRoleArn,
    ...(assumedRoleUser?.arn === undefined ? {} : { assumedRoleArn: assumedRoleUser.arn }),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    ...(body.data.subjectArn === undefined ? {} : { subjectArn: body.data.subjectArn }),
  };
}

/** The error a non-2xx answer means. */
export function errorFromResponse(response: HttpResponse): RolecallError {
  const parsed = ErrorBody.safeParse(parseJson(response.body));
  const json = parsed.success ? parsed.data : {};
  const code = serviceErrorCode(response.headers['x-amzn-errortype'] ?? json.code ?? json.__type);
  const message = json.message ?? json.Message;
  const detail = [`HTTP ${response.status}`, code, message].filter(Boolean).join(' ').slice(0, MAX_DETAIL_LENGTH);
  return new RolecallError(classify(response.status, code, message ?? ''), detail);
}

function classify(status: number, code: string | undefined, message: string): ErrorCode {
  if (status === 429 || code === 'ThrottlingException' || code === 'TooManyRequestsException') return 'THROTTLED';
  if (status >= 500) return 'SERVICE_UNAVAILABLE';
  if (status === 403 || code === 'AccessDeniedException') {
    if (/untrusted signing certificate/i.test(message)) return 'UNTRUSTED_CERTIFICATE';
    if (/role ?session ?name/i.test(message)) return 'SESSION_NAME_NOT_ACCEPTED';
    if (/signature/i.test(message)) return 'INVALID_SIGNATURE';
    return 'ACCESS_DENIED';
  }
  if (status === 404 || code === 'ResourceNotFoundException') return 'NOT_FOUND';
  if (code === 'ValidationException') return 'VALIDATION';
  return 'SERVICE_ERROR';
}

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
