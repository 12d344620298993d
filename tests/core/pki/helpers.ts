import { X509Certificate, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRolecallError, type ErrorCode } from '../../../src/shared/errors';

/** The password of every encrypted fixture, except those named *unicode*, *empty-password* and *no-password*. */
export const PASSWORD = 'rolecall-test';
export const UNICODE_PASSWORD = 'pässwörd-ключ';

/** A moment inside every ordinary fixture's validity (2025-01-01 to 2124-12-31). */
export const AT_2030 = Date.UTC(2030, 0, 1);

export const PKI_DIR = fileURLToPath(new URL('../../fixtures/pki/', import.meta.url));

export function pki(name: string): Buffer {
  return readFileSync(`${PKI_DIR}${name}`);
}

export function vector(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/vectors/${name}`, import.meta.url)));
}

/** Deterministic bytes that are neither PEM nor DER of anything. */
export function garbage(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => (index * 37 + 11) % 251));
}

/** Node's own reading of a fixture certificate: an independent second opinion. */
export function nodeCertificate(name: string): X509Certificate {
  return new X509Certificate(pki(name));
}

/** The code of the RolecallError `action` throws; fails the test if it throws anything else or nothing. */
export function codeOf(action: () => unknown): ErrorCode {
  try {
    action();
  } catch (error) {
    if (isRolecallError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a RolecallError, nothing was thrown');
}

export async function asyncCodeOf(action: () => Promise<unknown>): Promise<{ code: ErrorCode; detail: string | undefined }> {
  try {
    await action();
  } catch (error) {
    if (isRolecallError(error)) return { code: error.code, detail: error.detail };
    throw error;
  }
  throw new Error('expected a RolecallError, nothing was thrown');
}

/** Signs with the private key as the signer will (SHA-256; DER for ECDSA) and verifies with the public key. */
export function signatureVerifies(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const message = Buffer.from('20240102T030405Z\nrolecall pki test message');
  return verify('sha256', message, publicKey, sign('sha256', message, privateKey));
}
