// Keys born in the keychain, their certificate requests, and the certificates issued for them.
// @peculiar/x509 is loaded only when a CSR is made (see x509-library.ts).
export { CertificateManager, forgetKey } from './manager';
export type { CertificateManagerOptions, ImportCertificateInput, NewCertificateInput } from './manager';
export { CERTIFICATES_FILE_NAME, CertificateRecords, certificateRecordSchema } from './records';
export type { CertificateIssuer, CertificateRecord } from './records';
export { DEFAULT_KEY_TYPE, KEY_TYPES, generateKeyOfType, parseKeyType } from './key-types';
export type { GeneratedKey, KeyType } from './key-types';
export { formatSubject, parseSubject, SUBJECT_ATTRIBUTES } from './subject';
export type { SubjectAttribute } from './subject';
export { formatSan, parseSan } from './subject-alternative-names';
export type { SubjectAlternativeName } from './subject-alternative-names';
export { CLIENT_AUTH_OID, createCsr, csrPublicKey, toJsonName } from './csr';
export { publicKeyFingerprint, samePublicKey } from './fingerprint';
export { extendedKeyUsages } from './extended-key-usage';
export { STALE_PENDING_DAYS, toCertificateView } from './view';
export type { CertificateView } from './view';
export { loadX509, signingAlgorithmFor, toCryptoKeyPair } from './x509-library';
