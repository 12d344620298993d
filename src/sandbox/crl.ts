// Certificate revocation lists as ImportCrl takes them: PEM text (the API reference says a CRL "must be
// in PEM format"), read once at import so CreateSession only looks a serial up.
import { x509 } from './x509-library';

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/;

export interface ParsedCrl {
  readonly issuer: string;
  /** Lowercase hex without leading zeros, as `ServiceCertificate.serialHex`. */
  readonly revokedSerials: Set<string>;
}

/** The CRL in `data`, or undefined when it holds no PEM CRL that parses. */
export function parseCrlPem(data: Uint8Array): ParsedCrl | undefined {
  const match = PEM_CRL.exec(Buffer.from(data).toString('latin1'));
  if (!match?.[1]) return undefined;
  try {
    const crl = new x509.X509Crl(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
    const revokedSerials = new Set(crl.entries.map((entry) => normaliseSerial(entry.serialNumber)));
    return { issuer: crl.issuer, revokedSerials };
  } catch {
    return undefined;
  }
}

function normaliseSerial(hex: string): string {
  return BigInt(`0x${hex}`).toString(16);
}
