// Small typed helpers over node-forge's ASN.1 codec. node-forge works on "binary strings" (one char
// per byte); these helpers keep that detail here and give the rest of pki Buffers and plain values.

import forge from 'node-forge';

export type Asn1 = forge.asn1.Asn1;

const { Class, Type } = forge.asn1;
export { Class as Asn1Class, Type as Asn1Type };

type FromDer = (bytes: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Asn1;

/** Parses one DER (or BER) element filling all of `bytes`; undefined when it is not that. */
export function parseDer(bytes: Buffer): Asn1 | undefined {
  if (bytes.length === 0) return undefined;
  try {
    // Strict lengths, so a file cut short is reported as damaged rather than read in part; BER's
    // indefinite lengths and chunked strings (old Windows exports) still parse. Bit strings stay
    // opaque so their bytes are never reinterpreted.
    return (forge.asn1.fromDer as unknown as FromDer)(bytes.toString('binary'), {
      strict: true,
      parseAllBytes: true,
      decodeBitStrings: false,
    });
  } catch {
    return undefined;
  }
}

export function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function isUniversal(node: Asn1 | undefined, type: forge.asn1.Type): node is Asn1 {
  return node !== undefined && node.tagClass === Class.UNIVERSAL && node.type === type;
}

/** The children of a constructed element, or [] for anything else. */
export function children(node: Asn1 | undefined): Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}

/** Primitive content bytes, or undefined for a constructed element. */
export function contentBytes(node: Asn1 | undefined): string | undefined {
  return node !== undefined && typeof node.value === 'string' ? node.value : undefined;
}

export function sequenceChildren(node: Asn1 | undefined): Asn1[] | undefined {
  return isUniversal(node, Type.SEQUENCE) ? children(node) : undefined;
}

export function oidValue(node: Asn1 | undefined): string | undefined {
  if (!isUniversal(node, Type.OID)) return undefined;
  const bytes = contentBytes(node);
  if (bytes === undefined) return undefined;
  try {
    return forge.asn1.derToOid(bytes);
  } catch {
    return undefined;
  }
}

/** A small non-negative INTEGER (a version field); undefined when absent or not an integer. */
export function smallInteger(node: Asn1 | undefined): number | undefined {
  const bytes = isUniversal(node, Type.INTEGER) ? contentBytes(node) : undefined;
  if (bytes === undefined || bytes.length === 0 || bytes.length > 4) return undefined;
  return forge.asn1.derToInteger(bytes);
}

/** A BOOLEAN's value; undefined when the element is not a well-formed BOOLEAN. */
export function booleanValue(node: Asn1 | undefined): boolean | undefined {
  const bytes = isUniversal(node, Type.BOOLEAN) ? contentBytes(node) : undefined;
  return bytes?.length === 1 ? bytes !== '\x00' : undefined;
}

// RFC 5280 fixes both forms to UTC with seconds (YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ); a fraction is
// tolerated. UTCTime years 50-99 are 19xx.
const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3})\d*)?Z$/;

/** A UTCTime or GeneralizedTime; undefined for anything else. */
export function timeValue(node: Asn1 | undefined): Date | undefined {
  const text = isUniversal(node, Type.UTCTIME) || isUniversal(node, Type.GENERALIZEDTIME) ? contentBytes(node) : undefined;
  const match = text === undefined ? null : (node?.type === Type.UTCTIME ? UTC_TIME : GENERALIZED_TIME).exec(text);
  if (!match) return undefined;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const fullYear = match[1]?.length === 2 ? (year >= 50 ? 1900 : 2000) + year : year;
  const milliseconds = Number((match[7] ?? '').padEnd(3, '0'));
  return new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second, milliseconds));
}

/** OID of an AlgorithmIdentifier SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
export function algorithmOid(node: Asn1 | undefined): string | undefined {
  return oidValue(sequenceChildren(node)?.[0]);
}

export function algorithmParameters(node: Asn1 | undefined): Asn1 | undefined {
  return sequenceChildren(node)?.[1];
}

export function create(type: forge.asn1.Type, constructed: boolean, value: string | Asn1[]): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, type, constructed, value);
}

export function oid(dotted: string): Asn1 {
  return create(Type.OID, false, forge.asn1.oidToDer(dotted).getBytes());
}

export function binary(bytes: string): Buffer {
  return Buffer.from(bytes, 'binary');
}
