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
import { randomBytes } from 'node:crypto';
import { promises as fs, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { RolecallError, type ErrorCode } from '../../shared/errors';
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
}

interface Identity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

interface Snapshot {
  /** Open on the inode that was read, so its fate can be checked after the rename. */
  readonly handle: FileHandle | null;
  readonly stats: BigIntStats | null;
  readonly bytes: Buffer;
  /** Close the handle (again: a no-op). */
  readonly close: () => Promise<void>;
}

const DEFAULT_ATTEMPTS = 10;
const DEFAULT_SETTLE_MS = 50;
const EMPTY_SETTLE_MS = 1000;
// Shorter than a waiter's patience (takeLock retries for about 8 s), so a killed writer's lock is taken
// over by the next one instead of failing it with AWS_FILE_BUSY; a live holder refreshes it every 2.5 s.
const LOCK_STALE_MS = 5_000;
const RENAME_ATTEMPTS = process.platform === 'win32' ? 10 : 1;
// Windows may refuse to replace a file that is still open, so there the read handle is closed first
// and the check of the replaced copy is skipped.
const WATCH_REPLACED = process.platform !== 'win32';
const EMPTY = Buffer.alloc(0);

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
    bytes = EMPTY;
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
  const target = await resolveAwsFilePath(path);
  const folder = dirname(target);
  try {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError('AWS_FILE_UNWRITABLE', folder, error);
  }
  const lock = await takeLock(target);
  try {
    return await updateLocked(target, edit, options, lock, beforeReplace);
  } finally {
    await lock.release();
  }
}

interface Lock {
  readonly compromised: () => boolean;
  readonly release: () => Promise<void>;
}

async function updateLocked<T>(target: string, edit: (doc: IniDocument) => T, options: UpdateOptions, lock: Lock, beforeReplace?: (result: T) => Promise<void>): Promise<T> {
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
      if (attempt === 1) await removeDeadWritersTemps(folder, target);
      const temp = await writeTemp(folder, target, output, current.stats);
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
      if (WATCH_REPLACED && current.handle !== null && (await changedSince(current.handle, current))) {
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

/** The file an AWS file path names, symbolic links followed (the last one may dangle). */
export async function resolveAwsFilePath(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops += 1) {
    let stats;
    try {
      stats = await fs.lstat(current);
    } catch (error) {
      if (errno(error) === 'ENOENT') return current;
      throw fileError('FILE_UNREADABLE', current, error);
    }
    if (!stats.isSymbolicLink()) return current;
    current = resolve(dirname(current), await fs.readlink(current));
  }
  throw new RolecallError('FILE_UNREADABLE', `${path}: too many symbolic links`);
}

async function takeLock(target: string): Promise<Lock> {
  let compromised = false;
  try {
    const release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: `${target}.lock`,
      stale: LOCK_STALE_MS,
      retries: { retries: 40, factor: 1.2, minTimeout: 25, maxTimeout: 250 },
      // The default throws from a timer and would crash the host; the update checks this before replacing.
      onCompromised: () => {
        compromised = true;
      },
    });
    return { compromised: () => compromised, release: () => release().catch(() => undefined) };
  } catch (error) {
    if (errno(error) === 'ELOCKED') throw new RolecallError('AWS_FILE_BUSY', target, { cause: error });
    throw fileError('AWS_FILE_UNWRITABLE', `${target}.lock`, error);
  }
}

async function readSnapshot(target: string): Promise<Snapshot> {
  let handle: FileHandle;
  try {
    handle = await fs.open(target, 'r');
  } catch (error) {
    if (errno(error) === 'ENOENT') return { handle: null, stats: null, bytes: EMPTY, close: async () => undefined };
    throw fileError('FILE_UNREADABLE', target, error);
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new RolecallError('FILE_UNREADABLE', `${target} is not a regular file`);
    // A read racing a writer is caught later: the file must still hold exactly these bytes.
    let open = true;
    const close = async () => {
      if (open) await handle.close();
      open = false;
    };
    return { handle, stats, bytes: await handle.readFile(), close };
  } catch (error) {
    await handle.close();
    if (error instanceof RolecallError) throw error;
    throw fileError('FILE_UNREADABLE', target, error);
  }
}

function tempPrefix(target: string): string {
  return `.${basename(target)}.rolecall-`;
}

/**
 * A writer killed between writing its temp file and renaming it leaves a whole copy of the file behind,
 * session secrets included. Under the lock, no live writer of ours is mid-write on this file: the temp
 * files of processes that no longer exist go.
 */
