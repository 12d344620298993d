// The secrets scan (issue 8): after the test suites, no private key of the test PKI and no session secret
// the sandbox issued may sit in a file outside the places design.md allows. Allowed: the keychain (its
// folder is skipped), a credentials file's own `aws_secret_access_key` / `aws_session_token` lines, and
// the user's own key files (files that hold nothing but key material, outside Rolecall's data folder).
// Everything else under the scanned folders is read whole: logs, JSON stores, temp files, reports.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One distinctive slice of a secret; `what` names the secret's origin, never its value. */
export interface Needle {
  /** Exactly NEEDLE_LENGTH characters (a binary needle as latin1). */
  readonly text: string;
  /** Which secret: reported once per file however many of its forms are found. */
  readonly source: string;
  /** The encoding this slice was taken from. */
  readonly form: string;
  readonly kind: 'private-key' | 'session-secret';
}

export interface Finding {
  readonly path: string;
  readonly what: string;
}

export interface ScanResult {
  readonly files: number;
  readonly bytes: number;
  readonly secrets: number;
  readonly findings: readonly Finding[];
}

export interface ScanOptions {
  readonly roots: readonly string[];
  readonly needles: readonly Needle[];
  /** How many distinct secrets the needles stand for (for the report). */
  readonly secrets: number;
  /** Paths (files or folders) not to read: the keychain's folder, the ledger itself. */
  readonly skip?: readonly string[];
  /** Files larger than this are reported as findings of their own rather than silently skipped. */
  readonly maxFileBytes?: number;
}

export const NEEDLE_LENGTH = 24;
/**
 * A folder holding this file is the secrets scan's own test material (planted leaks): scans of a folder
 * above it skip it. Only folders below the scan's root count, so the scan's tests still see their own.
 */
export const PLANTED_MARK = '.rolecall-secrets-scan-planted';
/** Files that mark a folder as Rolecall's data folder, where no key file is ever allowed. */
const DATA_FOLDER_MARKS = ['profiles.json', 'settings.json', 'rolecall.log', 'aws-files.json'];
const CREDENTIALS_LINE = /^\s*(aws_secret_access_key|aws_session_token)\s*=\s*(\S+)\s*$/;

function slices(text: string, source: string, form: string, kind: Needle['kind'], at: readonly number[]): Needle[] {
  return at
    .map((fraction) => Math.floor((text.length - NEEDLE_LENGTH) * fraction))
    .filter((start) => start >= 0 && text.length >= NEEDLE_LENGTH)
    .map((start) => ({ text: text.slice(start, start + NEEDLE_LENGTH), source, form, kind }));
}

function keyForms(key: KeyObject): { label: string; bytes: Buffer }[] {
  const forms = [{ label: 'PKCS#8', bytes: key.export({ format: 'der', type: 'pkcs8' }) }];
  if (key.asymmetricKeyType === 'rsa') forms.push({ label: 'PKCS#1', bytes: key.export({ format: 'der', type: 'pkcs1' }) });
  if (key.asymmetricKeyType === 'ec') forms.push({ label: 'SEC1', bytes: key.export({ format: 'der', type: 'sec1' }) });
  return forms;
}

/** The private value itself (RSA's d, EC's d, Ed25519's seed), whatever encoding wraps it. */
function privateScalar(key: KeyObject): Buffer | undefined {
  try {
    const jwk = key.export({ format: 'jwk' });
    return typeof jwk.d === 'string' ? Buffer.from(jwk.d, 'base64url') : undefined;
  } catch {
    return undefined;
  }
}

function readPrivateKey(bytes: Buffer): KeyObject | undefined {
  const attempts = [() => createPrivateKey(bytes), ...(['pkcs8', 'pkcs1', 'sec1'] as const).map((type) => () => createPrivateKey({ key: bytes, format: 'der', type }))];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // Not this form (or encrypted: its plain twin is in the folder too).
    }
  }
  return undefined;
}

