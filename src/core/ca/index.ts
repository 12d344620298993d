// Rolecall's local CAs: a key in the keychain, a self-signed CA certificate for the trust anchor, and
// client certificates issued from pending requests.
export { DEFAULT_CA_DAYS, DEFAULT_LEAF_DAYS, LocalCaManager } from './manager';
export type { CreateCaInput, IssueCertificateInput, LocalCaManagerOptions } from './manager';
export { CAS_FILE_NAME, CaRecords, caRecordSchema } from './records';
export type { CaRecord } from './records';
export { createCaCertificate, randomSerial } from './ca-certificate';
export { issueFromCsr } from './issue';
export { CertificateRenewal, RENEWAL_CHECK_MS, renewalDueAt } from './renewal';
export type { CertificateRenewalOptions, RenewalSessions } from './renewal';
