// Which keys Roles Anywhere accepts: RSA of 2048 to 4096 bits and EC on P-256 or P-384. Everything
// else is refused here with KEY_UNSUPPORTED, before it can fail later with a vaguer signature error.

import type { KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';

export type KeyKind = 'rsa' | 'ec';

export const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;

const CURVE_BY_OID: Readonly<Record<string, string>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
};

// Node's names (OpenSSL's) for the curves it reports in asymmetricKeyDetails.
const CURVE_BY_NODE_NAME: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  prime192v1: 'P-192',
  secp224r1: 'P-224',
};

const SUPPORTED_CURVES = new Set(['P-256', 'P-384']);

const OTHER_KEY_TYPES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10046.2.1': 'DH',
  '1.2.156.10197.1.301': 'SM2',
};

/**
 * The kind of a key from its AlgorithmIdentifier (PKCS#8 or SubjectPublicKeyInfo), refusing
 * unsupported types and curves. RSA sizes are checked once the key is loaded (checkRsaSize).
 */
export function supportedKindFromOids(algorithmOid: string, curveOid: string | undefined): KeyKind {
  if (algorithmOid === RSA_ENCRYPTION_OID) return 'rsa';
  if (algorithmOid === EC_PUBLIC_KEY_OID) {
    const curve = curveOid === undefined ? undefined : CURVE_BY_OID[curveOid];
    if (curve !== undefined && SUPPORTED_CURVES.has(curve)) return 'ec';
    throw new RolecallError('KEY_UNSUPPORTED', `EC key on ${curve ?? (curveOid ? `curve ${curveOid}` : 'explicit curve parameters')}`);
  }
  throw new RolecallError('KEY_UNSUPPORTED', `${OTHER_KEY_TYPES[algorithmOid] ?? `algorithm ${algorithmOid}`} key`);
}

export function checkRsaSize(key: KeyObject): void {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new RolecallError('KEY_UNSUPPORTED', `RSA key of ${bits} bits (${MIN_RSA_BITS} to ${MAX_RSA_BITS} are accepted)`);
  }
}

/** The kind of a loaded key, or KEY_UNSUPPORTED with the key's description. */
export function supportedKind(key: KeyObject): KeyKind {
  if (key.asymmetricKeyType === 'rsa') {
    checkRsaSize(key);
    return 'rsa';
  }
  const curve = curveName(key);
  if (key.asymmetricKeyType === 'ec' && curve !== undefined && SUPPORTED_CURVES.has(curve)) return 'ec';
  throw new RolecallError('KEY_UNSUPPORTED', `${describeKey(key)} key`);
}

/** "RSA-2048", "EC P-256", "Ed25519": how a key is shown to users. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return `RSA-${details?.modulusLength ?? '?'}`;
    case 'rsa-pss':
      return `RSA-PSS-${details?.modulusLength ?? '?'}`;
    case 'dsa':
      return `DSA-${details?.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${curveName(key) ?? 'unknown curve'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}

/** A readable name for a key known only by its AlgorithmIdentifier (when Node cannot load it). */
export function describeKeyOids(algorithmOid: string | undefined, curveOid: string | undefined): string {
  if (algorithmOid === RSA_ENCRYPTION_OID) return 'RSA';
  if (algorithmOid === EC_PUBLIC_KEY_OID) return `EC ${curveOid === undefined ? 'unknown curve' : CURVE_BY_OID[curveOid] ?? curveOid}`;
  return algorithmOid === undefined ? 'unknown' : OTHER_KEY_TYPES[algorithmOid] ?? algorithmOid;
}

function curveName(key: KeyObject): string | undefined {
  const named = key.asymmetricKeyDetails?.namedCurve;
  return named === undefined ? undefined : CURVE_BY_NODE_NAME[named] ?? named;
}
