// Rolecall's local CAs: `create` makes a CA key straight into the keychain and its self-signed
// certificate (recorded in cas.json and written to <dataDir>/cas/NAME.pem for the trust anchor);
// `issue` signs a pending request's CSR and imports the result as the request's certificate. As with
// requests, nothing half made stays: a failed step removes the key and file made before it.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RolecallError } from '../../shared/errors';
import type { CertificateManager } from '../certificates/manager';
import { checkName } from '../certificates/manager';
import { DEFAULT_KEY_TYPE, generateKeyOfType, type KeyType } from '../certificates/key-types';
import type { CertificateRecord } from '../certificates/records';
import { formatSubject, parseSubject } from '../certificates/subject';
import { writeFileAtomic } from '../files/atomic-replace';
import { privateKeyFromPkcs8Pem, privateKeyToPkcs8Pem } from '../pki/private-key';
import type { Clock } from '../platform/clock';
import type { SecretStore } from '../secrets/secret-store';
import { createCaCertificate } from './ca-certificate';
import { issueFromCsr } from './issue';
import { CaRecords, type CaRecord } from './records';

export const DEFAULT_CA_DAYS = 3650;
/** Short enough that a lost laptop's certificate ends soon; the agent's renewal (issue 10) keeps it fresh. */
export const DEFAULT_LEAF_DAYS = 90;
const MAX_CA_DAYS = 36500;
const MAX_LEAF_DAYS = 3650;
const KEY_ACCOUNT_PREFIX = 'ca-key:';

export interface CreateCaInput {
  readonly name: string;
  readonly subject: string;
  readonly days?: number;
  readonly keyType?: KeyType;
}

export interface IssueCertificateInput {
  readonly ca: string;
  /** The pending certificate request to sign. */
  readonly certificate: string;
  readonly days?: number;
}

export interface LocalCaManagerOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly certificates: CertificateManager;
}

export class LocalCaManager {
  readonly records: CaRecords;
  private readonly dataDir: string;
  private readonly secrets: SecretStore;
  private readonly clock: Clock;
  private readonly certificates: CertificateManager;

  constructor(options: LocalCaManagerOptions) {
    this.records = new CaRecords(options.dataDir);
    this.dataDir = options.dataDir;
    this.secrets = options.secrets;
    this.clock = options.clock;
    this.certificates = options.certificates;
  }

  list(): Promise<CaRecord[]> {
    return this.records.list();
  }

  get(name: string): Promise<CaRecord> {
    return this.records.require(name);
  }

  /** The CA certificate, PEM: what a trust anchor holds. */
  async certificatePem(name: string): Promise<string> {
    return (await this.records.require(name)).certificatePem;
  }

  async create(input: CreateCaInput): Promise<CaRecord> {
    checkName(input.name);
    const subject = parseSubject(input.subject);
    const days = checkDays(input.days ?? DEFAULT_CA_DAYS, MAX_CA_DAYS);
    const keyType = input.keyType ?? DEFAULT_KEY_TYPE;
    if (await this.records.get(input.name)) throw new RolecallError('CA_EXISTS', input.name);
    const now = this.clock.now();
    const { privateKey, publicKey } = await generateKeyOfType(keyType);
    const certificatePem = await createCaCertificate({ privateKey, publicKey, subject, days, now });
    const keyAccount = `${KEY_ACCOUNT_PREFIX}${randomUUID()}`;
    const certificatePath = join(this.dataDir, 'cas', `${input.name}.pem`);
    try {
      await this.secrets.set(keyAccount, privateKeyToPkcs8Pem(privateKey));
      await mkdir(dirname(certificatePath), { recursive: true, mode: 0o700 });
      await writeFileAtomic(certificatePath, certificatePem, { mode: 0o644 });
      const record: CaRecord = { name: input.name, subject: formatSubject(subject), keyType, keyAccount, certificatePem, certificatePath, createdAt: new Date(now).toISOString() };
      await this.records.add(record);
      return record;
    } catch (error) {
      await this.secrets.delete(keyAccount).catch(() => undefined);
      await rm(certificatePath, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Signs the request's CSR and imports the certificate into it (issuedBy this CA). */
  async issue(input: IssueCertificateInput): Promise<CertificateRecord> {
    const ca = await this.records.require(input.ca);
    const request = await this.certificates.get(input.certificate);
    if (request.state !== 'pending') throw new RolecallError('CERTIFICATE_NOT_PENDING', input.certificate);
    const days = checkDays(input.days ?? DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS);
    const keyPem = await this.secrets.get(ca.keyAccount);
    if (keyPem === null) throw new RolecallError('KEYCHAIN_ITEM_MISSING', `the key of Rolecall CA ${ca.name}`);
    const certificatePem = await issueFromCsr({
      csrPem: request.csrPem,
      caCertificatePem: ca.certificatePem,
      caPrivateKey: privateKeyFromPkcs8Pem(keyPem).keyObject,
      days,
      now: this.clock.now(),
    });
    return this.certificates.import({ name: input.certificate, certificate: certificatePem, issuedBy: { kind: 'rolecall-ca', ca: ca.name } });
  }

  /** Deletes the CA's key from the keychain (first, so a locked keychain changes nothing), its file and its record. */
  async remove(name: string): Promise<CaRecord> {
    const record = await this.records.require(name);
    await this.secrets.delete(record.keyAccount);
    await rm(record.certificatePath, { force: true });
    await this.records.remove(name);
    return record;
  }
}

function checkDays(days: number, max: number): number {
  if (!Number.isInteger(days) || days < 1 || days > max) throw new RolecallError('VALIDITY_INVALID', `${days} days (1 to ${max})`);
  return days;
}
