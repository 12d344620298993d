// Standard SigV4 (AWS4-HMAC-SHA256) for requests made with credentials the sandbox issued or its admin
// key: STS, IAM and the Roles Anywhere control plane. Each protocol words the same failure differently,
// hence the dialects.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  headerValue,
  parseAmzDate,
  parseAuthorization,
  parseQuery,
  sha256Hex,
  signedHeadersAreCanonical,
  skewProblem,
  type RawRequest,
} from './canonical';
import type { IssuedCredentials } from './credentials';
import { ServiceError, type Reason } from './service-error';

/** `sts`: the query-protocol codes STS and IAM share; `rest-json`: the codes of REST/JSON services such as Roles Anywhere. */
export type AuthDialect = 'sts' | 'rest-json';

export interface HmacVerifyOptions {
  readonly now: number;
  readonly service: string;
  /** When set, the credential scope must name this region; STS accepts any. */
  readonly region?: string;
  readonly lookup: (accessKeyId: string) => IssuedCredentials | undefined;
  readonly dialect: AuthDialect;
}

const SIGNATURE_MISMATCH_TEXT =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

type Family = 'missing' | 'incomplete' | 'signature' | 'token' | 'expired';

const CODES: Record<AuthDialect, Record<Family, readonly [number, string]>> = {
  sts: {
    missing: [403, 'MissingAuthenticationToken'],
    incomplete: [400, 'IncompleteSignature'],
    signature: [403, 'SignatureDoesNotMatch'],
    token: [403, 'InvalidClientTokenId'],
    expired: [400, 'ExpiredToken'],
  },
  'rest-json': {
    missing: [403, 'MissingAuthenticationTokenException'],
    incomplete: [400, 'IncompleteSignatureException'],
    signature: [403, 'InvalidSignatureException'],
    token: [403, 'UnrecognizedClientException'],
    expired: [403, 'ExpiredTokenException'],
  },
};

function fail(dialect: AuthDialect, family: Family, reason: Reason, message: string): ServiceError {
  const [status, code] = CODES[dialect][family];
  return new ServiceError(status, code, message, reason);
}

/** Returns the credentials that signed the request, or throws the dialect's error. */
export function verifyHmacSigV4(request: RawRequest, options: HmacVerifyOptions): IssuedCredentials {
  const { dialect } = options;
  const authorizationValue = headerValue(request.headers, 'authorization');
  if (authorizationValue === undefined) {
    throw fail(dialect, 'missing', 'MISSING_AUTHORIZATION', dialect === 'sts' ? 'Request is missing Authentication Token' : 'Missing Authentication Token');
  }
  const authorization = parseAuthorization(authorizationValue);
  if (!authorization) {
    throw fail(dialect, 'incomplete', 'MALFORMED_AUTHORIZATION', "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
  }
  if (authorization.algorithm !== 'AWS4-HMAC-SHA256') {
    throw fail(dialect, 'incomplete', 'UNSUPPORTED_ALGORITHM', `Unsupported AWS 'algorithm': '${authorization.algorithm}'`);
  }
  const parts = authorization.credential.split('/');
  const [accessKeyId, date, region, service, terminal] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !/^\d{8}$/.test(date) || !region || terminal !== 'aws4_request') {
    throw fail(dialect, 'incomplete', 'MALFORMED_CREDENTIAL_SCOPE', 'Credential must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.');
  }
  if (service !== options.service) {
    throw fail(dialect, 'signature', 'WRONG_SERVICE', `Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (options.region !== undefined && region !== options.region) {
    throw fail(dialect, 'signature', 'WRONG_REGION', `Credential should be scoped to a valid region, not '${region}'.`);
  }
  const signedNames = authorization.signedHeaders;
  if (!signedHeadersAreCanonical(signedNames)) {
    throw fail(dialect, 'incomplete', 'SIGNED_HEADERS_MALFORMED', 'SignedHeaders must be lowercase header names, sorted, without repeats.');
  }
  for (const name of ['host', 'x-amz-date']) {
    if (!signedNames.includes(name)) throw fail(dialect, 'signature', 'SIGNED_HEADER_REQUIRED', `'${name}' must be a signed header.`);
  }
  const sessionToken = headerValue(request.headers, 'x-amz-security-token');
  if (sessionToken !== undefined && !signedNames.includes('x-amz-security-token')) {
    throw fail(dialect, 'signature', 'SIGNED_HEADER_REQUIRED', "'x-amz-security-token' is present and must be a signed header.");
  }

  const amzDate = headerValue(request.headers, 'x-amz-date');
  const requestTime = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || requestTime === undefined) {
    throw fail(dialect, 'incomplete', amzDate === undefined ? 'MISSING_DATE' : 'MALFORMED_DATE', 'X-Amz-Date must be present in the form YYYYMMDDTHHMMSSZ.');
  }
  const skew = skewProblem(amzDate, requestTime, options.now);
  if (skew) throw fail(dialect, 'signature', skew.reason, skew.message);
  if (amzDate.slice(0, 8) !== date) {
    throw fail(dialect, 'signature', 'SCOPE_DATE_MISMATCH', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'`);
  }

  const credentials = options.lookup(accessKeyId);
  if (!credentials) throw fail(dialect, 'token', 'UNKNOWN_ACCESS_KEY', 'The security token included in the request is invalid.');

  const bodyHash = sha256Hex(request.body);
  const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== bodyHash && declaredHash !== 'UNSIGNED-PAYLOAD') {
    throw fail(dialect, 'signature', 'PAYLOAD_HASH_MISMATCH', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const query = parseQuery(request.query);
  if (!query) throw fail(dialect, 'signature', 'MALFORMED_QUERY', 'The query string is not valid percent-encoding.');
  const headers = canonicalHeaders(request.headers, signedNames);
  if ('missing' in headers) throw fail(dialect, 'signature', 'SIGNED_HEADER_ABSENT', `Signed header '${headers.missing}' is not in the request.`);
  const canonical = canonicalRequest({
    method: request.method,
    path: request.path,
    query: canonicalQuery(query),
    headerBlock: headers.block,
    signedNames,
    payloadHash: declaredHash ?? bodyHash,
  });
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const expected = Buffer.from(hmacSignature(credentials.secretAccessKey, date, region, service, stringToSign), 'hex');
  const given = /^[0-9a-f]{64}$/.test(authorization.signature) ? Buffer.from(authorization.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw fail(dialect, 'signature', 'SIGNATURE_MISMATCH', SIGNATURE_MISMATCH_TEXT);
  }

  if (sessionToken !== (credentials.longTerm ? undefined : credentials.sessionToken)) {
    throw fail(dialect, 'token', 'SESSION_TOKEN_MISMATCH', 'The security token included in the request is invalid.');
  }
  if (options.now >= credentials.expiresAt) {
    throw fail(dialect, 'expired', 'CREDENTIALS_EXPIRED', 'The security token included in the request is expired');
  }
  return credentials;
}

/**
 * The service named in the Authorization header's credential scope, without checking anything else:
 * STS and IAM share `POST /`, and only the scope says which one a request is for.
 */
export function signedServiceOf(request: RawRequest): string | undefined {
  const value = headerValue(request.headers, 'authorization');
  const credential = value === undefined ? undefined : parseAuthorization(value)?.credential;
  return credential?.split('/')[3];
}

function hmacSignature(secret: string, date: string, region: string, service: string, stringToSign: string): string {
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}
