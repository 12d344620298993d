// What `certificate list|show` and the window show of a request: public material only.
import { parseCertificates } from '../pki/certificate';
import { csrPublicKey } from './csr';
import { publicKeyFingerprint } from './fingerprint';
import type { CertificateRequestView } from '../../shared/model';
import type { CertificateRecord } from './records';

/** A pending key older than this is flagged: it is either forgotten or waiting on someone. */
export const STALE_PENDING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The shape every client sees (shared/model.ts). */
export type CertificateView = CertificateRequestView;

export function toCertificateView(record: CertificateRecord, now: number): CertificateView {
  const ageDays = Math.max(0, Math.floor((now - Date.parse(record.createdAt)) / DAY_MS));
  const [leaf] = record.certificatePem === undefined ? [] : parseCertificates(record.certificatePem);
  return {
    name: record.name,
    state: record.state,
    keyType: record.keyType,
    subject: record.subject,
    sans: record.sans,
    keyStorage: record.key.kind,
    ...(record.key.kind === 'file' && { keyPath: record.key.path }),
    publicKeySha256: publicKeyFingerprint(csrPublicKey(record.csrPem)),
    createdAt: record.createdAt,
    ageDays,
    stale: record.state === 'pending' && ageDays > STALE_PENDING_DAYS,
    ...(record.issuedBy && { issuedBy: record.issuedBy }),
    ...(record.issuedAt !== undefined && { issuedAt: record.issuedAt }),
    ...(leaf && {
      certificate: {
        issuer: leaf.issuer,
        serialHex: leaf.serialHex,
        notBefore: leaf.notBefore.toISOString(),
        notAfter: leaf.notAfter.toISOString(),
        fingerprintSha256: leaf.fingerprintSha256,
        chainLength: record.chainPem?.length ?? 0,
      },
    }),
    csrPem: record.csrPem,
  };
}
