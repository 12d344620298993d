export { percentEncode } from './percent-encode';
export {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  credentialScope,
  formatAmzDate,
  hashedPayload,
  SERVICE_NAME,
  sha256Hex,
  signedHeaderList,
  stringToSign,
  type CanonicalRequestInput,
} from './canonical';
export { keyObjectSigner, type Signer, type SigningAlgorithm } from './signer';
export { signRequest, type SignedRequest, type SignRequestInput } from './sign-request';
export { createSessionHeaders, type SessionHeadersInput } from './session-headers';
export { selfTestMessage } from './self-test';
