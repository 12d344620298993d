// The principal tags Roles Anywhere puts on a session, from the leaf certificate and the profile's
// attribute mappings (user guide, "Trust policy" and "Certificate attribute mapping"):
// - x509Subject/<RDN> and x509Issuer/<RDN> for each supported RDN; several values of one RDN are joined
//   with "/" in certificate order (OU=Security, OU=Engineering → "Security/Engineering");
// - x509SAN/DNS and x509SAN/URI from the first DNS and URI names, x509SAN/Name/<RDN> from the first
//   directoryName; other SAN types are never mapped;
// - a value must fit STS's session-tag rules (characters, 256 long) or the service ignores it.
// The supported RDNs are those the guide names: C, CN, L, O, OU, ST, and UID (MappingRule's reference).
// That makes at most 23 tags of short keys (7 + 7 + DNS + URI + 7), so STS's limits of 50 tags and
// 128-character keys never bind.
import type { ServiceCertificate } from '../certificate';
import { x509 } from '../x509-library';
import { DEFAULT_ATTRIBUTE_MAPPINGS, type AttributeMapping, type CertificateField } from './attribute-mapping';

export interface DroppedTag {
  /** The tag key without `aws:PrincipalTag/`, or the mapping that yielded nothing. */
  readonly key: string;
  readonly reason: string;
}

export interface PrincipalTags {
  /** Keys without `aws:PrincipalTag/` (e.g. `x509Subject/CN`), in mapping order. */
  readonly tags: Readonly<Record<string, string>>;
  /** What a mapping asked for but the session does not carry, and why (for /__explain). */
  readonly dropped: readonly DroppedTag[];
}

const MAX_TAG_VALUE_LENGTH = 256;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Attribute names as @peculiar/x509 prints them (short name, or dotted OID) → the tag's RDN name. */
const SUPPORTED_RDNS: ReadonlyMap<string, string> = new Map([
  ['CN', 'CN'],
  ['OU', 'OU'],
  ['O', 'O'],
  ['C', 'C'],
  ['ST', 'ST'],
  ['L', 'L'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
]);

type NameValues = ReadonlyMap<string, string>;

interface CertificateNames {
  readonly x509Subject: NameValues;
  readonly x509Issuer: NameValues;
  readonly dns: string | undefined;
  readonly uri: string | undefined;
  readonly directoryName: NameValues | undefined;
  readonly sanUnreadable: boolean;
}

export function principalTagsOf(certificate: ServiceCertificate, mappings: readonly AttributeMapping[] = DEFAULT_ATTRIBUTE_MAPPINGS): PrincipalTags {
  const names = certificateNames(certificate);
  const dropped: DroppedTag[] = [];
  if (names.sanUnreadable) dropped.push({ key: 'x509SAN', reason: 'the subjectAltName extension holds a name type the sandbox cannot read' });
  const tags: Record<string, string> = {};
  for (const mapping of mappings) {
    for (const rule of mapping.mappingRules) {
      const found = mapped(mapping.certificateField, rule.specifier, names);
      if (found.length === 0) dropped.push({ key: `${mapping.certificateField}/${rule.specifier}`, reason: 'the certificate has no such attribute, or the specifier is not one Roles Anywhere maps' });
      for (const [key, value] of found) {
        if (key in tags) continue;
        const problem = tagProblem(value);
        if (problem) dropped.push({ key, reason: problem });
        else tags[key] = value;
      }
    }
  }
  return { tags, dropped };
}

function mapped(field: CertificateField, specifier: string, names: CertificateNames): Array<[string, string]> {
  if (field !== 'x509SAN') return fromName(field, names[field], specifier);
  if (specifier === 'DNS') return names.dns === undefined ? [] : [['x509SAN/DNS', names.dns]];
  if (specifier === 'URI') return names.uri === undefined ? [] : [['x509SAN/URI', names.uri]];
  if (specifier.startsWith('Name/') && names.directoryName) return fromName('x509SAN/Name', names.directoryName, specifier.slice('Name/'.length));
  return [];
}

function fromName(prefix: string, name: NameValues, specifier: string): Array<[string, string]> {
  const entries = specifier === '*' ? [...name] : name.has(specifier) ? [[specifier, name.get(specifier) ?? ''] as const] : [];
  return entries.map(([rdn, value]) => [`${prefix}/${rdn}`, value]);
}

function tagProblem(value: string): string | undefined {
  if (value.length > MAX_TAG_VALUE_LENGTH) return `the value is longer than ${MAX_TAG_VALUE_LENGTH} characters`;
  if (!TAG_VALUE.test(value)) return 'the value has characters a session tag cannot hold (letters, digits, spaces and _ . : / = + - @ only)';
  return undefined;
}

function certificateNames(certificate: ServiceCertificate): CertificateNames {
  const { parsed } = certificate;
  let items: readonly x509.GeneralName[] = [];
  let sanUnreadable = false;
  try {
    items = parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  } catch {
    sanUnreadable = true;
  }
  const firstOf = (type: x509.GeneralName['type']) => items.find((item) => item.type === type)?.value;
  const directoryName = firstOf('dn');
  return {
    x509Subject: supportedValues(parsed.subjectName),
    x509Issuer: supportedValues(parsed.issuerName),
    dns: firstOf('dns'),
    uri: firstOf('url'),
    directoryName: directoryName === undefined ? undefined : supportedValues(new x509.Name(directoryName)),
    sanUnreadable,
  };
}

/** Each supported RDN once, in order of first appearance, its values joined with "/". */
function supportedValues(name: x509.Name): NameValues {
  const values = new Map<string, string[]>();
  for (const rdn of name.toJSON()) {
    for (const [type, list] of Object.entries(rdn)) {
      const tag = SUPPORTED_RDNS.get(type);
      if (tag === undefined) continue;
      values.set(tag, [...(values.get(tag) ?? []), ...list]);
    }
  }
  return new Map([...values].map(([tag, list]) => [tag, list.join('/')]));
}
