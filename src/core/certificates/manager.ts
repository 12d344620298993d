// Certificate requests from key to issued certificate: `create` makes a key in memory, stores it in the
// keychain (or, on request, in a new file of the user's) and records its CSR; `import` takes the
// certificate a CA issued for that CSR, checked as Roles Anywhere will check it; `credentials` hands an
// issued one to a profile draft. Each step leaves nothing half made: a key whose record could not be
// written is deleted again, and a record is only written once its key is safely stored.
import { randomUUID, type KeyObject } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { profileNameSchema } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { Certificate } from '../pki/certificate';
import { parseCertificates } from '../pki/certificate';
import type { Credentials } from '../pki/load';
import { parsePrivateKey, privateKeyFromPkcs8Pem, privateKeyToPkcs8Pem } from '../pki/private-key';
import { readInputFile } from '../pki/read-file';
import { assertUsableLeaf } from '../pki/validate';
import type { Clock } from '../platform/clock';
import type { KeySource } from '../profiles/definition';
import type { SecretStore } from '../secrets/secret-store';
import { createCsr, CLIENT_AUTH_OID, csrPublicKey } from './csr';
import { ANY_EXTENDED_KEY_USAGE, extendedKeyUsages } from './extended-key-usage';
import { publicKeyFingerprint, samePublicKey } from './fingerprint';
import { DEFAULT_KEY_TYPE, generateKeyOfType, type KeyType } from './key-types';
import { CertificateRecords, type CertificateIssuer, type CertificateRecord } from './records';
import { formatSan, parseSan } from './subject-alternative-names';
import { formatSubject, parseSubject } from './subject';

export interface NewCertificateInput {
  readonly name: string;
  readonly subject: string;
  readonly sans?: readonly string[];
  readonly keyType?: KeyType;
  /** Keep the key in this new file (0600) instead of the keychain, for a profile with --key-in-file. */
  readonly keyFile?: string;
}

export interface ImportCertificateInput {
  readonly name: string;
  /** PEM or DER; a PEM may hold the chain after the leaf. */
  readonly certificate: Buffer | string;
  readonly intermediates?: Buffer | string;
  readonly issuedBy?: CertificateIssuer;
}

export interface CertificateManagerOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock: Clock;
}

/** Keychain accounts of request keys; apart from profiles' `key:` so each owner deletes only its own. */
const KEY_ACCOUNT_PREFIX = 'certificate-key:';

export class CertificateManager {
  readonly records: CertificateRecords;
  private readonly secrets: SecretStore;
  private readonly clock: Clock;

  constructor(options: CertificateManagerOptions) {
    this.records = new CertificateRecords(options.dataDir);
    this.secrets = options.secrets;
    this.clock = options.clock;
  }

  list(): Promise<CertificateRecord[]> {
    return this.records.list();
  }

  get(name: string): Promise<CertificateRecord> {
    return this.records.require(name);
  }

