// The aws:PrincipalTag keys a Roles Anywhere session carries, under the profile's default attribute
// mapping: the subject's and issuer's C, CN, L, O, OU, ST and UID, and from the SAN the first DNS name,
// the first URI and the attributes of the first directoryName (x509SAN/Name/CN...). Email and IP SANs
// are not mapped. An attribute repeated in a name (OU=a, OU=b) becomes one tag whose values are joined
// with "/" in certificate order ("a/b"), as the service joins them; a value STS cannot carry as a
// session tag is left out, as the service leaves it out. Trust policies match these keys, so showing
// them tells a user whether a role will accept the certificate.

import type { Certificate, NameAttribute } from './certificate';

/** Attribute types as the name reader gives them (short name, or dotted OID) → the tag's RDN name. */
const MAPPED_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['CN', 'CN'],
  ['OU', 'OU'],
  ['O', 'O'],
  ['C', 'C'],
  ['ST', 'ST'],
  ['L', 'L'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
]);

const MAX_TAG_VALUE_LENGTH = 256;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function principalTags(certificate: Certificate): Record<string, string> {
  const tags: Record<string, string> = {};
  addName(tags, 'x509Subject', certificate.subjectAttributes);
  addName(tags, 'x509Issuer', certificate.issuerAttributes);
  const [dns] = certificate.subjectAlternativeNames.dns;
  const [uri] = certificate.subjectAlternativeNames.uri;
  if (dns !== undefined) addTag(tags, 'x509SAN/DNS', dns);
  if (uri !== undefined) addTag(tags, 'x509SAN/URI', uri);
  const [directoryName] = certificate.sanDirectoryNames;
  if (directoryName !== undefined) addName(tags, 'x509SAN/Name', directoryName);
  return tags;
}

function addName(tags: Record<string, string>, prefix: string, attributes: readonly NameAttribute[]): void {
  const values = new Map<string, string[]>();
  for (const { type, value } of attributes) {
    const rdn = MAPPED_ATTRIBUTES.get(type);
    if (rdn !== undefined) values.set(rdn, [...(values.get(rdn) ?? []), value]);
  }
  for (const [rdn, list] of values) addTag(tags, `${prefix}/${rdn}`, list.join('/'));
}

function addTag(tags: Record<string, string>, key: string, value: string): void {
  if (value.length <= MAX_TAG_VALUE_LENGTH && TAG_VALUE.test(value)) tags[key] = value;
}

/** A profile's attribute mapping as GetProfile shows it: which fields of the certificate become tags. */
export interface AttributeMapping {
  readonly certificateField: string;
  readonly mappingRules: readonly { readonly specifier: string }[];
}

/**
 * The tags under a profile's own attribute mappings (the default mapping gives `principalTags`):
 * `*` or one RDN per rule for x509Subject and x509Issuer; DNS, URI and Name/* or Name/RDN for x509SAN.
 */
export function mappedPrincipalTags(certificate: Certificate, mappings: readonly AttributeMapping[]): Record<string, string> {
  const all = principalTags(certificate);
  const tags: Record<string, string> = {};
  for (const { certificateField, mappingRules } of mappings) {
    for (const { specifier } of mappingRules) {
      const prefix = certificateField === 'x509SAN' ? (specifier === 'DNS' || specifier === 'URI' ? `x509SAN/${specifier}` : specifier.startsWith('Name/') ? 'x509SAN/Name/' + specifier.slice('Name/'.length) : undefined) : `${certificateField}/${specifier}`;
      if (prefix === undefined) continue;
      for (const [key, value] of Object.entries(all)) {
        const wildcard = prefix.endsWith('/*') && key.startsWith(prefix.slice(0, -1)) && !key.slice(prefix.length - 1).includes('/');
        if ((key === prefix || wildcard) && !(key in tags)) tags[key] = value;
      }
    }
  }
  return tags;
}
