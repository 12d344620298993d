// Certificates and keys picked for a new or edited profile, parsed and held in the agent's memory under
// a random id until the profile is saved (or ten minutes pass). Clients only ever see a DraftView:
// summaries and problems, never key bytes. An encrypted key or PKCS#12 file is not an error here but a
// draft waiting for its passphrase, so the UI can ask for it next to what it already shows.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { EXPIRY_WARNING_OPENING } from '../../shared/certificate-expiry';
import { RolecallError, isRolecallError } from '../../shared/errors';
import type { CertificateSummary, DraftView } from '../../shared/model';
import { EXPIRY_WARNING_DAYS, daysUntilExpiry, describeCertificate, expiresWithin, isPkcs12, leafProblems, loadCredentials, parseCertificates, readInputFile, type Certificate, type Credentials } from '../pki';
import type { Clock } from '../platform/clock';

export interface DraftSources {
  readonly certificatePath: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
  readonly passphrase?: string;
}

/** The parts of a stored profile a key is checked against. */
export interface KeyOwner {
  readonly name: string;
  readonly certificatePem: string;
  readonly chainPem: readonly string[];
  /** The `rolecall certificate` request the certificate was issued for, kept with the new key. */
  readonly certificate?: string | undefined;
}

/** What a profile is made from; stays inside the agent. */
export interface DraftMaterial {
  readonly credentials: Credentials;
  /** The file holding the key (the certificate file for PKCS#12 and combined PEM), absolute; none for a key already in the keychain. */
  readonly keyPath: string | undefined;
  /** The key file needed a passphrase, so it cannot be read again at each signing. */
  readonly encrypted: boolean;
  readonly sourceFiles: readonly string[];
  /** The `rolecall certificate` request it was issued for, when it came from one. */
  readonly certificateName?: string;
}

export interface DraftRegistryOptions {
  readonly clock: Clock;
  /** How long a draft lives after it was last opened or unlocked. */
  readonly ttlMs?: number;
  /** Oldest drafts are dropped beyond this many, so a chatty client cannot fill the agent's memory. */
  readonly maxDrafts?: number;
}

export const DRAFT_TTL_MS = 10 * 60 * 1000;
const DEFAULT_MAX_DRAFTS = 32;

interface FileBytes {
  readonly certificate: Buffer;
  readonly privateKey?: Buffer;
  readonly intermediates?: Buffer;
}

interface Draft {
  readonly id: string;
  readonly sourceFiles: readonly string[];
  readonly keyPath: string | undefined;
  readonly certificateName?: string;
  encrypted: boolean;
  /** Kept only while locked: unlocking parses them again with the passphrase. */
  bytes: FileBytes | undefined;
  credentials: Credentials | undefined;
  /** While locked: the certificate as far as it can be read without the key (not from PKCS#12). */
  preview: Certificate | undefined;
  expiresAt: number;
}

export class DraftRegistry {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxDrafts: number;
  private readonly drafts = new Map<string, Draft>();

  constructor(options: DraftRegistryOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DRAFT_TTL_MS;
    this.maxDrafts = options.maxDrafts ?? DEFAULT_MAX_DRAFTS;
  }

  /** Reads the files into a new draft. Unreadable files and a wrong given passphrase are errors. */
  async open(sources: DraftSources): Promise<DraftView> {
    // The agent's working folder is not the caller's: only absolute paths mean the same to both.
    const certificatePath = resolve(sources.certificatePath);
    const privateKeyPath = sources.privateKeyPath === undefined ? undefined : resolve(sources.privateKeyPath);
    const intermediatesPath = sources.intermediatesPath === undefined ? undefined : resolve(sources.intermediatesPath);
    const bytes: FileBytes = {
      certificate: await readInputFile(certificatePath, 'certificate file'),
      ...(privateKeyPath !== undefined && { privateKey: await readInputFile(privateKeyPath, 'private key file') }),
      ...(intermediatesPath !== undefined && { intermediates: await readInputFile(intermediatesPath, 'intermediates file') }),
    };
    const sourceFiles = [certificatePath, privateKeyPath, intermediatesPath].filter((path): path is string => path !== undefined);
    return this.openBytes(bytes, { sourceFiles, keyPath: privateKeyPath ?? certificatePath }, sources.passphrase);
  }

