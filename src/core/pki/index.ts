// Certificates and private keys: reading every form users have, and judging a leaf as Roles Anywhere will.

export { Certificate, parseCertificates, type KeyUsageName, type NameAttribute } from './certificate';
export { describeCertificate } from './describe';
export { describeKey, MAX_RSA_BITS, MIN_RSA_BITS, supportedKind, type KeyKind } from './key-type';
export { loadCredentialFiles, loadCredentials, type CredentialInputs, type Credentials } from './load';
export { hasPemMarkers, splitPem, toPem, type PemBlock } from './pem';
export { isPkcs12, parsePkcs12, type Pkcs12Contents } from './pkcs12';
export { mappedPrincipalTags, principalTags, type AttributeMapping } from './principal-tags';
export {
  parsePrivateKey,
  privateKeyFromPkcs8,
  privateKeyFromPkcs8Pem,
  privateKeyToPkcs8Pem,
  type PrivateKey,
  type PrivateKeyOptions,
} from './private-key';
export { MAX_INPUT_FILE_BYTES, readInputFile } from './read-file';
export { isWeakSignature, type SignatureAlgorithm } from './signature-algorithm';
export {
  assertUsableLeaf,
  daysUntilExpiry,
  EXPIRY_WARNING_DAYS,
  expiresWithin,
  leafProblems,
  MAX_CHAIN_CERTIFICATES,
  type LeafCheck,
} from './validate';
