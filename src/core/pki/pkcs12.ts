// PKCS#12 (.p12/.pfx) files, decoded with node-forge's ASN.1 codec and ciphers so OpenSSL 3 files
// (PBES2/AES-256, SHA-256 MAC) and `-legacy` ones (RC2-40 and 3DES, SHA-1 MAC) read the same in the
// app and the CLI. The structure is walked here rather than by forge's pkcs12 reader, which re-encodes
// certificates and keys through its own RSA-only objects: the certificate DER must stay byte-exact.

import forge from 'node-forge';
import { RolecallError } from '../../shared/errors';
import { Certificate } from './certificate';
import { algorithmOid, binary, children, contentBytes, oidValue, parseDer, sequenceChildren, toDer, type Asn1 } from './der';
import { derKind, startsLikePkcs12 } from './der-kind';
import { hasPemMarkers } from './pem';
import { checkIterations, iterationCountOf, pbeDecrypt } from './pbe';
import { isPrivateKeyInfo } from './pkcs8';
import { privateKeyFromPkcs8, type PrivateKey } from './private-key';

export interface Pkcs12Contents {
  readonly privateKey: PrivateKey;
  /** The certificate whose public key matches the private key. */
  readonly leaf: Certificate;
  /** The other certificates, in file order. */
  readonly chain: readonly Certificate[];
}

const DATA = '1.2.840.113549.1.7.1';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const SAFE_CONTENTS_BAG = '1.2.840.113549.1.12.10.1.6';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';

const MAC_DIGESTS: Readonly<Record<string, () => forge.md.MessageDigest>> = {
  '1.3.14.3.2.26': () => forge.md.sha1.create(),
  '2.16.840.1.101.3.4.2.1': () => forge.md.sha256.create(),
  '2.16.840.1.101.3.4.2.2': () => forge.md.sha384.create(),
  '2.16.840.1.101.3.4.2.3': () => forge.md.sha512.create(),
};

interface Pfx {
  readonly authenticatedSafe: string;
  readonly mac: { readonly algorithm: string; readonly digest: string; readonly salt: string; readonly iterations: number } | undefined;
}

interface Bags {
  readonly keys: Buffer[];
  readonly certificates: Buffer[];
}

export function isPkcs12(input: Buffer): boolean {
  return !hasPemMarkers(input) && startsLikePkcs12(input);
}

/**
 * Reads the key and certificates of a PKCS#12 file. Without a password, the empty password and "no
 * password" are tried (as OpenSSL does); if neither opens the file, KEY_PASSPHRASE_REQUIRED says
 * a password is needed. A wrong given password is PKCS12_PASSWORD_WRONG.
 */
export function parsePkcs12(der: Buffer, password?: string): Pkcs12Contents {
  const pfx = readPfx(der);
  const candidates: (string | null)[] = password ? [password] : ['', null];
  let bags: Bags | undefined;
  if (pfx.mac) {
    const mac = pfx.mac;
    const opening = candidates.find((candidate) => macMatches(pfx.authenticatedSafe, mac, candidate));
    if (opening === undefined) throw passwordProblem(password);
    bags = readAuthenticatedSafe(pfx.authenticatedSafe, opening);
    if (!bags) throw new RolecallError('PKCS12_UNREADABLE', 'the contents do not decrypt with the password that opens the file');
  } else {
    for (const candidate of candidates) {
      bags = readAuthenticatedSafe(pfx.authenticatedSafe, candidate);
      if (bags) break;
    }
    if (!bags) throw passwordProblem(password);
  }
  return pickLeaf(bags);
}

function passwordProblem(password: string | undefined): RolecallError {
  return password ? new RolecallError('PKCS12_PASSWORD_WRONG') : new RolecallError('KEY_PASSPHRASE_REQUIRED', 'the PKCS#12 file has a password');
}

function pickLeaf(bags: Bags): Pkcs12Contents {
  const [keyDer] = bags.keys;
  if (keyDer === undefined) throw new RolecallError('KEY_NOT_FOUND', 'the PKCS#12 file holds no private key');
  const certificates = bags.certificates.map((certificateDer) => Certificate.fromDer(certificateDer));
  if (certificates.length === 0) throw new RolecallError('CERT_NOT_FOUND', 'the PKCS#12 file holds no certificate');
  const privateKey = privateKeyFromPkcs8(keyDer);
  const leaf = certificates.find((certificate) => certificate.matchesPrivateKey(privateKey.keyObject));
  if (!leaf) throw new RolecallError('KEY_CERT_MISMATCH', 'no certificate in the PKCS#12 file matches its private key');
  return { privateKey, leaf, chain: certificates.filter((certificate) => certificate !== leaf) };
}

