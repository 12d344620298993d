// Verifies a CreateSession request the way IAM Roles Anywhere does, from the raw request alone:
// the SigV4-X509 signature layer first, then the certificate path to a trust anchor.
import { constants, verify } from 'node:crypto';
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
import { parseCertificate, type ServiceCertificate } from './certificate';
import { MAX_CHAIN_CERTIFICATES, verifyCertificatePath } from './certificate-path';
import { accessDenied, validationError } from './service-error';

export const X509_ALGORITHMS = ['AWS4-X509-RSA-SHA256', 'AWS4-X509-ECDSA-SHA256'] as const;
export type X509Algorithm = (typeof X509_ALGORITHMS)[number];

const SERVICE = 'rolesanywhere';
const ALWAYS_SIGNED = ['content-type', 'host', 'x-amz-date', 'x-amz-x509'];
/** Sending one of these unsigned would let anyone on the path change it. */
const SIGNED_WHEN_SENT = ['x-amz-x509-chain', 'x-amz-content-sha256', 'x-amz-security-token'];

export interface SignatureLayerOptions {
  /** The service's clock, ms since the epoch. */
  readonly now: number;
  /** The region this endpoint serves; the credential scope must name it. */
  readonly region: string;
}

export interface VerifiedSignature {
  readonly algorithm: X509Algorithm;
  readonly leaf: ServiceCertificate;
  /** The certificates of X-Amz-X509-Chain, in the order sent. */
  readonly chain: readonly ServiceCertificate[];
  readonly signedHeaders: readonly string[];
  readonly requestTime: number;
  /** The decoded query parameters, in wire order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

export interface CreateSessionVerifyOptions extends SignatureLayerOptions {
  /** The certificates of the trust anchor named in the request. */
  readonly trustAnchors: readonly ServiceCertificate[];
}

export interface VerifiedCreateSession extends VerifiedSignature {
  /** Leaf first, trust anchor certificate last. */
  readonly path: readonly ServiceCertificate[];
}

/** Both layers, signature first: what the service does before it looks at the parameters. */
export function verifyCreateSession(request: RawRequest, options: CreateSessionVerifyOptions): VerifiedCreateSession {
  const signature = verifyX509Signature(request, options);
  const path = verifyCertificatePath(signature.leaf, signature.chain, options.trustAnchors, options.now);
  return { ...signature, path };
}

/** The signing layer: Authorization, date, signed headers, certificate headers, payload, signature. */
export function verifyX509Signature(request: RawRequest, options: SignatureLayerOptions): VerifiedSignature {
  const authorizationValue = headerValue(request.headers, 'authorization');
  if (authorizationValue === undefined) throw accessDenied('MISSING_AUTHORIZATION', 'Authorization header is missing');
  const authorization = parseAuthorization(authorizationValue);
  if (!authorization) {
    throw accessDenied('MALFORMED_AUTHORIZATION', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters");
  }
  const algorithm = X509_ALGORITHMS.find((name) => name === authorization.algorithm);
  if (!algorithm) throw accessDenied('UNSUPPORTED_ALGORITHM', `Unsupported signing algorithm: ${authorization.algorithm}`);

  const scope = parseScope(authorization.credential, options.region);

  const signedNames = authorization.signedHeaders;
  if (!signedHeadersAreCanonical(signedNames)) {
    throw accessDenied('SIGNED_HEADERS_MALFORMED', 'SignedHeaders must be lowercase header names, sorted, without repeats');
  }
  for (const name of ALWAYS_SIGNED) {
    if (!signedNames.includes(name)) throw accessDenied('SIGNED_HEADER_REQUIRED', `Header '${name}' must be signed`);
  }
  for (const name of SIGNED_WHEN_SENT) {
    if (headerValue(request.headers, name) !== undefined && !signedNames.includes(name)) {
      throw accessDenied('SIGNED_HEADER_REQUIRED', `Header '${name}' is present and must be signed`);
    }
  }

  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (amzDate === undefined) throw accessDenied('MISSING_DATE', 'X-Amz-Date header is missing');
  const requestTime = parseAmzDate(amzDate);
  if (requestTime === undefined) throw accessDenied('MALFORMED_DATE', `X-Amz-Date is not in the form YYYYMMDDTHHMMSSZ: ${amzDate}`);
  const skew = skewProblem(amzDate, requestTime, options.now);
  if (skew) throw accessDenied(skew.reason, skew.message);
  if (scope.date !== amzDate.slice(0, 8)) {
    throw accessDenied('SCOPE_DATE_MISMATCH', `Credential scope date ${scope.date} does not match X-Amz-Date ${amzDate}`);
  }

  const leaf = leafCertificate(request);
  const chain = chainCertificates(request);
  if (scope.serial !== leaf.serialDecimal) {
    throw accessDenied('SERIAL_MISMATCH', `Credential serial number ${scope.serial} does not match the certificate in X-Amz-X509`);
  }
  const keyType = leaf.node.publicKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') {
    throw accessDenied('UNSUPPORTED_KEY', `Signing certificate key type ${keyType ?? 'unknown'} is not supported; use RSA or EC`);
  }
  if ((keyType === 'rsa') !== (algorithm === 'AWS4-X509-RSA-SHA256')) {
    throw accessDenied('KEY_ALGORITHM_MISMATCH', `Signing algorithm ${algorithm} does not match the certificate's ${keyType.toUpperCase()} key`);
  }

  const payloadHash = sha256Hex(request.body);
  const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    throw accessDenied('PAYLOAD_HASH_MISMATCH', 'The provided x-amz-content-sha256 header does not match what was computed');
  }

  const query = parseQuery(request.query);
  if (!query) throw validationError('The query string is not valid percent-encoding');
  const headers = canonicalHeaders(request.headers, signedNames);
  if ('missing' in headers) throw accessDenied('SIGNED_HEADER_ABSENT', `Signed header '${headers.missing}' is not in the request`);

  const canonical = canonicalRequest({
    method: request.method,
    path: request.path,
    query: canonicalQuery(query),
    headerBlock: headers.block,
    signedNames,
    payloadHash,
  });
  const stringToSign = [algorithm, amzDate, scope.text, sha256Hex(canonical)].join('\n');
  if (!signatureMatches(stringToSign, authorization.signature, leaf, keyType)) {
    throw accessDenied('SIGNATURE_MISMATCH', 'Invalid signature');
  }
  return { algorithm, leaf, chain, signedHeaders: signedNames, requestTime, query, canonicalRequest: canonical, stringToSign };
}

