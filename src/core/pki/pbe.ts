// Password-based decryption with node-forge, for encrypted PKCS#8 keys and PKCS#12 files. It runs in
// JavaScript so the app (Electron, BoringSSL) and the CLI (Node, OpenSSL) accept the same files:
// PBES2 with PBKDF2 and AES or 3DES (OpenSSL 3, ACM exports) and PKCS#12's own 3DES and RC2-40
// schemes (`openssl pkcs12 -legacy`, older keychains).

import forge from 'node-forge';
import { RolecallError, type ErrorCode } from '../../shared/errors';
import { algorithmOid, algorithmParameters, type Asn1 } from './der';

interface ForgePbe {
  getCipher(oid: string, params: Asn1, password: string | null): forge.cipher.BlockCipher;
  opensslDeriveBytes(password: string, salt: string, length: number): string;
}

// node-forge has these at runtime; its type definitions leave them out.
export const forgePbe = (forge as unknown as { pbe: ForgePbe }).pbe;

const PBES2 = '1.2.840.113549.1.5.13';

/**
 * Decrypts `ciphertext` under an AlgorithmIdentifier. Returns undefined when the padding check
 * fails, which for CBC means (almost always) a wrong password. `password` null is PKCS#12's
 * "no password", which differs from the empty string.
 */
export function pbeDecrypt(algorithm: Asn1 | undefined, ciphertext: string, password: string | null, unsupported: ErrorCode): string | undefined {
  const oid = algorithmOid(algorithm);
  const parameters = algorithmParameters(algorithm);
  if (oid === undefined || parameters === undefined) throw new RolecallError(unsupported, 'the encryption algorithm is missing');
  // PBES2 feeds PBKDF2 the password's UTF-8 bytes (as OpenSSL does); PKCS#12's own schemes encode it
  // as UTF-16 themselves, inside node-forge.
  const secret = oid === PBES2 ? forge.util.encodeUtf8(password ?? '') : password;
  let cipher: forge.cipher.BlockCipher;
  try {
    cipher = forgePbe.getCipher(oid, parameters, secret);
  } catch {
    throw new RolecallError(unsupported, `unsupported encryption (${describeScheme(oid, parameters)}); re-export with PBES2/AES-256-CBC`);
  }
  cipher.update(forge.util.createBuffer(ciphertext));
  return cipher.finish() ? cipher.output.getBytes() : undefined;
}

function describeScheme(oid: string, parameters: Asn1): string {
  if (oid !== PBES2) return oid;
  const [kdf, encryption] = Array.isArray(parameters.value) ? parameters.value : [];
  return `PBES2 with ${algorithmOid(kdf) ?? '?'} and ${algorithmOid(encryption) ?? '?'}`;
}
