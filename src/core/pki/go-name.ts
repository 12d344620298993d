// A certificate's subject as Go's crypto/x509 prints it (pkix.Name.String()), which the reference client
// shows in its `read-certificate-data` listings: "CN=alice,OU=devops,O=Example". Go first sorts the
// attributes it knows into fields and writes them back in a fixed order (C, ST, L, STREET, POSTALCODE, O,
// OU, CN, SERIALNUMBER; several values of one field share an RDN), puts the others before them in the
// certificate's order as "OID=#hex", and prints the whole sequence reversed.
import { RolecallError } from '../../shared/errors';
import { Asn1Class, Asn1Type, children, contentBytes, create, oidValue, parseDer, sequenceChildren, toDer, type Asn1 } from './der';

const FIELDS: ReadonlyArray<readonly [oid: string, name: string, single: boolean]> = [
  ['2.5.4.6', 'C', false],
  ['2.5.4.8', 'ST', false],
  ['2.5.4.7', 'L', false],
  ['2.5.4.9', 'STREET', false],
  ['2.5.4.17', 'POSTALCODE', false],
  ['2.5.4.10', 'O', false],
  ['2.5.4.11', 'OU', false],
  // Go keeps one common name and one serial number: the last of each.
  ['2.5.4.3', 'CN', true],
  ['2.5.4.5', 'SERIALNUMBER', true],
];
const FIELD_OIDS = new Set(FIELDS.map(([oid]) => oid));

interface Attribute {
  readonly oid: string;
  /** The text, for the character-string types Go reads as strings. */
  readonly text: string | undefined;
  readonly node: Asn1;
}

/** The subject of the DER certificate `der`, as Go prints it. */
export function goSubjectString(der: Buffer): string {
  const tbs = children(sequenceChildren(parseDer(der))?.[0]);
  const fields = tbs[0]?.tagClass === Asn1Class.CONTEXT_SPECIFIC ? tbs.slice(1) : tbs;
  const rdns = sequenceChildren(fields[4]);
  if (!rdns) throw new RolecallError('CERT_UNREADABLE', 'the subject name is damaged');
  const attributes = rdns.flatMap((rdn) => children(rdn).map(attributeOf));
  const sequence: string[][] = attributes.filter((attribute) => !FIELD_OIDS.has(attribute.oid)).map((attribute) => [`${attribute.oid}=#${otherValueHex(attribute)}`]);
  for (const [oid, name, single] of FIELDS) {
    const values = attributes.flatMap((attribute) => (attribute.oid === oid && attribute.text !== undefined ? [attribute.text] : []));
    const kept = single ? values.slice(-1).filter((value) => value !== '') : values;
    if (kept.length > 0) sequence.push(kept.map((value) => `${name}=${escaped(value)}`));
  }
  return sequence.reverse().map((rdn) => rdn.join('+')).join(',');
}

function attributeOf(pair: Asn1): Attribute {
  const [typeNode, valueNode] = sequenceChildren(pair) ?? [];
  const oid = oidValue(typeNode);
  if (oid === undefined || valueNode === undefined) throw new RolecallError('CERT_UNREADABLE', 'the subject name is damaged');
  return { oid, text: stringValue(valueNode), node: valueNode };
}

// The string types Go's asn1 package reads into a Go string, byte for byte except UTF-8 and BMPString.
function stringValue(node: Asn1): string | undefined {
  const bytes = contentBytes(node);
  if (bytes === undefined || node.tagClass !== Asn1Class.UNIVERSAL) return undefined;
  if (node.type === Asn1Type.UTF8) return Buffer.from(bytes, 'binary').toString('utf8');
  if (node.type === Asn1Type.BMPSTRING) return Buffer.from(bytes, 'binary').swap16().toString('utf16le');
  if ([Asn1Type.PRINTABLESTRING, Asn1Type.IA5STRING, 18, 20].includes(node.type)) return bytes;
  return undefined;
}

// Go writes an attribute it has no name for as the hex of its value re-encoded: a string as a
// PrintableString when every character allows it, otherwise as a UTF8String.
function otherValueHex(attribute: Attribute): string {
  if (attribute.text === undefined) return toDer(attribute.node).toString('hex');
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(attribute.text);
  const bytes = printable ? attribute.text : Buffer.from(attribute.text, 'utf8').toString('binary');
  return toDer(create(printable ? Asn1Type.PRINTABLESTRING : Asn1Type.UTF8, false, bytes)).toString('hex');
}

function escaped(value: string): string {
  const characters = [...value];
  return characters
    .map((char, index) => {
      const escape = ',+"\\<>;'.includes(char) || (char === ' ' && (index === 0 || index === characters.length - 1)) || (char === '#' && index === 0);
      return escape ? `\\${char}` : char;
    })
    .join('');
}
