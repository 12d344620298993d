// How a public key is named to users: the SHA-256 of its SubjectPublicKeyInfo DER, as
// `openssl pkey -pubin -outform DER | openssl dgst -sha256` prints it, in colon-separated pairs.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
  return digest.match(/../g)?.join(':') ?? '';
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = { type: 'spki', format: 'der' } as const;
  const publicOf = (key: KeyObject) => (key.type === 'private' ? createPublicKey(key) : key);
  return publicOf(a).export(spki).equals(publicOf(b).export(spki));
}
