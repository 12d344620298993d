// Loads what a profile signs with: the leaf, the intermediates to send and the private key, from the
// inputs aws_signing_helper takes (--certificate, --private-key, --intermediates, --pkcs8-password).
// Parsing takes bytes (the app reads files itself); loadCredentialFiles adds file reading for the CLI.

import type { KeyObject } from 'node:crypto';
import { RolecallError, isRolecallError } from '../../shared/errors';
import { parseCertificates, type Certificate } from './certificate';
import type { KeyKind } from './key-type';
import { isPkcs12, parsePkcs12 } from './pkcs12';
import { parsePrivateKey, type PrivateKey } from './private-key';
import { readInputFile } from './read-file';

export interface Credentials {
  readonly leaf: Certificate;
  /** Intermediates for X-Amz-X509-Chain, in file order, without the leaf or duplicates. */
  readonly chain: readonly Certificate[];
  /** Created once and reused for every signature. */
  readonly privateKey: KeyObject;
  readonly keyKind: KeyKind;
  /** "RSA-2048", "EC P-256". */
  readonly keyAlgorithm: string;
}

export interface CredentialInputs<T> {
  /** PEM/DER certificate(s), or a PKCS#12 file holding the key too. */
  readonly certificate: T;
  /** Omitted when `certificate` is PKCS#12 or a PEM holding the key as well. */
  readonly privateKey?: T;
  readonly intermediates?: T;
  /** For an encrypted key or a PKCS#12 file. */
  readonly passphrase?: string;
}

/**
 * Builds credentials from file contents. The leaf is the certificate matching the key, so a full-chain
 * PEM works in any order; its other certificates join the chain ahead of `intermediates`.
 */
export function loadCredentials(input: CredentialInputs<Buffer | string>): Credentials {
  const options = input.passphrase === undefined ? {} : { passphrase: input.passphrase };
  let certificates: Certificate[];
  let privateKey: PrivateKey;
  if (typeof input.certificate !== 'string' && isPkcs12(input.certificate)) {
    const contents = parsePkcs12(input.certificate, input.passphrase);
    certificates = [contents.leaf, ...contents.chain];
    privateKey = input.privateKey === undefined ? contents.privateKey : parsePrivateKey(input.privateKey, options);
  } else {
    certificates = parseCertificates(input.certificate);
    privateKey = input.privateKey === undefined ? keyBesideCertificate(input.certificate, options) : parsePrivateKey(input.privateKey, options);
  }

  const leaf = certificates.find((certificate) => certificate.matchesPrivateKey(privateKey.keyObject));
  if (!leaf) {
    throw new RolecallError('KEY_CERT_MISMATCH', certificates.length > 1 ? `none of the ${certificates.length} certificates matches the key` : undefined);
  }
  const intermediates = input.intermediates === undefined ? [] : parseCertificates(input.intermediates);
  return {
    leaf,
    chain: withoutDuplicates([...certificates, ...intermediates], leaf),
    privateKey: privateKey.keyObject,
    keyKind: privateKey.kind,
    keyAlgorithm: privateKey.algorithm,
  };
}

/** loadCredentials over files; unreadable files are FILE_UNREADABLE naming the path. */
export async function loadCredentialFiles(paths: CredentialInputs<string>): Promise<Credentials> {
  // One after the other, so the first bad path reported is always the same one.
  const certificate = await readInputFile(paths.certificate, 'certificate file');
  const privateKey = paths.privateKey === undefined ? undefined : await readInputFile(paths.privateKey, 'private key file');
  const intermediates = paths.intermediates === undefined ? undefined : await readInputFile(paths.intermediates, 'intermediates file');
  return loadCredentials({
    certificate,
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(intermediates === undefined ? {} : { intermediates }),
    ...(paths.passphrase === undefined ? {} : { passphrase: paths.passphrase }),
  });
}

function keyBesideCertificate(certificate: Buffer | string, options: { passphrase?: string }): PrivateKey {
  try {
    return parsePrivateKey(certificate, options);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'KEY_NOT_FOUND') {
      throw new RolecallError('KEY_NOT_FOUND', 'no private key was given and the certificate file holds none');
    }
    throw error;
  }
}

function withoutDuplicates(certificates: readonly Certificate[], leaf: Certificate): Certificate[] {
  const seen = new Set([leaf.der.toString('base64')]);
  return certificates.filter((certificate) => {
    const id = certificate.der.toString('base64');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
