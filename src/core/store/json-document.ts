// One JSON file in Rolecall's data folder, shared by the app, the agent and CLI processes. Reads need no
// lock because writes replace the file atomically; read-modify-write runs under a cross-process lock so
// two writers never lose each other's change.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { RolecallError } from '../../shared/errors';
import { writeFileAtomic } from '../files/atomic-replace';
import { withFileLock, type FileLockOptions } from '../files/file-lock';
import type { Logger } from '../log/logger';

/** Turns a document of version N (without its `schemaVersion`) into version N + 1. */
export type Migration = (previous: Record<string, unknown>) => Record<string, unknown>;

export interface JsonDocumentOptions<T extends object> {
  readonly path: string;
  /** Schema of the current version's content, without `schemaVersion`. */
  readonly schema: z.ZodType<T>;
  /** `migrations[i]` turns version i + 1 into version i + 2, so the current version is `migrations.length + 1`. */
  readonly migrations?: readonly Migration[];
  /** What `read` gives while the file does not exist yet. */
  readonly defaultValue: () => T;
  /** How long `update` waits for another process's lock before STORE_BUSY. */
  readonly lockTimeoutMs?: number;
  /** A lock not refreshed for this long belongs to a crashed process and is taken over. */
  readonly staleLockMs?: number;
  readonly logger?: Logger;
}

// A crashed holder's lock turns stale before a waiter gives up, so the next agent after a SIGKILL takes
// it over instead of answering STORE_BUSY; a live holder refreshes its lock every half of the stale time.
const DEFAULT_LOCK_TIMEOUT_MS = 8_000;
const DEFAULT_STALE_LOCK_MS = 5_000;

export class JsonDocument<T extends object> {
  readonly path: string;
  /** The `schemaVersion` this code writes. */
  readonly version: number;
  private readonly schema: z.ZodType<T>;
  private readonly migrations: readonly Migration[];
  private readonly defaultValue: () => T;
  private readonly lock: FileLockOptions;
  // Updates from this instance queue here instead of polling the file lock against each other.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: JsonDocumentOptions<T>) {
    this.path = options.path;
    this.schema = options.schema;
    this.migrations = options.migrations ?? [];
    this.version = this.migrations.length + 1;
    this.defaultValue = options.defaultValue;
    this.lock = {
      staleMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
      waitMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      busy: (lockPath) => new RolecallError('STORE_BUSY', `${lockPath} is held by another process`),
      ...(options.logger && { logger: options.logger }),
    };
  }

  /** The current content, migrated to this version; the default value when the file does not exist. */
  async read(): Promise<T> {
    return (await this.readWithForeign()).content;
  }

  /**
   * The content, and the top-level keys this version does not know (written by another version of
   * Rolecall, or by hand): an update writes them back untouched instead of dropping them.
   */
  private async readWithForeign(): Promise<{ content: T; foreign: Record<string, unknown> }> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { content: this.defaultValue(), foreign: {} };
      throw new RolecallError('FILE_UNREADABLE', `${this.path} (${code ?? 'unknown error'})`, { cause: error });
    }
    return this.decode(text);
  }

  /**
   * Reads, applies `change` and writes the result, all under the lock, and returns what was written.
   * If `change` throws, nothing is written.
   */
  update(change: (current: T) => T | Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.updateLocked(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async updateLocked(change: (current: T) => T | Promise<T>): Promise<T> {
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    return withFileLock(this.path, this.lock, async (lock) => {
      const { content, foreign } = await this.readWithForeign();
      const next = this.validateOwn(await change(content));
      // Another process took the lock over as stale; writing now could overwrite its change.
      if (lock.compromised()) throw new RolecallError('STORE_BUSY', `${this.path}: the lock was taken over during the update`);
      await writeFileAtomic(this.path, `${JSON.stringify({ schemaVersion: this.version, ...foreign, ...next }, null, 2)}\n`, { mode: 0o600 });
      return next;
    });
  }

  private decode(text: string): { content: T; foreign: Record<string, unknown> } {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new RolecallError('STORE_CORRUPT', `${this.path}: not valid JSON`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new RolecallError('STORE_CORRUPT', `${this.path}: not a JSON object`);
    }
    const { schemaVersion, ...content } = raw as Record<string, unknown>;
    if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new RolecallError('STORE_CORRUPT', `${this.path}: schemaVersion is missing or not a positive integer`);
    }
    if (schemaVersion > this.version) {
      throw new RolecallError('STORE_TOO_NEW', `${this.path} has schemaVersion ${schemaVersion}; this Rolecall reads up to ${this.version}`);
    }
    const migrated = this.migrate(content, schemaVersion);
    const parsed = this.schema.safeParse(migrated);
    if (!parsed.success) {
      throw new RolecallError('STORE_CORRUPT', `${this.path}: ${describeIssues(parsed.error)}`);
    }
    // The schema strips keys it does not know; what it stripped is kept aside for the next write.
    const known = new Set(Object.keys(parsed.data));
    const foreign = Object.fromEntries(Object.entries(migrated).filter(([key]) => !known.has(key)));
    return { content: parsed.data, foreign };
  }

  private migrate(content: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
    let doc = content;
    for (let version = fromVersion; version < this.version; version += 1) {
      const migration = this.migrations[version - 1];
      if (!migration) throw new RolecallError('INTERNAL', `no migration from schemaVersion ${version}`);
      try {
        doc = migration(doc);
      } catch (error) {
        throw new RolecallError('STORE_CORRUPT', `${this.path}: migration from schemaVersion ${version} failed`, { cause: error });
      }
    }
    return doc;
  }

  private validateOwn(value: T): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new RolecallError('INTERNAL', `refused to write an invalid ${this.path}: ${describeIssues(parsed.error)}`);
    }
    return parsed.data;
  }
}

// Paths and codes only: a message could quote a value, and values are the user's data. Custom issues
// are the store's own consistency checks, whose messages are written to be shown.
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.code === 'custom' ? issue.message : issue.code}`)
    .join('; ');
}