  /**
   * A draft of a profile's own certificate and chain with its key read again from `privateKeyPath` (the
   * keychain lost it, or the user moves it): KEY_CERT_MISMATCH unless the key is the certificate's.
   */
  async openKeyFor(profile: KeyOwner, privateKeyPath: string, passphrase?: string): Promise<DraftView> {
    const keyPath = resolve(privateKeyPath);
    const bytes: FileBytes = {
      certificate: Buffer.from(profile.certificatePem),
      privateKey: await readInputFile(keyPath, 'private key file'),
      ...(profile.chainPem.length > 0 && { intermediates: Buffer.from(profile.chainPem.join('\n')) }),
    };
    try {
      return this.openBytes(bytes, { sourceFiles: [keyPath], keyPath, ...(profile.certificate !== undefined && { certificateName: profile.certificate }) }, passphrase);
    } catch (error) {
      if (isRolecallError(error) && error.code === 'KEY_CERT_MISMATCH') throw new RolecallError('KEY_CERT_MISMATCH', `${keyPath} is not the key of the certificate of profile ${profile.name}`);
      throw error;
    }
  }

  private openBytes(bytes: FileBytes, source: { readonly sourceFiles: readonly string[]; readonly keyPath: string; readonly certificateName?: string }, passphrase: string | undefined): DraftView {
    const draft: Draft = {
      id: randomUUID(),
      sourceFiles: source.sourceFiles,
      keyPath: source.keyPath,
      ...(source.certificateName !== undefined && { certificateName: source.certificateName }),
      encrypted: false,
      bytes,
      credentials: undefined,
      preview: undefined,
      expiresAt: 0,
    };
    // First without the passphrase: that tells whether the key is encrypted, which decides whether it
    // may stay in its file.
    const plain = attemptLoad(bytes, undefined);
    if (plain) {
      this.unlocked(draft, plain);
    } else {
      draft.encrypted = true;
      if (passphrase !== undefined) this.unlocked(draft, loadWith(bytes, passphrase));
      else draft.preview = previewCertificate(bytes.certificate);
    }
    this.keep(draft);
    return this.view(draft);
  }

  /**
   * A draft from credentials already loaded (an issued certificate request's, from the keychain or the
   * user's key file); `keyPath` names that file when there is one, so the profile may keep using it.
   */
  adopt(credentials: Credentials, source: { readonly certificateName: string; readonly keyPath?: string }): DraftView {
    const draft: Draft = {
      id: randomUUID(),
      sourceFiles: source.keyPath === undefined ? [] : [source.keyPath],
      keyPath: source.keyPath,
      certificateName: source.certificateName,
      encrypted: false,
      bytes: undefined,
      credentials,
      preview: undefined,
      expiresAt: 0,
    };
    this.keep(draft);
    return this.view(draft);
  }

  /** Completes a locked draft; a wrong passphrase is the pki error and the draft stays for another try. */
  unlock(draftId: string, passphrase: string): DraftView {
    const draft = this.find(draftId);
    if (draft.credentials === undefined && draft.bytes !== undefined) this.unlocked(draft, loadWith(draft.bytes, passphrase));
    this.touch(draft);
    return this.view(draft);
  }

  /** The draft's view again (summaries only). */
  describe(draftId: string): DraftView {
    return this.view(this.find(draftId));
  }