// PFX ::= SEQUENCE { version 3, authSafe ContentInfo (data), macData MacData OPTIONAL }
function readPfx(der: Buffer): Pfx {
  if (derKind(der) !== 'pkcs12') throw new RolecallError('PKCS12_UNREADABLE', 'not a complete PKCS#12 file');
  const [, authSafe, macData] = sequenceChildren(parseDer(der)) ?? [];
  const [contentType, content] = children(authSafe);
  if (oidValue(contentType) !== DATA) {
    throw new RolecallError('PKCS12_UNREADABLE', 'only password-integrity PKCS#12 files are supported (not public-key integrity)');
  }
  const authenticatedSafe = octets(children(content)[0]);
  if (authenticatedSafe === undefined) throw new RolecallError('PKCS12_UNREADABLE', 'the file structure is damaged');
  if (macData === undefined) return { authenticatedSafe, mac: undefined };
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const [digestInfo, salt, iterations] = children(macData);
  const [algorithm, digest] = children(digestInfo);
  const mac = {
    algorithm: algorithmOid(algorithm) ?? '',
    digest: contentBytes(digest) ?? '',
    salt: contentBytes(salt) ?? '',
    iterations: iterations === undefined ? 1 : iterationCountOf(iterations) ?? 0,
  };
  if (!MAC_DIGESTS[mac.algorithm]) throw new RolecallError('PKCS12_UNREADABLE', `unsupported integrity algorithm ${mac.algorithm || '(damaged)'}`);
  if (mac.iterations < 1) throw new RolecallError('PKCS12_UNREADABLE', 'the integrity check parameters are damaged');
  checkIterations(mac.iterations, 'PKCS12_UNREADABLE');
  return { authenticatedSafe, mac };
}

function macMatches(authenticatedSafe: string, mac: NonNullable<Pfx['mac']>, password: string | null): boolean {
  const digest = MAC_DIGESTS[mac.algorithm];
  if (!digest) return false;
  const length = digest().digestLength;
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(mac.salt), 3, mac.iterations, length, digest());
  const hmac = forge.hmac.create();
  hmac.start(digest(), key);
  hmac.update(authenticatedSafe);
  return hmac.digest().getBytes() === mac.digest;
}

/** All bags, decrypted; undefined when a part does not decrypt (the password is wrong). */
function readAuthenticatedSafe(authenticatedSafe: string, password: string | null): Bags | undefined {
  const contentInfos = sequenceChildren(parseDer(binary(authenticatedSafe)));
  if (!contentInfos) throw new RolecallError('PKCS12_UNREADABLE', 'the file structure is damaged');
  const bags: Bags = { keys: [], certificates: [] };
  for (const contentInfo of contentInfos) {
    const [contentType, content] = children(contentInfo);
    const type = oidValue(contentType);
    let safeContents: string | undefined;
    if (type === DATA) {
      safeContents = octets(children(content)[0]);
    } else if (type === ENCRYPTED_DATA) {
      safeContents = decryptEncryptedData(children(content)[0], password);
      if (safeContents === undefined) return undefined;
    } else {
      throw new RolecallError('PKCS12_UNREADABLE', `unsupported content type ${type ?? '(damaged)'}`);
    }
    const readable = safeContents === undefined ? undefined : parseDer(binary(safeContents));
    if (!readable || !collectBags(readable, password, bags)) return undefined;
  }
  return bags;
}

// EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT encryptedContent } }
function decryptEncryptedData(encryptedData: Asn1 | undefined, password: string | null): string | undefined {
  const [, encryptedContentInfo] = children(encryptedData);
  const [, algorithm, encryptedContent] = children(encryptedContentInfo);
  const ciphertext = octets(encryptedContent);
  if (ciphertext === undefined) throw new RolecallError('PKCS12_UNREADABLE', 'the encrypted part is damaged');
  return pbeDecrypt(algorithm, ciphertext, password, 'PKCS12_UNREADABLE');
}

// SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OPTIONAL }
function collectBags(safeContents: Asn1, password: string | null, bags: Bags): boolean {
  for (const safeBag of children(safeContents)) {
    const [bagId, wrapper] = children(safeBag);
    const value = children(wrapper)[0];
    switch (oidValue(bagId)) {
      case KEY_BAG:
        bags.keys.push(derOf(value));
        break;
      case SHROUDED_KEY_BAG: {
        const [algorithm, encrypted] = children(value);
        const ciphertext = octets(encrypted);
        const plain = ciphertext === undefined ? undefined : pbeDecrypt(algorithm, ciphertext, password, 'PKCS12_UNREADABLE');
        if (plain === undefined || !isPrivateKeyInfo(binary(plain))) return false;
        bags.keys.push(binary(plain));
        break;
      }
      case CERT_BAG: {
        const [certId, certValue] = children(value);
        const certificate = octets(children(certValue)[0]);
        if (oidValue(certId) === X509_CERTIFICATE && certificate !== undefined) bags.certificates.push(binary(certificate));
        break;
      }
      case SAFE_CONTENTS_BAG:
        if (value === undefined || !collectBags(value, password, bags)) return false;
        break;
      default:
        // CRL and secret bags carry nothing Roles Anywhere needs.
        break;
    }
  }
  return true;
}

/** An OCTET STRING's bytes, joining the chunks of a BER constructed one (older Windows exports). */
function octets(node: Asn1 | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  const parts = node.value.map(octets);
  return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
}

function derOf(node: Asn1 | undefined): Buffer {
  if (node === undefined) throw new RolecallError('PKCS12_UNREADABLE', 'a key bag is empty');
  return toDer(node);
}