/** Needles for every unencrypted private key in the folder: base64 of each DER form, hex and raw bytes of the private value. */
export async function privateKeyNeedles(pkiDir: string): Promise<{ needles: Needle[]; keys: number }> {
  const needles: Needle[] = [];
  const seen = new Set<string>();
  let keys = 0;
  for (const file of (await readdir(pkiDir)).sort()) {
    if (!/key/.test(file) || /encrypted|\.p12$/.test(file)) continue;
    const key = readPrivateKey(await readFile(join(pkiDir, file)));
    if (!key) continue;
    const id = key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    if (seen.has(id)) continue;
    seen.add(id);
    const what = `private key of tests/fixtures/pki/${file}`;
    const scalar = privateScalar(key);
    if (scalar) {
      keys += 1;
      // Only the private value's stretch of each encoding: the rest (RSA's modulus, an EC key's public
      // point) is also in the certificate, which may be anywhere.
      for (const form of keyForms(key)) {
        const at = form.bytes.indexOf(scalar);
        if (at < 0) continue;
        const base64 = form.bytes.toString('base64').slice(Math.ceil(at / 3) * 4, Math.floor((at + scalar.length) / 3) * 4);
        needles.push(...slices(base64, what, `${form.label}, base64`, 'private-key', [0, 1]));
      }
      const hex = scalar.toString('hex');
      needles.push(...slices(hex, what, 'private value, hex', 'private-key', [0.5]));
      needles.push(...slices(hex.toUpperCase(), what, 'private value, upper-case hex', 'private-key', [0.5]));
      needles.push(...slices(scalar.toString('base64url'), what, 'private value, base64url', 'private-key', [0.5]));
      needles.push(...slices(scalar.toString('latin1'), what, 'private value, raw bytes', 'private-key', [0.5]));
    }
  }
  return { needles, keys };
}

/** Needles for the secrets in the sandbox's ledger (one secret access key or session token a line). */
export async function ledgerNeedles(ledgerFile: string): Promise<{ needles: Needle[]; secrets: number }> {
  let text: string;
  try {
    text = await readFile(ledgerFile, 'utf8');
  } catch {
    return { needles: [], secrets: 0 };
  }
  const secrets = [...new Set(text.split('\n').filter((line) => line.length >= NEEDLE_LENGTH))];
  return { needles: sessionSecretNeedles(secrets), secrets: secrets.length };
}

/** Needles for issued secret access keys and session tokens. */
export function sessionSecretNeedles(secrets: readonly string[]): Needle[] {
  return secrets.flatMap((secret, index) =>
    // Tokens share a fixed prefix: look past it, at the start and in the middle of the random part.
    secret.startsWith('IQoJb3JpZ2luX2VjE')
      ? slices(secret.slice(17), `session token #${index + 1} the sandbox issued`, 'as issued', 'session-secret', [0, 0.5])
      : slices(secret, `secret access key #${index + 1} the sandbox issued`, 'as issued', 'session-secret', [0, 1]),
  );
}

/** Whole-file key material: PEM blocks only, or a binary key/PKCS#12 file: the user's own key file. */
function isKeyFile(path: string, bytes: Buffer): boolean {
  if (/\.(der|p12|pfx|key)$/i.test(path)) return true;
  const text = bytes.toString('latin1').trim();
  return /^(-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----\s*)+$/.test(text.replace(/^(Bag Attributes|Key Attributes|\s+\S).*$/gm, '').trim());
}

/** A credentials file's own secret line (the agent's `file` delivery, or a temp file on its way there). */
function onCredentialsLine(haystack: string, index: number): boolean {
  const start = haystack.lastIndexOf('\n', index) + 1;
  const end = haystack.indexOf('\n', index);
  return CREDENTIALS_LINE.test(haystack.slice(start, end < 0 ? undefined : end).replace(/\r$/, ''));
}

/** Line breaks and JSON/PEM escapes removed, so base64 wrapped across lines is found too. */
function unwrapped(haystack: string): string {
  return haystack.replace(/\\r|\\n|[\r\n\t ]/g, '');
}

