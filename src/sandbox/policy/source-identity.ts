// The source identity Roles Anywhere sets on a session (user guide, "Source identity rules"): "CN=" and
// the subject's common name when it has at most 61 characters, the bare name at 62 to 64, and
// "ID=" with the hex serial number, left-padded with a zero to an even length, when there is no CN.
import type { ServiceCertificate } from '../certificate';

const PREFIXED_CN_MAX = 61;
const BARE_CN_MAX = 64;
const COMMON_NAME_OID = '2.5.4.3';

export function sourceIdentityOf(certificate: ServiceCertificate): string {
  const [commonName] = certificate.parsed.subjectName.getField(COMMON_NAME_OID);
  if (commonName !== undefined && commonName.length <= PREFIXED_CN_MAX) return `CN=${commonName}`;
  if (commonName !== undefined && commonName.length <= BARE_CN_MAX) return commonName;
  const hex = certificate.serialHex;
  return `ID=${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}
