// Replacing a file so that readers and a crash see either the old bytes or the new ones, never a mix:
// write a temp file in the same folder (rename is atomic only within one file system), fsync it, rename
// it over the target, then fsync the folder so the rename itself survives a power cut. A symbolic link
// is followed and stays a link (dotfile managers rely on it). node:fs only: write-file-atomic needs Node 22.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RolecallError } from '../../shared/errors';

export interface TempFileOptions {
  /** Exact permission bits, whatever the umask. */
  readonly mode: number;
  /** Owner to give the file (root writing a user's file must not leave it owned by root). */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

// Antivirus and indexers on Windows briefly hold files open, which makes rename fail with EPERM/EBUSY.
const RENAME_ATTEMPTS = process.platform === 'win32' ? 10 : 1;
const RENAME_RETRY_MS = 50;
const MAX_LINK_HOPS = 40;
// A hard link cannot be made on these file systems (FAT, some network shares): rename instead.
const NO_HARD_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'];

/** Replace (or create) `path` with `data`, mode 0600 unless told otherwise: Rolecall's files are the user's alone. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { readonly mode?: number } = {}): Promise<void> {
  const target = await followLinks(path);
  const temp = await writeTemp(target, data, { mode: options.mode ?? 0o600 });
  try {
    await moveIntoPlace(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

/** The file a path names, symbolic links followed one by one (so the last one may dangle: its target is what gets created). */
export async function followLinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINK_HOPS; hops += 1) {
    let stats;
    try {
      stats = await fs.lstat(current);
    } catch (error) {
      if (errno(error) === 'ENOENT') return current;
      throw new RolecallError('FILE_UNREADABLE', `${current} (${errno(error) ?? 'unknown error'})`, { cause: error });
    }
    if (!stats.isSymbolicLink()) return current;
    current = resolve(dirname(current), await fs.readlink(current));
  }
  throw new RolecallError('FILE_UNREADABLE', `${path}: too many symbolic links`);
}

/**
 * A whole, synced copy of `data` in a new temp file next to `target`, named so that `removeDeadWritersTemps`
 * recognises it. On failure nothing is left behind and the file system's error is thrown.
 */
export async function writeTemp(target: string, data: string | Uint8Array, options: TempFileOptions): Promise<string> {
  const temp = join(dirname(target), `${tempPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', 0o600);
    if (process.platform !== 'win32') {
      // The open mode is filtered by the umask; chmod makes it exact.
      await handle.chmod(options.mode);
      if (options.owner !== undefined) await handle.chown(options.owner.uid, options.owner.gid);
    }
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * Put a temp file in place of `target`. With `onlyIfAbsent`, a file that appeared at `target` meanwhile
 * is never overwritten and the answer is false (the temp file stays, for the caller to remove).
 */
export async function moveIntoPlace(temp: string, target: string, options: { readonly onlyIfAbsent?: boolean } = {}): Promise<boolean> {
  if (options.onlyIfAbsent === true) {
    // link() fails if the name exists, where rename would replace it.
    try {
      await fs.link(temp, target);
      await fs.rm(temp, { force: true });
      return true;
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      if (!NO_HARD_LINKS.includes(errno(error) ?? '')) throw error;
    }
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(temp, target);
      return true;
    } catch (error) {
      const transient = ['EPERM', 'EBUSY', 'EACCES'].includes(errno(error) ?? '');
      if (!transient || attempt >= RENAME_ATTEMPTS) throw error;
      await new Promise((done) => setTimeout(done, RENAME_RETRY_MS * attempt));
    }
  }
}

/** Make a rename in `folder` survive a power cut. */
export async function syncFolder(folder: string): Promise<void> {
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

/**
 * A writer killed between writing its temp file and renaming it leaves a whole copy of the file behind,
 * secrets included. Call it under the file's lock, when no live writer of ours is mid-write on `target`:
 * the temp files of processes that no longer exist go.
 */
export async function removeDeadWritersTemps(target: string): Promise<void> {
  const folder = dirname(target);
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

function tempPrefix(target: string): string {
  return `.${basename(target)}.rolecall-`;
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

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
