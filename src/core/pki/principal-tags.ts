// The aws:PrincipalTag keys a Roles Anywhere session carries, under the profile's default attribute
// mapping: the subject's and issuer's C, CN, O, OU, ST and L (the first value of each, as the service
// keeps), and from the SAN the first DNS name, the first URI and the attributes of the first
// directoryName (x509SAN/Name/CN...). Email and IP SANs are not mapped. Trust policies match these
// keys, so showing them tells a user whether a role will accept the certificate.

import type { Certificate, NameAttribute } from './certificate';

const MAPPED_ATTRIBUTES = ['CN', 'OU', 'O', 'C', 'ST', 'L'] as const;

export function principalTags(certificate: Certificate): Record<string, string> {
  const tags: Record<string, string> = {};
  addName(tags, 'x509Subject', certificate.subjectAttributes);
  addName(tags, 'x509Issuer', certificate.issuerAttributes);
  const [dns] = certificate.subjectAlternativeNames.dns;
  const [uri] = certificate.subjectAlternativeNames.uri;
  if (dns !== undefined) tags['x509SAN/DNS'] = dns;
  if (uri !== undefined) tags['x509SAN/URI'] = uri;
  const [directoryName] = certificate.sanDirectoryNames;
  if (directoryName !== undefined) addName(tags, 'x509SAN/Name', directoryName);
  return tags;
}

function addName(tags: Record<string, string>, prefix: string, attributes: readonly NameAttribute[]): void {
  for (const type of MAPPED_ATTRIBUTES) {
    const first = attributes.find((attribute) => attribute.type === type);
    if (first !== undefined) tags[`${prefix}/${type}`] = first.value;
  }
}
