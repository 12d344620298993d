// Hand-built certificate DER for the name, extension and date cases no CA tool will produce on demand
// (BMPString names, multi-valued RDNs, damaged extensions...). The signature is not valid: parsing
// never checks it. The public key is a real one, taken from a fixture with Node's own X.509 reader.
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { pki } from './helpers';

type Asn1 = forge.asn1.Asn1;

const { Class, Type } = forge.asn1;
const UNIVERSAL_TAGS = { teletex: 20, universal: 28, visible: 26 } as const;

function universal(type: number, value: string | Asn1[]): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, type, Array.isArray(value), value);
}

function binary(bytes: Buffer): string {
  return bytes.toString('binary');
}

export function oid(dotted: string): Asn1 {
  return universal(Type.OID, forge.asn1.oidToDer(dotted).getBytes());
}

export function sequence(items: Asn1[]): Asn1 {
  return universal(Type.SEQUENCE, items);
}

export function context(tag: number, value: string | Asn1[]): Asn1 {
  return forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, Array.isArray(value), value);
}

export const text = {
  utf8: (value: string): Asn1 => universal(Type.UTF8, binary(Buffer.from(value, 'utf8'))),
  printable: (value: string): Asn1 => universal(Type.PRINTABLESTRING, value),
  ia5: (value: string): Asn1 => universal(Type.IA5STRING, value),
  teletex: (bytes: Buffer): Asn1 => universal(UNIVERSAL_TAGS.teletex, binary(bytes)),
  visible: (value: string): Asn1 => universal(UNIVERSAL_TAGS.visible, value),
  bmp: (value: string): Asn1 => universal(Type.BMPSTRING, binary(Buffer.from(value, 'utf16le').swap16())),
  universal: (value: string): Asn1 => {
    const points = [...value].map((char) => char.codePointAt(0) ?? 0);
    const bytes = Buffer.alloc(points.length * 4);
    points.forEach((point, index) => bytes.writeUInt32BE(point, index * 4));
    return universal(UNIVERSAL_TAGS.universal, binary(bytes));
  },
  /** A UTF8String holding exactly these bytes, valid UTF-8 or not. */
  utf8Bytes: (bytes: Buffer): Asn1 => universal(Type.UTF8, binary(bytes)),
};

/** A Name: one inner array per RDN, each holding [attribute OID, value] pairs. */
export function name(rdns: readonly (readonly (readonly [string, Asn1])[])[]): Asn1 {
  return sequence(rdns.map((rdn) => universal(Type.SET, rdn.map(([type, value]) => sequence([oid(type), value])))));
}

export function extension(id: string, value: Asn1 | Buffer, critical = false): Asn1 {
  const bytes = Buffer.isBuffer(value) ? binary(value) : forge.asn1.toDer(value).getBytes();
  return sequence([oid(id), ...(critical ? [universal(Type.BOOLEAN, '\xff')] : []), universal(Type.OCTETSTRING, bytes)]);
}

export const time = {
  utc: (value: string): Asn1 => universal(Type.UTCTIME, value),
  generalized: (value: string): Asn1 => universal(Type.GENERALIZEDTIME, value),
};

export interface CertificateParts {
  readonly subject?: Asn1;
  readonly issuer?: Asn1;
  readonly notBefore?: Asn1;
  readonly notAfter?: Asn1;
  readonly extensions?: readonly Asn1[];
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export function buildCertificate(parts: CertificateParts = {}): Buffer {
  const spkiDer = new X509Certificate(pki('leaf-ec-p256.cert.pem')).publicKey.export({ type: 'spki', format: 'der' });
  const signatureAlgorithm = (): Asn1 => sequence([oid(ECDSA_WITH_SHA256)]);
  const tbs = sequence([
    context(0, [universal(Type.INTEGER, '\x02')]),
    universal(Type.INTEGER, '\x2a'),
    signatureAlgorithm(),
    parts.issuer ?? name([[['2.5.4.3', text.utf8('Test Issuer')]]]),
    sequence([parts.notBefore ?? time.utc('250101000000Z'), parts.notAfter ?? time.generalized('21241231000000Z')]),
    parts.subject ?? name([[['2.5.4.3', text.utf8('Test Subject')]]]),
    forge.asn1.fromDer(binary(spkiDer)),
    ...(parts.extensions ? [context(3, [sequence([...parts.extensions])])] : []),
  ]);
  const certificate = sequence([tbs, signatureAlgorithm(), universal(Type.BITSTRING, '\x00\x30\x00')]);
  return Buffer.from(forge.asn1.toDer(certificate).getBytes(), 'binary');
}
