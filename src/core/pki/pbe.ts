// Password-based decryption with node-forge, for encrypted PKCS#8 keys and PKCS#12 files. It runs in
// JavaScript so the app (Electron, BoringSSL) and the CLI (Node, OpenSSL) accept the same files:
// PBES2 with PBKDF2 and AES or 3DES (OpenSSL 3, ACM exports) and PKCS#12's own 3DES and RC2-40
// schemes (`openssl pkcs12 -legacy`, older keychains).

import forge from 'node-forge';
import { RolecallError, type ErrorCode } from '../../shared/errors';
import { Asn1Type, algorithmOid, algorithmParameters, children, contentBytes, isUniversal, type Asn1 } from './der';

interface ForgePbe {
  getCipher(oid: string, params: Asn1, password: string | null): forge.cipher.BlockCipher;
  opensslDeriveBytes(password: string, salt: string, length: number): string;
}

// node-forge has these at runtime; its type definitions leave them out.
export const forgePbe = (forge as unknown as { pbe: ForgePbe }).pbe;

const PBES2 = '1.2.840.113549.1.5.13';

/**
 * Key derivation runs in JavaScript at about 1 µs per iteration, on the agent's one thread: a damaged
 * or hostile file asking for two billion iterations would freeze every session for most of an hour.
 * Real files use 2,000 (Windows) to 600,000 (OWASP's PBKDF2-SHA256 advice).
 */
export const MAX_KDF_ITERATIONS = 1_000_000;

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
  checkIterations(iterationsOf(oid, parameters), unsupported);
  let cipher: forge.cipher.BlockCipher;
  try {
    cipher = forgePbe.getCipher(oid, parameters, secret);
  } catch {
    throw new RolecallError(unsupported, `unsupported encryption (${describeScheme(oid, parameters)}); re-export with PBES2/AES-256-CBC`);
  }
  cipher.update(forge.util.createBuffer(ciphertext));
  return cipher.finish() ? cipher.output.getBytes() : undefined;
}

/** Throws `code` when a file asks for more key derivation work than MAX_KDF_ITERATIONS. */
export function checkIterations(iterations: number | undefined, code: ErrorCode): void {
  if (iterations !== undefined && iterations > MAX_KDF_ITERATIONS) {
    throw new RolecallError(code, `the file asks for ${iterations > Number.MAX_SAFE_INTEGER ? 'over 2^53' : iterations.toLocaleString('en-US')} key derivation iterations; at most ${MAX_KDF_ITERATIONS.toLocaleString('en-US')} are accepted`);
  }
}

/** An iteration count INTEGER as a number (Infinity when too long to be one); undefined when absent. */
export function iterationCountOf(node: Asn1 | undefined): number | undefined {
  const bytes = isUniversal(node, Asn1Type.INTEGER) ? contentBytes(node) : undefined;
  if (bytes === undefined) return undefined;
  let value = 0;
  for (const char of bytes) value = value * 256 + char.charCodeAt(0);
  return Number.isFinite(value) ? value : Infinity;
}

// PBES2-params { keyDerivationFunc { PBKDF2, PBKDF2-params { salt, iterationCount, … } }, encryptionScheme };
// PKCS#12's pkcs-12PbeParams { salt, iterations }.
function iterationsOf(oid: string, parameters: Asn1): number | undefined {
  if (oid !== PBES2) return iterationCountOf(children(parameters)[1]);
  const [kdf] = children(parameters);
  return iterationCountOf(children(children(kdf)[1])[1]);
}

function describeScheme(oid: string, parameters: Asn1): string {
  if (oid !== PBES2) return oid;
  const [kdf, encryption] = Array.isArray(parameters.value) ? parameters.value : [];
  return `PBES2 with ${algorithmOid(kdf) ?? '?'} and ${algorithmOid(encryption) ?? '?'}`;
}
