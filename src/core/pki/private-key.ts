// Private keys in every form users have (PEM or DER; PKCS#1, SEC1, PKCS#8, encrypted PKCS#8, OpenSSL's
// legacy PEM encryption), loaded once into a KeyObject that signs every request after.

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import { algorithmOid, algorithmParameters, oidValue, parseDer, sequenceChildren } from './der';
import { derKind, type DerKind } from './der-kind';
import { checkRsaSize, describeKey, supportedKindFromOids, type KeyKind } from './key-type';
import { decryptLegacyPem, isLegacyEncrypted } from './pem-encryption';
import { hasPemMarkers, splitPem, type PemBlock } from './pem';
import { decryptPkcs8, isPrivateKeyInfo, namedCurveOf, wrapPkcs1, wrapSec1 } from './pkcs8';

export interface PrivateKey {
  readonly keyObject: KeyObject;
  readonly kind: KeyKind;
  /** "RSA-2048", "EC P-256". */
  readonly algorithm: string;
}

export interface PrivateKeyOptions {
  /** For encrypted keys; ignored for plain ones. */
  readonly passphrase?: string;
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY']);

/** Reads the first private key in PEM text or a DER blob. */
export function parsePrivateKey(input: Buffer | string, options: PrivateKeyOptions = {}): PrivateKey {
  if (hasPemMarkers(input)) return fromPemBlocks(splitPem(input, 'KEY_UNREADABLE'), options.passphrase);
  if (typeof input === 'string') {
    if (input.trim() === '') throw new RolecallError('KEY_NOT_FOUND', 'the input is empty');
    throw new RolecallError('KEY_UNREADABLE', 'the text holds no PEM block');
  }
  return fromDer(input, options.passphrase);
}

/** A plain (unencrypted) PKCS#8 PrivateKeyInfo of a supported type. */
export function privateKeyFromPkcs8(der: Buffer): PrivateKey {
  if (!isPrivateKeyInfo(der)) throw new RolecallError('KEY_UNREADABLE', 'not a PKCS#8 private key');
  const [, algorithm] = sequenceChildren(parseDer(der)) ?? [];
  const kind = supportedKindFromOids(algorithmOid(algorithm) ?? '', oidValue(algorithmParameters(algorithm)));
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    // Node's message is not shown: it adds nothing a user can act on, and keys stay out of errors.
    throw new RolecallError('KEY_UNREADABLE', `the ${kind.toUpperCase()} key data is damaged`);
  }
  if (keyObject.asymmetricKeyType !== kind) throw new RolecallError('KEY_UNREADABLE', 'the key data does not match its declared type');
  if (kind === 'rsa') checkRsaSize(keyObject);
  return { keyObject, kind, algorithm: describeKey(keyObject) };
}

/** The key as unencrypted PKCS#8 PEM: the one form stored (in the keychain) and read back. */
export function privateKeyToPkcs8Pem(key: PrivateKey | KeyObject): string {
  const keyObject = 'keyObject' in key ? key.keyObject : key;
  return keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads what privateKeyToPkcs8Pem wrote, and nothing else. */
export function privateKeyFromPkcs8Pem(pem: string): PrivateKey {
  const block = splitPem(pem, 'KEY_UNREADABLE').find((candidate) => candidate.label === 'PRIVATE KEY');
  if (!block) throw new RolecallError('KEY_NOT_FOUND', 'no BEGIN PRIVATE KEY block');
  return privateKeyFromPkcs8(block.der);
}

function fromPemBlocks(blocks: PemBlock[], passphrase: string | undefined): PrivateKey {
  const block = blocks.find((candidate) => KEY_LABELS.has(candidate.label));
  if (!block) throw new RolecallError('KEY_NOT_FOUND', whatElse(blocks.map((candidate) => candidate.label)));
  switch (block.label) {
    case 'PRIVATE KEY':
      return privateKeyFromPkcs8(block.der);
    case 'ENCRYPTED PRIVATE KEY':
      return privateKeyFromPkcs8(decryptPkcs8(block.der, passphrase));
    case 'RSA PRIVATE KEY':
      return privateKeyFromPkcs8(wrapPkcs1(plainBody(block, 'rsa-private-key', passphrase)));
    case 'EC PRIVATE KEY': {
      const parameters = blocks.find((candidate) => candidate.label === 'EC PARAMETERS');
      return privateKeyFromPkcs8(wrapSec1(plainBody(block, 'ec-private-key', passphrase), parameters && namedCurveOf(parameters.der)));
    }
    case 'DSA PRIVATE KEY':
      throw new RolecallError('KEY_UNSUPPORTED', 'DSA key');
    default:
      throw new RolecallError('KEY_UNREADABLE', 'OpenSSH key format; convert a copy with `ssh-keygen -p -m PKCS8 -f FILE`');
  }
}

/** The DER inside a PKCS#1 or SEC1 PEM block, decrypted first when it carries Proc-Type headers. */
function plainBody(block: PemBlock, expected: DerKind, passphrase: string | undefined): Buffer {
  if (!isLegacyEncrypted(block)) {
    if (derKind(block.der) !== expected) throw new RolecallError('KEY_UNREADABLE', `the ${block.label} block is damaged`);
    return block.der;
  }
  const plain = decryptLegacyPem(block, passphrase);
  if (plain === undefined || derKind(plain) !== expected) throw new RolecallError('KEY_PASSPHRASE_WRONG');
  return plain;
}

function fromDer(der: Buffer, passphrase: string | undefined): PrivateKey {
  const kind = derKind(der);
  switch (kind) {
    case 'private-key-info':
      return privateKeyFromPkcs8(der);
    case 'encrypted-private-key-info':
      return privateKeyFromPkcs8(decryptPkcs8(der, passphrase));
    case 'rsa-private-key':
      return privateKeyFromPkcs8(wrapPkcs1(der));
    case 'ec-private-key':
      return privateKeyFromPkcs8(wrapSec1(der));
    case 'dsa-private-key':
      throw new RolecallError('KEY_UNSUPPORTED', 'DSA key');
    case 'certificate':
    case 'certificate-request':
    case 'pkcs12':
      throw new RolecallError('KEY_NOT_FOUND', whatElse([kind]));
    default:
      if (der.length === 0) throw new RolecallError('KEY_NOT_FOUND', 'the input is empty');
      throw new RolecallError('KEY_UNREADABLE', 'neither PEM nor a DER private key');
  }
}

/** Says what the input holds instead of a key, so the user sees they swapped two files. */
function whatElse(found: readonly string[]): string {
  if (found.includes('CERTIFICATE') || found.includes('certificate')) return 'the input holds a certificate, not a private key';
  if (found.some((label) => /REQUEST/.test(label)) || found.includes('certificate-request')) return 'the input holds a certificate signing request, not a private key';
  if (found.includes('pkcs12')) return 'the input is a PKCS#12 file; pass it as the certificate';
  return found.length === 0 ? 'the input holds no PEM block' : `the input holds only ${found.join(', ')}`;
}
