// A certificate's extendedKeyUsage, which the core's certificate reader leaves alone: Roles Anywhere
// does not judge it, but a CA that adds one without clientAuth makes a certificate that TLS clients
// and other tools of the user's would refuse for signing in, so Rolecall refuses it on import.
import { Asn1Class, Asn1Type, children, contentBytes, isUniversal, oidValue, parseDer, sequenceChildren } from '../pki/der';
import type { Certificate } from '../pki/certificate';

const EXTENDED_KEY_USAGE = '2.5.29.37';
export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** The EKU OIDs, or undefined when the certificate has no extendedKeyUsage extension. */
export function extendedKeyUsages(certificate: Certificate): string[] | undefined {
  const [tbs] = sequenceChildren(parseDer(certificate.der)) ?? [];
  const extensions = children(tbs).find((field) => field.tagClass === Asn1Class.CONTEXT_SPECIFIC && field.type === 3);
  for (const extension of sequenceChildren(children(extensions)[0]) ?? []) {
    const fields = sequenceChildren(extension) ?? [];
    if (oidValue(fields[0]) !== EXTENDED_KEY_USAGE) continue;
    const value = fields.at(-1);
    const bytes = isUniversal(value, Asn1Type.OCTETSTRING) ? contentBytes(value) : undefined;
    const list = bytes === undefined ? undefined : sequenceChildren(parseDer(Buffer.from(bytes, 'binary')));
    return (list ?? []).map((usage) => oidValue(usage) ?? '');
  }
  return undefined;
}
