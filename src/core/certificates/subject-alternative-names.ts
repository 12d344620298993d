// Subject alternative names for a request: dns: and uri: entries, the two Roles Anywhere maps to
// principal tags (x509SAN/DNS and x509SAN/URI, the first of each).
import { RolecallError } from '../../shared/errors';

export interface SubjectAlternativeName {
  readonly type: 'dns' | 'uri';
  readonly value: string;
}

const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function parseSan(text: string): SubjectAlternativeName {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  const value = text.slice(colon + 1);
  if (kind === 'dns') {
    if (value.length > 253 || !DNS_NAME.test(value)) throw new RolecallError('SAN_INVALID', `${JSON.stringify(value)} is not a DNS name`);
    return { type: 'dns', value: value.toLowerCase() };
  }
  if (kind === 'uri') {
    if (!isUri(value)) throw new RolecallError('SAN_INVALID', `${JSON.stringify(value)} is not an absolute URI`);
    return { type: 'uri', value };
  }
  throw new RolecallError('SAN_INVALID', `${JSON.stringify(text)} does not start with dns: or uri:`);
}

export function formatSan(san: SubjectAlternativeName): string {
  return `${san.type}:${san.value}`;
}

function isUri(value: string): boolean {
  // IA5String: ASCII only, and no spaces or controls in a URI.
  if (!/^[\x21-\x7e]+$/.test(value)) return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
