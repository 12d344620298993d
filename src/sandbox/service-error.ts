// An error the emulated service answers with. `code` and `message` are what a client sees on the wire;
// `reason` names the exact check that failed, so tests can tell "failed on validity" from "failed on
// the signature" even where the service's own message is the same for both.

export type Reason =
  // Authorization header and signing layer
  | 'MISSING_AUTHORIZATION'
  | 'MALFORMED_AUTHORIZATION'
  | 'UNSUPPORTED_ALGORITHM'
  | 'MALFORMED_CREDENTIAL_SCOPE'
  | 'WRONG_REGION'
  | 'WRONG_SERVICE'
  | 'MISSING_DATE'
  | 'MALFORMED_DATE'
  | 'SIGNATURE_EXPIRED'
  | 'SIGNATURE_NOT_YET_CURRENT'
  | 'SCOPE_DATE_MISMATCH'
  | 'SIGNED_HEADERS_MALFORMED'
  | 'SIGNED_HEADER_REQUIRED'
  | 'SIGNED_HEADER_ABSENT'
  | 'PAYLOAD_HASH_MISMATCH'
  | 'MALFORMED_QUERY'
  | 'SIGNATURE_MISMATCH'
  // The certificate that signed
  | 'MISSING_CERTIFICATE'
  | 'MALFORMED_CERTIFICATE'
  | 'SERIAL_MISMATCH'
  | 'KEY_ALGORITHM_MISMATCH'
  | 'UNSUPPORTED_KEY'
  | 'CHAIN_TOO_LONG'
  | 'UNTRUSTED_CHAIN'
  | 'LEAF_IS_CA'
  | 'LEAF_KEY_USAGE'
  | 'WEAK_SIGNATURE_HASH'
  | 'NOT_V3'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_REVOKED'
  | 'TRUST_POLICY_DENIED'
  // Issued credentials (SigV4 with an access key)
  | 'UNKNOWN_ACCESS_KEY'
  | 'SESSION_TOKEN_MISMATCH'
  | 'CREDENTIALS_EXPIRED'
  // Resources and parameters
  | 'TRUST_ANCHOR_NOT_FOUND'
  | 'TRUST_ANCHOR_DISABLED'
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_DISABLED'
  | 'ROLE_NOT_FOUND'
  | 'ROLE_NOT_IN_PROFILE'
  | 'SESSION_NAME_NOT_ACCEPTED'
  | 'CRL_NOT_FOUND'
  | 'REQUEST_NOT_FOUND'
  // IAM's control plane
  | 'ENTITY_NOT_FOUND'
  | 'ENTITY_ALREADY_EXISTS'
  | 'DELETE_CONFLICT'
  | 'MALFORMED_POLICY'
  | 'INVALID_PARAMETER'
  | 'UNKNOWN_OPERATION'
  // Switches
  | 'THROTTLED'
  | 'INJECTED_FAILURE';

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: Reason,
    /** The whole story where the wire message is AWS's terse one: for the request log and /__explain only. */
    readonly explanation?: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export function accessDenied(reason: Reason, message: string, explanation?: string): ServiceError {
  return new ServiceError(403, 'AccessDeniedException', message, reason, explanation);
}

export function validationError(message: string): ServiceError {
  return new ServiceError(400, 'ValidationException', message, 'INVALID_PARAMETER');
}

// How a validation message shows the value it refused. A JSON body can carry an object whose
// `toString` is not a function, which String() would throw on (a 500 where AWS answers 400).
export function shownValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function notFound(reason: Reason, message: string): ServiceError {
  return new ServiceError(404, 'ResourceNotFoundException', message, reason);
}