function parseScope(credential: string, region: string): { serial: string; date: string; text: string } {
  const parts = credential.split('/');
  const [serial, date, scopeRegion, service, terminal] = parts;
  if (parts.length !== 5 || !serial || !date || !scopeRegion || !/^(0|[1-9][0-9]*)$/.test(serial) || !/^\d{8}$/.test(date) || terminal !== 'aws4_request') {
    throw accessDenied('MALFORMED_CREDENTIAL_SCOPE', 'Credential must have the form SERIAL/YYYYMMDD/REGION/rolesanywhere/aws4_request, SERIAL in decimal');
  }
  if (service !== SERVICE) throw accessDenied('WRONG_SERVICE', `Credential should be scoped to correct service: '${SERVICE}'`);
  if (scopeRegion !== region) throw accessDenied('WRONG_REGION', `Credential should be scoped to a valid region, not '${scopeRegion}' (this endpoint serves '${region}')`);
  return { serial, date, text: parts.slice(1).join('/') };
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Standard padded base64, no whitespace, and the canonical encoding of what it decodes to. */
function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !STRICT_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function leafCertificate(request: RawRequest): ServiceCertificate {
  const value = headerValue(request.headers, 'x-amz-x509');
  if (value === undefined) throw accessDenied('MISSING_CERTIFICATE', 'X-Amz-X509 header is missing');
  const der = decodeStrictBase64(value);
  const leaf = der && parseCertificate(der);
  if (!leaf) throw accessDenied('MALFORMED_CERTIFICATE', 'X-Amz-X509 must be the base64 (standard, padded) DER of one X.509 certificate');
  return leaf;
}

function chainCertificates(request: RawRequest): ServiceCertificate[] {
  const value = headerValue(request.headers, 'x-amz-x509-chain');
  if (value === undefined) return [];
  const parts = value.split(',');
  if (parts.length > MAX_CHAIN_CERTIFICATES) {
    throw accessDenied('CHAIN_TOO_LONG', `Certificate chain is too long: ${parts.length} certificates sent, at most ${MAX_CHAIN_CERTIFICATES} are accepted`);
  }
  return parts.map((part, index) => {
    const der = decodeStrictBase64(part);
    const cert = der && parseCertificate(der);
    if (!cert) {
      throw accessDenied('MALFORMED_CERTIFICATE', `X-Amz-X509-Chain entry ${index + 1} is not base64 (standard, padded) DER of an X.509 certificate; separate entries with ',' only`);
    }
    return cert;
  });
}

function signatureMatches(stringToSign: string, signatureHex: string, leaf: ServiceCertificate, keyType: 'rsa' | 'ec'): boolean {
  if (!/^(?:[0-9a-f]{2})+$/.test(signatureHex)) return false;
  const signature = Buffer.from(signatureHex, 'hex');
  const data = Buffer.from(stringToSign, 'utf8');
  try {
    return keyType === 'rsa'
      ? verify('sha256', data, { key: leaf.node.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)
      : verify('sha256', data, { key: leaf.node.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
