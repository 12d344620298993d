// The agent renews the certificates a Rolecall CA issued before they end, on the clock it was given (a
// test's virtual clock drives it). A renewal has two steps, each safe to repeat:
//   1. the request gets a new certificate from its CA (same subject and SANs, same validity), with a
//      new key unless the settings say to keep it;
//   2. every profile made from that request switches to it; an active profile mints a session with it
//      at once, and only then is the profile's old key deleted. Until then the old key and certificate
//      stay, so the session never lapses and a failed switch goes back to what worked.
// A step that fails midway removes what it made (new keychain items) and leaves the records as they were.
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { isRolecallError, RolecallError, toErrorInfo } from '../../shared/errors';
import type { CertificateRenewalView } from '../../shared/model';
import { createCsr } from '../certificates/csr';
import { samePublicKey } from '../certificates/fingerprint';
import { generateKeyOfType } from '../certificates/key-types';
import type { CertificateManager } from '../certificates/manager';
import type { CertificateRecord } from '../certificates/records';
import { parseSan } from '../certificates/subject-alternative-names';
import { parseSubject } from '../certificates/subject';
import type { Logger } from '../log';
import { parseCertificates, privateKeyFromPkcs8Pem, privateKeyToPkcs8Pem, type Certificate, type Credentials } from '../pki';
import type { Clock, TimerHandle } from '../platform/clock';
import type { KeySource, ProfileDefinition } from '../profiles/definition';
import type { ProfileRepository } from '../profiles/repository';
import type { SecretStore } from '../secrets';
import { BACKDATE_MS } from './ca-certificate';
import { issueFromCsr } from './issue';
import type { CaRecords } from './records';

/** Where a request's or a profile's key rests. */
type StoredKey = CertificateRecord['key'] | ProfileDefinition['key'];

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A long certificate is renewed this long before it ends at the latest. */
const MAX_RENEWAL_LEAD_MS = 30 * DAY;
/**
 * The longest the agent sleeps between looks: `rolecall ca issue` runs in the CLI's own process and
 * the agent learns of a new certificate only by looking, and a wall-clock jump is caught within this.
 */
export const RENEWAL_CHECK_MS = HOUR;
/** A failed renewal is tried again after a tenth of the time left, within these bounds. */
const MIN_RETRY_MS = MINUTE;
const MAX_RETRY_MS = HOUR;
/** Keychain accounts as the certificate and profile managers name theirs. */
const REQUEST_KEY_PREFIX = 'certificate-key:';
const PROFILE_KEY_PREFIX = 'key:';

/**
 * When a certificate is due for renewal: once a third of its validity or 30 days remain, whichever is
 * less. Thirty days gives a laptop that is often off (and so is its agent) a month of tries and comes
 * before the 14-day expiry warning for the default 90-day certificate; a third keeps a short
 * certificate (a day, in tests and for cautious teams) from being renewed as soon as it is issued.
 */
export function renewalDueAt(notBefore: number, notAfter: number): number {
  return notAfter - Math.min((notAfter - notBefore) / 3, MAX_RENEWAL_LEAD_MS);
}

/** The agent's sessions as the renewal needs them. */
export interface RenewalSessions {
  /** When the profile is active: mints a session with its current definition and delivers it, or throws. */
  refreshIfActive(name: string): Promise<void>;
}

export interface CertificateRenewalOptions {
  readonly certificates: CertificateManager;
  readonly cas: CaRecords;
  readonly profiles: ProfileRepository;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The setting, read at each renewal: keep the key instead of making a new one. */
  readonly sameKey: () => Promise<boolean>;
  readonly sessions: RenewalSessions;
  /** A profile now uses another certificate or key (the agent keeps its definitions in memory). */
  readonly onProfileChanged: (definition: ProfileDefinition) => void;
  readonly onRenewal: (event: CertificateRenewalView) => void;
}

export class CertificateRenewal {
  private readonly options: CertificateRenewalOptions;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** When each certificate whose renewal failed is tried again. */
  private readonly retryAt = new Map<string, number>();
  /** Failures already told, per certificate and error code, so a retry that fails alike is not told again. */
  private readonly told = new Set<string>();

