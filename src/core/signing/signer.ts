// A Signer is the only thing signing needs from a key. It is async so a hardware key (PKCS#11,
// a platform keychain) can stand in for an in-memory KeyObject later.

import { sign, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';

export type SigningAlgorithm = 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256';

export interface Signer {
  readonly algorithm: SigningAlgorithm;
  /** Signs `data` (the string to sign), hashing it with SHA-256 itself. */
  sign(data: Buffer): Promise<Buffer>;
}

/** RSA: PKCS#1 v1.5 over SHA-256. EC (any curve): ECDSA over SHA-256, ASN.1 DER signature. */
export function keyObjectSigner(key: KeyObject): Signer {
  if (key.type !== 'private') throw new RolecallError('KEY_UNSUPPORTED', 'a public key cannot sign');
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { algorithm: 'AWS4-X509-RSA-SHA256', sign: (data) => signAsync(data, key) };
    case 'ec':
      // The service expects DER; WebCrypto's raw r||s would be rejected.
      return { algorithm: 'AWS4-X509-ECDSA-SHA256', sign: (data) => signAsync(data, { key, dsaEncoding: 'der' }) };
    default:
      throw new RolecallError('KEY_UNSUPPORTED', `key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

// The callback form runs on libuv's thread pool, so a 4096-bit RSA signature does not stall the
// agent's event loop.
function signAsync(data: Buffer, key: KeyObject | { key: KeyObject; dsaEncoding: 'der' }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, key, (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}