  async create(input: NewCertificateInput): Promise<CertificateRecord> {
    checkName(input.name);
    const subject = parseSubject(input.subject);
    const sans = (input.sans ?? []).map(parseSan);
    const keyType = input.keyType ?? DEFAULT_KEY_TYPE;
    if (await this.records.get(input.name)) throw new RolecallError('CERTIFICATE_EXISTS', input.name);
    const { privateKey, publicKey } = await generateKeyOfType(keyType);
    const csrPem = await createCsr({ privateKey, publicKey, subject, sans });
    const key = await this.storeKey(privateKey, input.keyFile);
    const record: CertificateRecord = {
      name: input.name,
      state: 'pending',
      keyType,
      subject: formatSubject(subject),
      sans: sans.map(formatSan),
      key,
      csrPem,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    try {
      await this.records.add(record);
    } catch (error) {
      await forgetKey(this.secrets, key);
      throw error;
    }
    return record;
  }

  /** Takes the certificate issued for a pending request: same key, usable by Roles Anywhere. */
  async import(input: ImportCertificateInput): Promise<CertificateRecord> {
    const record = await this.records.require(input.name);
    if (record.state !== 'pending') throw new RolecallError('CERTIFICATE_NOT_PENDING', input.name);
    const requested = csrPublicKey(record.csrPem);
    const given = parseCertificates(input.certificate);
    const leaf = given.find((certificate) => samePublicKey(certificate.publicKey, requested));
    if (!leaf) {
      const [first] = given;
      throw new RolecallError('ISSUED_KEY_MISMATCH', `the request's public key is SHA-256 ${publicKeyFingerprint(requested)}; the certificate${given.length > 1 ? 's hold' : ' holds'} ${given.map((certificate) => publicKeyFingerprint(certificate.publicKey)).join(', ')}${first ? ` (${first.subject})` : ''}`);
    }
    const chain = uniqueChain([...given.filter((certificate) => certificate !== leaf), ...(input.intermediates === undefined ? [] : parseCertificates(input.intermediates))], leaf);
    assertUsableLeaf({ leaf, chain, at: this.clock.now() });
    assertClientAuth(leaf);
    return this.records.put(input.name, (current) => {
      if (current.state !== 'pending') throw new RolecallError('CERTIFICATE_NOT_PENDING', input.name);
      return {
        ...current,
        state: 'issued',
        certificatePem: leaf.toPem(),
        chainPem: chain.map((certificate) => certificate.toPem()),
        issuedBy: input.issuedBy ?? { kind: 'external' },
        issuedAt: new Date(this.clock.now()).toISOString(),
      };
    });
  }

  /** Deletes the request and its key (keychain item first, so a locked keychain changes nothing); a key file is left alone. */
  async remove(name: string): Promise<CertificateRecord> {
    const record = await this.records.require(name);
    if (record.key.kind === 'keychain') await this.secrets.delete(record.key.account);
    await this.records.remove(name);
    return record;
  }

  /** What a profile draft is made from: the issued certificate, its chain and the key. */
  async credentials(name: string): Promise<Credentials> {
    const record = await this.records.require(name);
    if (record.state !== 'issued' || record.certificatePem === undefined) throw new RolecallError('CERTIFICATE_NOT_ISSUED', name);
    const [leaf] = parseCertificates(record.certificatePem);
    if (!leaf) throw new RolecallError('CERT_NOT_FOUND', `the stored certificate of ${name}`);
    const key = await this.loadKey(record);
    return {
      leaf,
      chain: (record.chainPem ?? []).flatMap((pem) => parseCertificates(pem)),
      privateKey: key.keyObject,
      keyKind: key.kind,
      keyAlgorithm: key.algorithm,
    };
  }

  private async loadKey(record: CertificateRecord): Promise<ReturnType<typeof parsePrivateKey>> {
    if (record.key.kind === 'file') return parsePrivateKey(await readInputFile(record.key.path, 'private key file'));
    const pem = await this.secrets.get(record.key.account);
    if (pem === null) throw new RolecallError('KEYCHAIN_ITEM_MISSING', `the key of certificate request ${record.name}`);
    return privateKeyFromPkcs8Pem(pem);
  }

  private async storeKey(privateKey: KeyObject, keyFile: string | undefined): Promise<KeySource> {
    const pem = privateKeyToPkcs8Pem(privateKey);
    if (keyFile !== undefined) {
      const path = resolve(keyFile);
      await writeNewPrivateFile(path, pem);
      return { kind: 'file', path };
    }
    const account = `${KEY_ACCOUNT_PREFIX}${randomUUID()}`;
    try {
      await this.secrets.set(account, pem);
    } catch (error) {
      // A split item may be half written.
      await this.secrets.delete(account).catch(() => undefined);
      throw error;
    }
    return { kind: 'keychain', account };
  }
}

/** Removes a key no record points to; a failure here must not hide the error that caused it. */
export async function forgetKey(secrets: SecretStore, key: KeySource): Promise<void> {
  if (key.kind === 'keychain') await secrets.delete(key.account).catch(() => undefined);
  else await rm(key.path, { force: true }).catch(() => undefined);
}

/** Creates the file only if it does not exist, readable by the user alone. */
async function writeNewPrivateFile(path: string, content: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RolecallError('USAGE', `${path} exists already; --key-in-file writes a new file and never replaces one`);
    throw new RolecallError('FILE_UNREADABLE', `${path} (${code ?? 'unknown error'})`, { cause: error });
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}

function assertClientAuth(leaf: Certificate): void {
  const usages = extendedKeyUsages(leaf);
  if (usages === undefined || usages.includes(CLIENT_AUTH_OID) || usages.includes(ANY_EXTENDED_KEY_USAGE)) return;
  throw new RolecallError('CERT_NO_CLIENT_AUTH', `extendedKeyUsage is ${usages.join(', ') || 'empty'}`);
}

/** Intermediates once each, without the leaf. */
function uniqueChain(certificates: readonly Certificate[], leaf: Certificate): Certificate[] {
  const chain: Certificate[] = [];
  for (const certificate of certificates) {
    if (!certificate.equals(leaf) && !chain.some((seen) => seen.equals(certificate))) chain.push(certificate);
  }
  return chain;
}

export function checkName(name: string): void {
  if (!profileNameSchema.safeParse(name).success) throw new RolecallError('CERTIFICATE_NAME_INVALID', JSON.stringify(name));
}
