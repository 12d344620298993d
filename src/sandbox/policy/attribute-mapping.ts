// A profile's certificate attribute mappings: which certificate fields become principal tags. The
// default is what a new profile gets (Roles Anywhere user guide, "Default mapping behavior", in the
// order GetProfile shows it); Put/DeleteAttributeMapping edit it.

import { shownValue } from '../service-error';

export const CERTIFICATE_FIELDS = ['x509Subject', 'x509Issuer', 'x509SAN'] as const;
export type CertificateField = (typeof CERTIFICATE_FIELDS)[number];

export interface MappingRule {
  readonly specifier: string;
}

export interface AttributeMapping {
  readonly certificateField: CertificateField;
  readonly mappingRules: readonly MappingRule[];
}

export const DEFAULT_ATTRIBUTE_MAPPINGS: readonly AttributeMapping[] = [
  { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
  { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
  { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
];

const MAX_SPECIFIER_LENGTH = 60;

export type MappingInput = { readonly ok: true; readonly mapping: AttributeMapping } | { readonly ok: false; readonly message: string };

/** Checks a PutAttributeMapping body; the message is the ValidationException text the service sends. */
export function readAttributeMapping(body: unknown): MappingInput {
  const { certificateField, mappingRules } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors: string[] = [];
  const field = CERTIFICATE_FIELDS.find((name) => name === certificateField);
  if (certificateField === undefined || certificateField === null) {
    errors.push(`Value null at 'certificateField' failed to satisfy constraint: Member must not be null`);
  } else if (!field) {
    errors.push(`Value '${shownValue(certificateField)}' at 'certificateField' failed to satisfy constraint: Member must satisfy enum value set: [${CERTIFICATE_FIELDS.join(', ')}]`);
  }
  const rules: MappingRule[] = [];
  if (!Array.isArray(mappingRules)) {
    errors.push(`Value null at 'mappingRules' failed to satisfy constraint: Member must not be null`);
  } else {
    mappingRules.forEach((rule: unknown, index) => {
      const specifier = typeof rule === 'object' && rule !== null ? (rule as Record<string, unknown>).specifier : undefined;
      if (typeof specifier !== 'string') {
        errors.push(`Value null at 'mappingRules.${index + 1}.member.specifier' failed to satisfy constraint: Member must not be null`);
      } else if (specifier.length > MAX_SPECIFIER_LENGTH) {
        errors.push(`Value '${specifier}' at 'mappingRules.${index + 1}.member.specifier' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SPECIFIER_LENGTH}`);
      } else {
        rules.push({ specifier });
      }
    });
  }
  if (errors.length > 0 || !field) {
    return { ok: false, message: `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}` };
  }
  return { ok: true, mapping: { certificateField: field, mappingRules: normalisedRules(field, rules) } };
}

/** "Name" and "Name/" mean "Name/*" and are shown so (user guide, "Default mapping behavior"). */
function normalisedRules(field: CertificateField, rules: readonly MappingRule[]): MappingRule[] {
  const specifiers = rules.map(({ specifier }) => (field === 'x509SAN' && (specifier === 'Name' || specifier === 'Name/') ? 'Name/*' : specifier));
  return [...new Set(specifiers)].map((specifier) => ({ specifier }));
}

/** PutAttributeMapping: the field's entry becomes the given rules; other fields keep theirs. */
export function putAttributeMapping(mappings: readonly AttributeMapping[], mapping: AttributeMapping): AttributeMapping[] {
  const kept = mappings.filter((existing) => existing.certificateField !== mapping.certificateField);
  return [...kept, mapping];
}

/** DeleteAttributeMapping: drops the given specifiers of a field, or the whole field when none are given. */
export function deleteAttributeMapping(mappings: readonly AttributeMapping[], field: CertificateField, specifiers?: readonly string[]): AttributeMapping[] {
  return mappings.flatMap((mapping) => {
    if (mapping.certificateField !== field) return [mapping];
    if (specifiers === undefined || specifiers.length === 0) return [];
    const rules = mapping.mappingRules.filter(({ specifier }) => !specifiers.includes(specifier));
    return rules.length > 0 ? [{ certificateField: field, mappingRules: rules }] : [];
  });
}
