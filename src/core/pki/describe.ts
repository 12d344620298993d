// The serialisable view of a certificate that the UI, `rolecall inspect` and the agent socket show.

import type { CertificateSummary } from '../../shared/model';
import type { Certificate } from './certificate';
import { principalTags } from './principal-tags';

export function describeCertificate(certificate: Certificate): CertificateSummary {
  const summary: CertificateSummary = {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialHex: certificate.serialHex,
    serialDecimal: certificate.serialDecimal,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    keyAlgorithm: certificate.keyAlgorithm,
    signatureAlgorithm: certificate.signatureAlgorithm.name,
    fingerprintSha256: certificate.fingerprintSha256,
    isCa: certificate.isCa,
    subjectAlternativeNames: certificate.subjectAlternativeNames,
    principalTags: principalTags(certificate),
  };
  return certificate.keyUsage === undefined ? summary : { ...summary, keyUsage: [...certificate.keyUsage] };
}