async function removeDeadWritersTemps(folder: string, target: string): Promise<void> {
  const prefix = tempPrefix(target);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix))
      .filter((name) => {
        const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
        return Number.isInteger(pid) && pid !== process.pid && !processExists(pid);
      })
      .map((name) => fs.rm(join(folder, name), { force: true })),
  );
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return errno(error) !== 'ESRCH';
  }
}

async function writeTemp(folder: string, target: string, bytes: Buffer, original: BigIntStats | null): Promise<string> {
  const temp = join(folder, `${tempPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}`);
  // Readable by its owner only while it may hold secrets: 0644 becomes 0600, 0444 becomes 0400.
  const mode = original === null ? 0o600 : Number(original.mode) & 0o700 || 0o600;
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', 0o600);
    if (process.platform !== 'win32') {
      // The open mode is filtered by the umask; chmod makes it exact.
      await handle.chmod(mode);
      // `sudo rolecall …` must not leave the user's file owned by root.
      if (original !== null && process.getuid?.() === 0 && original.uid !== 0n) {
        await handle.chown(Number(original.uid), Number(original.gid));
      }
    }
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw fileError('AWS_FILE_UNWRITABLE', temp, error);
  }
}

/** Wait out the quiet period; false as soon as the file changes (start over at once). */
async function settle(target: string, current: Snapshot, settleMs: number): Promise<boolean> {
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
    if (stats === undefined || !sameIdentity(identity(stats), identity(read))) return false;
  }
  return true;
}

async function stillTheSame(target: string, current: Snapshot): Promise<boolean> {
  let stats: BigIntStats;
  try {
    stats = await fs.stat(target, { bigint: true });
  } catch (error) {
    if (errno(error) === 'ENOENT') return current.stats === null;
    throw fileError('FILE_UNREADABLE', target, error);
  }
  if (current.stats === null || !sameIdentity(identity(stats), identity(current.stats))) return false;
  // Timestamps can be as coarse as a scheduler tick; the bytes themselves settle it.
  const bytes = await fs.readFile(target).catch(() => undefined);
  return bytes !== undefined && bytes.equals(current.bytes);
}

/** Put the temp file in place. False when a new file appeared meanwhile (start over). */
async function replace(temp: string, target: string, creating: boolean): Promise<boolean> {
  if (creating) {
    // link() fails if the name exists, so a file another tool just created is never overwritten.
    try {
      await fs.link(temp, target);
      await fs.rm(temp, { force: true });
      return true;
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      // File systems without hard links (FAT, some network shares) fall back to rename.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(errno(error) ?? '')) {
        throw fileError('AWS_FILE_UNWRITABLE', target, error);
      }
    }
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(temp, target);
      return true;
    } catch (error) {
      // Antivirus and indexers on Windows hold files open for a moment; rename then fails briefly.
      const transient = ['EPERM', 'EBUSY', 'EACCES'].includes(errno(error) ?? '');
      if (!transient || attempt >= RENAME_ATTEMPTS) throw fileError('AWS_FILE_UNWRITABLE', target, error);
      await sleep(50 * attempt);
    }
  }
}

async function rememberWrite(target: string, bytes: Buffer): Promise<void> {
  const stats = await fs.stat(target, { bigint: true }).catch(() => undefined);
  if (stats === undefined) lastWritten.delete(target);
  else lastWritten.set(target, { ino: stats.ino, bytes });
}

/** Whether the inode that was read (and is now replaced) was written after it was checked. */
async function changedSince(handle: FileHandle, current: Snapshot): Promise<boolean> {
  const stats = await handle.stat({ bigint: true });
  // ctime is left out: the rename itself updates the replaced inode's ctime.
  if (current.stats === null || stats.size !== current.stats.size || stats.mtimeNs !== current.stats.mtimeNs) return true;
  return !(await readAll(handle)).equals(current.bytes);
}

/** The replaced inode's bytes once its writer is done (still for the quiet period). */
async function settledContent(handle: FileHandle, settleMs: number): Promise<Buffer> {
  const deadline = Date.now() + 2 * EMPTY_SETTLE_MS + 20 * settleMs;
  let previous = await handle.stat({ bigint: true });
  while (Date.now() < deadline) {
    await sleep(Math.max(5, settleMs / 5));
    const stats = await handle.stat({ bigint: true });
    const still = stats.size === previous.size && stats.mtimeNs === previous.mtimeNs;
    if (still && Date.now() - millis(stats.mtimeNs) >= quietPeriod(stats.size, settleMs)) return readAll(handle);
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

async function readAll(handle: FileHandle): Promise<Buffer> {
  const { size } = await handle.stat();
  const buffer = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await handle.read(buffer, offset, size - offset, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return buffer.subarray(0, offset);
}

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename is done; a file system that cannot sync folders gives no stronger guarantee.
  }
}

function identity(stats: BigIntStats): Identity {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
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
