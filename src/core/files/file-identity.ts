// "Is this still the file I read?" for files that other programs rewrite without any lock: a snapshot
// keeps the bytes read, their stats and a handle on the inode they came from, so a writer can check
// before replacing the file that nobody changed it, and after, that nobody wrote into the replaced copy.
import { promises as fs, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { RolecallError } from '../../shared/errors';

export interface FileSnapshot {
  /** Open on the inode that was read, so its fate can be checked after it is replaced; null for a missing file. */
  readonly handle: FileHandle | null;
  readonly stats: BigIntStats | null;
  readonly bytes: Buffer;
  /** Close the handle (again: a no-op). */
  readonly close: () => Promise<void>;
}

const EMPTY = Buffer.alloc(0);

/** Bytes and stats of a regular file through one handle; a missing file reads as empty, with no stats. */
export async function readSnapshot(path: string): Promise<FileSnapshot> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (errno(error) === 'ENOENT') return { handle: null, stats: null, bytes: EMPTY, close: async () => undefined };
    throw unreadable(path, error);
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new RolecallError('FILE_UNREADABLE', `${path} is not a regular file`);
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
    throw unreadable(path, error);
  }
}

/** Whether `path` is still the file of the snapshot: same inode, size and times, and the same bytes. */
export async function stillTheSame(path: string, snapshot: FileSnapshot): Promise<boolean> {
  let stats: BigIntStats;
  try {
    stats = await fs.stat(path, { bigint: true });
  } catch (error) {
    if (errno(error) === 'ENOENT') return snapshot.stats === null;
    throw unreadable(path, error);
  }
  if (snapshot.stats === null || !sameIdentity(stats, snapshot.stats)) return false;
  // Timestamps can be as coarse as a scheduler tick; the bytes themselves settle it.
  const bytes = await fs.readFile(path).catch(() => undefined);
  return bytes !== undefined && bytes.equals(snapshot.bytes);
}

/** Whether the snapshot's inode (replaced since, but still open) was written after the snapshot. */
export async function changedSince(snapshot: FileSnapshot): Promise<boolean> {
  if (snapshot.handle === null || snapshot.stats === null) return false;
  const stats = await snapshot.handle.stat({ bigint: true });
  // ctime is left out: the rename that replaced the inode updates its ctime.
  if (stats.size !== snapshot.stats.size || stats.mtimeNs !== snapshot.stats.mtimeNs) return true;
  return !(await readWhole(snapshot.handle)).equals(snapshot.bytes);
}

/** Same inode, size, mtime and ctime. */
export function sameIdentity(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Everything an open handle's file holds now, read from its start whatever the handle's position. */
export async function readWhole(handle: FileHandle): Promise<Buffer> {
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

function unreadable(path: string, error: unknown): RolecallError {
  return new RolecallError('FILE_UNREADABLE', `${path}${errno(error) ? ` (${errno(error)})` : ''}`, { cause: error });
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