/** Whether a folder between the file and the filesystem root holds Rolecall's data (its store, settings or log). */
function inDataFolder(path: string, marks: Map<string, boolean>): boolean {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    let marked = marks.get(folder);
    if (marked === undefined) {
      marked = DATA_FOLDER_MARKS.some((mark) => existsSync(join(folder, mark)));
      marks.set(folder, marked);
    }
    if (marked) return true;
    if (dirname(folder) === folder) return false;
  }
}

async function* filesUnder(root: string, skip: ReadonlySet<string>): AsyncGenerator<string> {
  if (skip.has(root)) return;
  const info = await lstat(root).catch(() => undefined);
  if (!info) return;
  if (info.isFile()) {
    yield root;
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const entry of entries.sort()) yield* filesUnder(join(root, entry), skip);
}

/** Checks files one at a time; keeps counts and findings (one per file and secret). */
export class SecretsScanner {
  readonly #byText = new Map<string, Needle>();
  readonly #marks = new Map<string, boolean>();
  readonly #maxBytes: number;
  readonly findings: Finding[] = [];
  files = 0;
  bytes = 0;

  readonly #root: string;
  readonly #planted = new Map<string, boolean>();

  /** `root`: the folder scanned (planted-leak folders are looked for below it). */
  constructor(needles: readonly Needle[], root: string, maxFileBytes = 64 * 1024 * 1024) {
    this.add(needles);
    this.#root = root;
    this.#maxBytes = maxFileBytes;
  }

  #isPlanted(path: string): boolean {
    for (let folder = dirname(path); folder.startsWith(`${this.#root}/`); folder = dirname(folder)) {
      let planted = this.#planted.get(folder);
      if (planted === undefined) {
        planted = existsSync(join(folder, PLANTED_MARK));
        this.#planted.set(folder, planted);
      }
      if (planted) return true;
    }
    return false;
  }

  add(needles: readonly Needle[]): void {
    for (const needle of needles) this.#byText.set(needle.text, needle);
  }

  async check(path: string): Promise<void> {
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile() || this.#isPlanted(path)) return;
    if (info.size > this.#maxBytes) {
      this.findings.push({ path, what: `a file of ${info.size} bytes, too large to scan` });
      return;
    }
    // The folder's standing is taken before reading: a test may delete it while the read runs, and a
    // folder gone can no longer show it is not Rolecall's data folder (no allowance when it is gone already).
    const outsideData = existsSync(dirname(path)) && !inDataFolder(path, this.#marks);
    const content = await readFile(path).catch(() => undefined);
    if (!content) return;
    this.files += 1;
    this.bytes += content.length;
    const keyFileAllowed = outsideData && isKeyFile(basename(path), content);
    const raw = content.toString('latin1');
    const found = new Set<string>();
    const look = (haystack: string, kinds: ReadonlySet<Needle['kind']>, credentialsLinesAllowed: boolean) => {
      for (let i = 0; i + NEEDLE_LENGTH <= haystack.length; i += 1) {
        const needle = this.#byText.get(haystack.slice(i, i + NEEDLE_LENGTH));
        if (!needle || !kinds.has(needle.kind) || found.has(needle.source)) continue;
        if (needle.kind === 'private-key' && keyFileAllowed) continue;
        if (needle.kind === 'session-secret' && credentialsLinesAllowed && onCredentialsLine(haystack, i)) continue;
        found.add(needle.source);
        this.findings.push({ path, what: `${needle.source} (${needle.form})` });
      }
    };
    look(raw, new Set(['private-key', 'session-secret']), outsideData);
    look(unwrapped(raw), new Set(['private-key']), false);
  }
}

export async function scanForSecrets(options: ScanOptions): Promise<ScanResult> {
  const skip = new Set(options.skip ?? []);
  const result = { files: 0, bytes: 0, secrets: options.secrets, findings: [] as Finding[] };
  for (const root of options.roots) {
    const scanner = new SecretsScanner(options.needles, root, options.maxFileBytes);
    for await (const path of filesUnder(root, skip)) await scanner.check(path);
    result.files += scanner.files;
    result.bytes += scanner.bytes;
    result.findings.push(...scanner.findings);
  }
  return result;
}
