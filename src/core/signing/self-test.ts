// The message the reference client's `sign-string` signs, so `rolecall doctor` can prove a key
// works and compare with that tool's output.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';

const PREFIX = 'AWS Roles Anywhere Credential Helper Signing Test';
const TEST_VERSION = '1';

/** `PREFIX || "1" || SHA-256("IAM RA" || public key bytes)`; accepts a public or private key. */
export function selfTestMessage(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const digest = createHash('sha256').update('IAM RA').update(publicKeyBytes(publicKey)).digest();
  return Buffer.concat([Buffer.from(PREFIX + TEST_VERSION, 'utf8'), digest]);
}

// The reference hashes PKCS#1 RSAPublicKey DER for RSA and the uncompressed point 04||X||Y for EC.
function publicKeyBytes(publicKey: KeyObject): Buffer {
  switch (publicKey.asymmetricKeyType) {
    case 'rsa':
      return publicKey.export({ type: 'pkcs1', format: 'der' });
    case 'ec': {
      const jwk = publicKey.export({ format: 'jwk' });
      if (!jwk.x || !jwk.y) throw new RolecallError('KEY_UNSUPPORTED', 'EC key without coordinates');
      return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    }
    default:
      throw new RolecallError('KEY_UNSUPPORTED', `key type ${publicKey.asymmetricKeyType ?? 'unknown'}`);
  }
}
