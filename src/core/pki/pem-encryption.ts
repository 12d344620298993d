// OpenSSL's "traditional" PEM encryption (Proc-Type: 4,ENCRYPTED and DEK-Info headers), still written
// by `openssl ec -aes256`, `openssl rsa -des3 -traditional` and OpenSSL 1.x `genrsa -aes256`.
// Decrypted with node-forge for the same reason as PKCS#8: both hosts must accept the same files.

import forge from 'node-forge';
import { RolecallError } from '../../shared/errors';
import { forgePbe } from './pbe';
import type { PemBlock } from './pem';

// ivLength is the cipher's block size: CBC takes exactly one block of IV, and node-forge throws a
// plain Error on any other length.
const CIPHERS: Readonly<Record<string, { algorithm: forge.cipher.Algorithm; keyLength: number; ivLength: number }>> = {
  'AES-128-CBC': { algorithm: 'AES-CBC', keyLength: 16, ivLength: 16 },
  'AES-192-CBC': { algorithm: 'AES-CBC', keyLength: 24, ivLength: 16 },
  'AES-256-CBC': { algorithm: 'AES-CBC', keyLength: 32, ivLength: 16 },
  'DES-EDE3-CBC': { algorithm: '3DES-CBC', keyLength: 24, ivLength: 8 },
  'DES-CBC': { algorithm: 'DES-CBC', keyLength: 8, ivLength: 8 },
};

export function isLegacyEncrypted(block: PemBlock): boolean {
  return /ENCRYPTED/i.test(block.headers.get('Proc-Type') ?? '');
}

/** The plaintext DER of a legacy-encrypted PEM key; undefined when the passphrase is wrong. */
export function decryptLegacyPem(block: PemBlock, passphrase: string | undefined): Buffer | undefined {
  const [name = '', ivHex = ''] = (block.headers.get('DEK-Info') ?? '').split(',').map((part) => part.trim());
  const cipher = CIPHERS[name.toUpperCase()];
  if (!cipher) {
    throw new RolecallError('KEY_UNREADABLE', `unsupported PEM encryption "${name}"; convert the key to PKCS#8 with openssl pkcs8 -topk8`);
  }
  if (!/^[0-9a-fA-F]*$/.test(ivHex) || ivHex.length !== cipher.ivLength * 2) {
    throw new RolecallError('KEY_UNREADABLE', `the DEK-Info IV of this ${name.toUpperCase()} key must be ${cipher.ivLength * 2} hex digits; the PEM headers are damaged`);
  }
  if (passphrase === undefined) throw new RolecallError('KEY_PASSPHRASE_REQUIRED');
  const iv = forge.util.hexToBytes(ivHex);
  // EVP_BytesToKey with MD5, one iteration, the first 8 IV bytes as salt: what OpenSSL uses here.
  const key = forgePbe.opensslDeriveBytes(forge.util.encodeUtf8(passphrase), iv.slice(0, 8), cipher.keyLength);
  const decipher = forge.cipher.createDecipher(cipher.algorithm, key);
  decipher.start({ iv });
  decipher.update(forge.util.createBuffer(block.der.toString('binary')));
  return decipher.finish() ? Buffer.from(decipher.output.getBytes(), 'binary') : undefined;
}
