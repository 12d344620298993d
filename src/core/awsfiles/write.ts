// Reading and replacing the AWS files without ever losing a line of them.
//
// Other writers take no lock: the AWS CLI reads the file, then truncates and rewrites it in place
// (`aws configure set`), or appends a new section. What this project's tests saw on a 2-core machine:
// a reader polling during `aws configure set` gets the empty file about 100 times per rewrite, and under
// load a rewriter can sit between truncating and writing for more than 50 ms. So one update is:
//   lock (other Rolecall processes) → read bytes and stat through one handle → edit the line model →
//   check nothing foreign was lost → write a temp file in the same folder, fsync → wait until the file
//   has been still for a quiet period (`settleMs`; one second if it is empty, which is what a file
//   caught between truncation and rewrite looks like) → check the file is still the one read (inode,
//   size, mtime, ctime and bytes) → rename over it → fsync the folder → check that the replaced inode
//   was not written after the check (a writer that opened it just before the rename wrote into the
//   replaced copy: edit its result again). Any change means start over.
//
// What remains: a writer that read the file before our rename and writes after it (the AWS CLI's own
// read-modify-write) puts back what it read, dropping Rolecall's change, never a user's line; and a
// writer stalled between truncating and writing for longer than the quiet period and the whole update
// could still be read torn.
import { promises as fs, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RolecallError, type ErrorCode } from '../../shared/errors';
import { followLinks, moveIntoPlace, removeDeadWritersTemps, syncFolder, writeTemp } from '../files/atomic-replace';
import { changedSince, readSnapshot, readWhole, sameIdentity, stillTheSame, type FileSnapshot } from '../files/file-identity';
import { takeLock, type FileLock } from '../files/file-lock';
import type { Logger } from '../log/logger';
import { assertKeepsForeignLines } from './foreign-lines';
import { IniDocument } from './ini';

export interface UpdateOptions {
  /** Rounds (read, edit, check, replace) before giving up with AWS_FILE_CONFLICT. */
  readonly attempts?: number;
  /** How long a file must have been still before its bytes are trusted (see above); an empty file
   * needs at least EMPTY_SETTLE_MS. */
  readonly settleMs?: number;
  /** Line ending for new lines when the file has none to copy. */
  readonly defaultEol?: '\n' | '\r\n';
  /** Where a lock taken over or not released is reported. */
  readonly logger?: Logger;
}

const DEFAULT_ATTEMPTS = 10;
const DEFAULT_SETTLE_MS = 50;
const EMPTY_SETTLE_MS = 1000;
// Stale before a waiter gives up, so a killed writer's lock is taken over by the next one instead of
// failing it with AWS_FILE_BUSY; a live holder refreshes it every 2.5 s.
const LOCK_STALE_MS = 5_000;
const LOCK_WAIT_MS = 8_000;
// Windows may refuse to replace a file that is still open, so there the read handle is closed first
// and the check of the replaced copy is skipped.
const WATCH_REPLACED = process.platform !== 'win32';

// What this process last wrote to each file: a file still holding exactly those bytes was not torn by
// anyone, so an agent refreshing many profiles in a row need not wait `settleMs` between writes.
const lastWritten = new Map<string, { ino: bigint; bytes: Buffer }>();

/** The file as a line model; a missing file reads as empty. Unlocked: for looking, not for editing. */
export async function readAwsFile(path: string, options: { defaultEol?: '\n' | '\r\n' } = {}): Promise<IniDocument> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw fileError('FILE_UNREADABLE', path, error);
    bytes = Buffer.alloc(0);
  }
  return IniDocument.parse(bytes, options);
}

/**
 * Apply `edit` to the file and replace it safely (see the top of this file). `edit` may run more than
 * once (each round starts from a fresh read), so it must only change the document and return a value.
 * `beforeReplace` runs with that value, still under the lock, before a changed file is put in place
 * (each round that gets that far): what must be safe elsewhere before the file changes goes there.
 * A symlink is followed and stays a link; a missing file is created with mode 0600 in a folder created
 * with mode 0700; an existing file loses its group and other permission bits (it may hold secrets; see
 * file-state.ts for giving them back). The lock is proper-lockfile's `<file>.lock` folder next to the
 * real file: a crashed process leaves it behind until the next update, which takes it over once it is
 * 5 s stale, and removes the temp files such a process left (they may hold session secrets).
 */
export async function updateAwsFile<T>(path: string, edit: (doc: IniDocument) => T, options: UpdateOptions = {}, beforeReplace?: (result: T) => Promise<void>): Promise<T> {
  const target = await followLinks(path);
  const folder = dirname(target);
  try {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError('AWS_FILE_UNWRITABLE', folder, error);
  }
  const lock = await takeLock(target, {
    staleMs: LOCK_STALE_MS,
    waitMs: LOCK_WAIT_MS,
    busy: () => new RolecallError('AWS_FILE_BUSY', target),
    failed: (lockPath, cause) => fileError('AWS_FILE_UNWRITABLE', lockPath, cause),
    ...(options.logger && { logger: options.logger }),
  });
  try {
    return await updateLocked(target, edit, options, lock, beforeReplace);
  } finally {
    await lock.release();
  }
}