  constructor(options: CertificateRenewalOptions) {
    this.options = options;
  }

  /** Looks now (after start-up, a resume from sleep or a clock change), then whenever something is due. */
  recheck(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.arm(0);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private check(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.look()
      .catch((error: unknown) => {
        // The store could not be read: say so in the log and look again later.
        this.options.logger.warn('could not look for certificates to renew', { code: toErrorInfo(error).code });
        return this.options.clock.now() + MAX_RETRY_MS;
      })
      .then((nextAt) => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.arm(0);
        } else {
          this.arm(nextAt - this.options.clock.now());
        }
      });
    this.running = run;
    return run;
  }

  private arm(delayMs: number): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.closed) return;
    this.timer = this.options.clock.setTimer(Math.min(RENEWAL_CHECK_MS, Math.max(0, delayMs)), () => {
      this.timer = undefined;
      void this.check();
    });
  }

  /** Renews what is due and switches profiles that still use an older certificate; returns when to look next. */
  private async look(): Promise<number> {
    const { certificates, clock, profiles } = this.options;
    let nextAt = clock.now() + RENEWAL_CHECK_MS;
    const definitions = await profiles.list();
    for (const record of await certificates.list()) {
      if (record.state !== 'issued' || record.issuedBy?.kind !== 'rolecall-ca' || record.certificatePem === undefined) continue;
      const leaf = onlyCertificate(record.certificatePem);
      const dueAt = Math.max(renewalDueAt(leaf.notBefore.getTime(), leaf.notAfter.getTime()), this.retryAt.get(record.name) ?? 0);
      if (dueAt > clock.now()) nextAt = Math.min(nextAt, dueAt);
      try {
        const current = clock.now() >= dueAt ? await this.renew(record, leaf) : record;
        nextAt = Math.min(nextAt, await this.switchProfiles(current, record === current ? undefined : leaf));
      } catch (error) {
        const users = definitions.filter((definition) => definition.certificate === record.name).map((definition) => definition.name);
        nextAt = Math.min(nextAt, this.failed(record, leaf, error, users));
      }
    }
    return Math.max(nextAt, clock.now());
  }

  /** Step 1: a new certificate for the request from its CA. */
  private async renew(record: CertificateRecord, leaf: Certificate): Promise<CertificateRecord> {
    const { cas, certificates, secrets, clock } = this.options;
    const caName = record.issuedBy?.kind === 'rolecall-ca' ? record.issuedBy.ca : '';
    const ca = await cas.get(caName);
    if (!ca) throw new RolecallError('RENEWAL_CA_MISSING', `Rolecall CA ${caName}`);
    const caCertificate = onlyCertificate(ca.certificatePem);
    const now = clock.now();
    if (caCertificate.notAfter.getTime() <= now) throw new RolecallError('CA_EXPIRED', `Rolecall CA ${ca.name} ended ${caCertificate.notAfter.toISOString()}`);
    // The issued certificate ends with its CA: renewing would change nothing but the key.
    if (caCertificate.notAfter.getTime() <= leaf.notAfter.getTime()) throw new RolecallError('RENEWAL_CA_ENDING', `Rolecall CA ${ca.name} ends ${caCertificate.notAfter.toISOString()}`);
    const caKeyPem = await secrets.get(ca.keyAccount);
    if (caKeyPem === null) throw new RolecallError('RENEWAL_CA_KEY_MISSING', `the key of Rolecall CA ${ca.name}`);
    // A key the user keeps in a file of theirs stays theirs: Rolecall never writes a new key file unasked.
    const sameKey = record.key.kind === 'file' || (await this.options.sameKey());
    const key = sameKey ? keyPair((await certificates.credentials(record.name)).privateKey) : await generateKeyOfType(record.keyType);
    const csrPem = await createCsr({ ...key, subject: parseSubject(record.subject), sans: record.sans.map(parseSan) });
    const certificatePem = await issueFromCsr({
      csrPem,
      caCertificatePem: ca.certificatePem,
      caPrivateKey: privateKeyFromPkcs8Pem(caKeyPem).keyObject,
      days: validityDays(leaf),
      now,
    });
    const newKey: KeySource = sameKey ? record.key : await this.storeKey(REQUEST_KEY_PREFIX, key.privateKey);
    let renewed: CertificateRecord;
    try {
      renewed = await certificates.records.put(record.name, (latest) => {
        if (latest.certificatePem !== record.certificatePem || !sameKeySource(latest.key, record.key)) throw new RolecallError('CERTIFICATE_NOT_FOUND', `${record.name} changed while it was renewed`);
        return { ...latest, key: newKey, csrPem, certificatePem, chainPem: [], issuedAt: new Date(now).toISOString() };
      });
    } catch (error) {
      if (newKey !== record.key) await this.forget(newKey, record.name);
      throw error;
    }
    // Profiles hold copies of their own: nothing else uses the request's old key.
    if (newKey !== record.key) await this.forget(record.key, record.name);
    this.retryAt.delete(record.name);
    this.forgetTold(record.name);
    this.options.logger.info('certificate renewed', { certificate: record.name, ca: ca.name, newKey: !sameKey, notAfter: onlyCertificate(certificatePem).notAfter.toISOString() });
    return renewed;
  }

  /**
   * Step 2: every profile made from the request that holds an older certificate switches to the
   * request's; `previous` is set right after a renewal, for the event. Returns when to look next.
   */
  private async switchProfiles(record: CertificateRecord, previous: Certificate | undefined): Promise<number> {
    const { clock, profiles } = this.options;
    const lagging = (await profiles.list()).filter((definition) => definition.certificate === record.name && definition.certificatePem !== record.certificatePem);
    const leaf = onlyCertificate(record.certificatePem ?? '');
    const caName = record.issuedBy?.kind === 'rolecall-ca' ? record.issuedBy.ca : '';
    const switched: string[] = [];
    let newKey = false;
    let nextAt = Number.POSITIVE_INFINITY;
    if (lagging.length > 0) {
      const credentials = await this.options.certificates.credentials(record.name);
      for (const definition of lagging) {
        try {
          newKey = (await this.switchProfile(definition, credentials)) || newKey;
          switched.push(definition.name);
        } catch (error) {
          const retry = this.failed(record, leaf, error, [definition.name]);
          nextAt = Math.min(nextAt, retry);
        }
      }
      if (switched.length === lagging.length) {
        this.retryAt.delete(record.name);
        this.forgetTold(record.name);
      }
    }
    // Said once for the renewal, and again for profiles that could switch only on a later try.
    if (previous !== undefined || switched.length > 0) {
      this.options.onRenewal({
        certificate: record.name,
        ca: caName,
        outcome: 'renewed',
        at: new Date(clock.now()).toISOString(),
        notAfter: leaf.notAfter.toISOString(),
        newKey: previous === undefined ? newKey : !samePublicKey(previous.publicKey, leaf.publicKey),
        profiles: switched,
      });
    }
    return nextAt;
  }

  /** Returns whether the profile got a new key. */
  private async switchProfile(definition: ProfileDefinition, credentials: Credentials): Promise<boolean> {
    const { profiles, sessions, clock, logger } = this.options;
    const old = onlyCertificate(definition.certificatePem);
    const keepKey = samePublicKey(old.publicKey, credentials.leaf.publicKey);
    if (!keepKey && definition.key.kind !== 'keychain') throw new RolecallError('KEY_FILE_UNKNOWN', `profile ${definition.name} keeps its key outside the keychain`);
    const key: StoredKey = keepKey ? definition.key : await this.storeKey(PROFILE_KEY_PREFIX, credentials.privateKey);
    const unchanged = (latest: ProfileDefinition) => latest.certificatePem === definition.certificatePem && sameKeySource(latest.key, definition.key);
    let current: ProfileDefinition;
    try {
      current = await profiles.put(definition.name, (latest) => {
        if (!unchanged(latest)) throw new RolecallError('PROFILE_NOT_FOUND', `${definition.name} changed while its certificate was renewed`);
        return {
          ...latest,
          certificatePem: credentials.leaf.toPem(),
          chainPem: credentials.chain.map((certificate) => certificate.toPem()),
          key,
          updatedAt: new Date(clock.now()).toISOString(),
        };
      });
    } catch (error) {
      if (key !== definition.key) await this.forget(key, definition.name);
      throw error;
    }
    this.options.onProfileChanged(current);
    try {
      await sessions.refreshIfActive(definition.name);
    } catch (error) {
      // The old certificate still works: go back to it, and to its key, until the next try. One that
      // has ended is no way back.
      if (old.notAfter.getTime() > clock.now()) {
        await this.revert(current, definition, key);
        throw error;
      }
      logger.warn('the renewed certificate did not mint a session; the old one has ended, so it stays', { profile: definition.name, code: toErrorInfo(error).code });
    }
    if (key !== definition.key) await this.forget(definition.key, definition.name);
    logger.info('profile switched to a renewed certificate', { profile: definition.name, certificate: definition.certificate, newKey: !keepKey });
    return !keepKey;
  }

  private async revert(switched: ProfileDefinition, before: ProfileDefinition, key: StoredKey): Promise<void> {
    const reverted = await this.options.profiles.put(switched.name, (latest) =>
      latest.certificatePem === switched.certificatePem && sameKeySource(latest.key, key)
        ? { ...latest, certificatePem: before.certificatePem, chainPem: before.chainPem, key: before.key, updatedAt: new Date(this.options.clock.now()).toISOString() }
        : latest,
    );
    if (key !== before.key && sameKeySource(reverted.key, before.key)) await this.forget(key, switched.name);
    this.options.onProfileChanged(reverted);
  }

  /** Tells a failure once per certificate and code; returns when to try again. */
  private failed(record: CertificateRecord, leaf: Certificate, error: unknown, profiles?: readonly string[]): number {
    const { clock, logger, onRenewal } = this.options;
    const now = clock.now();
    const problem = toErrorInfo(error);
    if (!isRolecallError(error)) logger.error('certificate renewal failed unexpectedly', { certificate: record.name, error: String(error) });
    const retryAt = now + Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, (leaf.notAfter.getTime() - now) / 10));
    this.retryAt.set(record.name, retryAt);
    const told = `${record.name}\n${problem.code}`;
    logger.warn('could not renew a certificate', { certificate: record.name, code: problem.code, detail: problem.detail, retryAt: new Date(retryAt).toISOString() });
    if (this.told.has(told)) return retryAt;
    this.told.add(told);
    onRenewal({
      certificate: record.name,
      ca: record.issuedBy?.kind === 'rolecall-ca' ? record.issuedBy.ca : '',
      outcome: 'failed',
      at: new Date(now).toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      profiles: profiles ?? [],
      problem,
    });
    return retryAt;
  }

  private forgetTold(name: string): void {
    for (const told of this.told) if (told.startsWith(`${name}\n`)) this.told.delete(told);
  }

  private async storeKey(prefix: string, privateKey: KeyObject): Promise<KeySource> {
    const account = `${prefix}${randomUUID()}`;
    try {
      await this.options.secrets.set(account, privateKeyToPkcs8Pem(privateKey));
    } catch (error) {
      // A split item may be half written.
      await this.options.secrets.delete(account).catch(() => undefined);
      throw error;
    }
    return { kind: 'keychain', account };
  }

  /** Deletes a keychain item nothing points to any more; a failure is logged, never thrown over the real outcome. */
  private async forget(key: StoredKey, owner: string): Promise<void> {
    if (key.kind !== 'keychain') return;
    try {
      await this.options.secrets.delete(key.account);
    } catch (error) {
      this.options.logger.warn('could not delete a keychain item no longer used', { owner, account: key.account, code: toErrorInfo(error).code });
    }
  }
}

/** The validity the user chose when the certificate was issued, in whole days (at least one). */
function validityDays(leaf: Certificate): number {
  return Math.max(1, Math.round((leaf.notAfter.getTime() - leaf.notBefore.getTime() - BACKDATE_MS) / DAY));
}

function keyPair(privateKey: KeyObject): { privateKey: KeyObject; publicKey: KeyObject } {
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function sameKeySource(a: StoredKey, b: StoredKey): boolean {
  return isDeepStrictEqual(a, b);
}

function onlyCertificate(pem: string): Certificate {
  const [certificate] = parseCertificates(pem);
  if (!certificate) throw new RolecallError('CERT_NOT_FOUND', 'a stored certificate');
  return certificate;
}
