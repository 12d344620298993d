// The keys Rolecall makes for Roles Anywhere: EC on P-256 (the default) or P-384, RSA of 2048, 3072 or
// 4096 bits. Any other name is refused before a key exists, with the list of names that work.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { RolecallError } from '../../shared/errors';

export const KEY_TYPES = ['p256', 'p384', 'rsa2048', 'rsa3072', 'rsa4096'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const DEFAULT_KEY_TYPE: KeyType = 'p256';

const generate = promisify(generateKeyPair);

export function parseKeyType(text: string): KeyType {
  const type = KEY_TYPES.find((candidate) => candidate === text.toLowerCase());
  if (type === undefined) throw new RolecallError('KEY_TYPE_UNSUPPORTED', JSON.stringify(text));
  return type;
}

export interface GeneratedKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh key pair in memory; it is the caller's job to put the private half only in the keychain. */
export async function generateKeyOfType(type: KeyType): Promise<GeneratedKey> {
  switch (type) {
    case 'p256':
      return generate('ec', { namedCurve: 'prime256v1' });
    case 'p384':
      return generate('ec', { namedCurve: 'secp384r1' });
    case 'rsa2048':
      return generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'rsa3072':
      return generate('rsa', { modulusLength: 3072, publicExponent: 0x10001 });
    case 'rsa4096':
      return generate('rsa', { modulusLength: 4096, publicExponent: 0x10001 });
  }
}