async function updateLocked<T>(target: string, edit: (doc: IniDocument) => T, options: UpdateOptions, lock: FileLock, beforeReplace?: (result: T) => Promise<void>): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const folder = dirname(target);
  // Set when a writer wrote into the inode our rename replaced: its result, and what we put in place.
  let orphaned: { bytes: Buffer; ours: Buffer } | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const current = await readSnapshot(target);
    try {
      const base = orphaned !== undefined && current.bytes.equals(orphaned.ours) ? orphaned.bytes : current.bytes;
      orphaned = undefined;
      const doc = IniDocument.parse(base, options.defaultEol === undefined ? {} : { defaultEol: options.defaultEol });
      const result = edit(doc);
      const output = doc.serialize();
      if (output.equals(current.bytes)) return result;
      assertKeepsForeignLines(base, output, doc.edits);
      await beforeReplace?.(result);
      if (attempt === 1) await removeDeadWritersTemps(target);
      const temp = await writeOwnTemp(target, output, current.stats);
      let replaced = false;
      try {
        const settled = await settle(target, current, settleMs);
        if (lock.compromised()) throw new RolecallError('AWS_FILE_BUSY', target);
        if (!settled || !(await stillTheSame(target, current))) continue;
        if (!WATCH_REPLACED) await current.close();
        replaced = await replace(temp, target, current.stats === null);
      } finally {
        if (!replaced) await fs.rm(temp, { force: true });
      }
      if (!replaced) continue;
      await syncFolder(folder);
      await rememberWrite(target, output);
      if (WATCH_REPLACED && current.handle !== null && (await changedSince(current))) {
        const theirs = await settledContent(current.handle, settleMs);
        // Adopt their result only if it is whole: a copy that lost one of the sections we read is a
        // writer that never finished, and what Rolecall wrote is then the better file.
        if (keepsSections(base, theirs)) {
          orphaned = { bytes: theirs, ours: output };
          continue;
        }
      }
      return result;
    } finally {
      await current.close();
    }
  }
  throw new RolecallError('AWS_FILE_CONFLICT', target);
}

/** The temp file of the new content, keeping the file's owner and owner-only permissions (see updateAwsFile). */
async function writeOwnTemp(target: string, bytes: Buffer, original: BigIntStats | null): Promise<string> {
  // Readable by its owner only while it may hold secrets: 0644 becomes 0600, 0444 becomes 0400.
  const mode = original === null ? 0o600 : Number(original.mode) & 0o700 || 0o600;
  // `sudo rolecall …` must not leave the user's file owned by root.
  const chown = original !== null && process.getuid?.() === 0 && original.uid !== 0n;
  try {
    return await writeTemp(target, bytes, { mode, ...(chown && { owner: { uid: Number(original.uid), gid: Number(original.gid) } }) });
  } catch (error) {
    throw fileError('AWS_FILE_UNWRITABLE', target, error);
  }
}

/** Wait out the quiet period; false as soon as the file changes (start over at once). */
async function settle(target: string, current: FileSnapshot, settleMs: number): Promise<boolean> {
  const read = current.stats;
  if (read === null) return true;
  const ours = lastWritten.get(target);
  if (ours !== undefined && ours.ino === read.ino && ours.bytes.equals(current.bytes)) return true;
  // Real time against the file system's clock: an injected test clock would not move the file's mtime.
  const quiet = quietPeriod(read.size, settleMs);
  const until = Date.now() + Math.min(quiet, millis(read.mtimeNs) + quiet - Date.now());
  while (Date.now() < until) {
    await sleep(Math.min(25, until - Date.now()));
    const stats = await fs.stat(target, { bigint: true }).catch(() => undefined);
    if (stats === undefined || !sameIdentity(stats, read)) return false;
  }
  return true;
}

/** Put the temp file in place. False when a new file appeared meanwhile (start over). */
async function replace(temp: string, target: string, creating: boolean): Promise<boolean> {
  try {
    // A file another tool created while this one was being written is never overwritten.
    return await moveIntoPlace(temp, target, { onlyIfAbsent: creating });
  } catch (error) {
    throw fileError('AWS_FILE_UNWRITABLE', target, error);
  }
}

async function rememberWrite(target: string, bytes: Buffer): Promise<void> {
  const stats = await fs.stat(target, { bigint: true }).catch(() => undefined);
  if (stats === undefined) lastWritten.delete(target);
  else lastWritten.set(target, { ino: stats.ino, bytes });
}

/** The replaced inode's bytes once its writer is done (still for the quiet period). */
async function settledContent(handle: FileHandle, settleMs: number): Promise<Buffer> {
  const deadline = Date.now() + 2 * EMPTY_SETTLE_MS + 20 * settleMs;
  let previous = await handle.stat({ bigint: true });
  while (Date.now() < deadline) {
    await sleep(Math.max(5, settleMs / 5));
    const stats = await handle.stat({ bigint: true });
    const still = stats.size === previous.size && stats.mtimeNs === previous.mtimeNs;
    if (still && Date.now() - millis(stats.mtimeNs) >= quietPeriod(stats.size, settleMs)) return readWhole(handle);
    previous = stats;
  }
  throw new RolecallError('AWS_FILE_CONFLICT', 'another program kept writing the file');
}

function keepsSections(base: Buffer, candidate: Buffer): boolean {
  const present = new Set(IniDocument.parse(candidate).headers());
  return IniDocument.parse(base).headers().every((header) => present.has(header));
}

function quietPeriod(size: bigint, settleMs: number): number {
  return size === 0n ? Math.max(settleMs, EMPTY_SETTLE_MS) : settleMs;
}

function millis(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function fileError(code: ErrorCode, path: string, error: unknown): RolecallError {
  return new RolecallError(code, `${path}${errno(error) ? ` (${errno(error)})` : ''}`, { cause: error });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