  /** What a profile is built from: DRAFT_NOT_FOUND when gone, DRAFT_LOCKED while it waits for a passphrase. */
  material(draftId: string): DraftMaterial {
    const draft = this.find(draftId);
    if (draft.credentials === undefined) throw new RolecallError('DRAFT_LOCKED');
    return {
      credentials: draft.credentials,
      keyPath: draft.keyPath,
      encrypted: draft.encrypted,
      sourceFiles: draft.sourceFiles,
      ...(draft.certificateName !== undefined && { certificateName: draft.certificateName }),
    };
  }

  /** Forgets a draft (once its profile is saved). */
  discard(draftId: string): void {
    this.drafts.delete(draftId);
  }

  get size(): number {
    this.sweep();
    return this.drafts.size;
  }

  private unlocked(draft: Draft, credentials: Credentials): void {
    draft.credentials = credentials;
    draft.bytes = undefined;
    draft.preview = undefined;
  }

  private keep(draft: Draft): void {
    this.sweep();
    this.touch(draft);
    this.drafts.set(draft.id, draft);
    // Map order is insertion order: the first entries are the oldest.
    for (const id of this.drafts.keys()) {
      if (this.drafts.size <= this.maxDrafts) break;
      this.drafts.delete(id);
    }
  }

  private touch(draft: Draft): void {
    draft.expiresAt = this.clock.monotonic() + this.ttlMs;
  }

  private find(draftId: string): Draft {
    this.sweep();
    const draft = this.drafts.get(draftId);
    if (!draft) throw new RolecallError('DRAFT_NOT_FOUND');
    return draft;
  }

  private sweep(): void {
    const now = this.clock.monotonic();
    for (const [id, draft] of this.drafts) {
      if (draft.expiresAt <= now) this.drafts.delete(id);
    }
  }

  private view(draft: Draft): DraftView {
    const at = this.clock.now();
    const credentials = draft.credentials;
    const leaf = credentials?.leaf ?? draft.preview;
    const chain = credentials?.chain ?? [];
    const problems = leaf ? leafProblems({ leaf, chain, at, ...(credentials && { privateKey: credentials.privateKey }) }) : [];
    const warnings: string[] = [];
    if (leaf && expiresWithin(leaf, at, EXPIRY_WARNING_DAYS)) {
      warnings.push(`${EXPIRY_WARNING_OPENING} ${daysLeft(leaf, at)} (${leaf.notAfter.toISOString()}); ask your CA for a new one soon.`);
    }
    if (draft.encrypted) warnings.push('The key file is encrypted, so the key can only be kept in the keychain.');
    const summary: CertificateSummary | undefined = leaf && describeCertificate(leaf);
    return {
      draftId: draft.id,
      unlocked: credentials !== undefined,
      sourceFiles: draft.sourceFiles,
      ...(summary && { certificate: summary }),
      chain: chain.map(describeCertificate),
      ...(credentials && { keyAlgorithm: credentials.keyAlgorithm }),
      problems,
      warnings,
    };
  }
}

/** Credentials, or undefined when only a passphrase is missing. */
function attemptLoad(bytes: FileBytes, passphrase: string | undefined): Credentials | undefined {
  try {
    return loadWith(bytes, passphrase);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'KEY_PASSPHRASE_REQUIRED') return undefined;
    throw error;
  }
}

function loadWith(bytes: FileBytes, passphrase: string | undefined): Credentials {
  return loadCredentials({ ...bytes, ...(passphrase !== undefined && { passphrase }) });
}

/** The first certificate of a PEM or DER file, to show while the key is locked; none from PKCS#12. */
function previewCertificate(certificate: Buffer): Certificate | undefined {
  if (isPkcs12(certificate)) return undefined;
  try {
    return parseCertificates(certificate)[0];
  } catch {
    return undefined;
  }
}

function daysLeft(certificate: Certificate, at: number): string {
  const days = daysUntilExpiry(certificate, at);
  if (days < 1) return 'less than a day';
  return days === 1 ? '1 day' : `${days} days`;
}
