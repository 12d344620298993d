// An AWS file's mode and owner, or its absence, as it was before Rolecall first wrote into it. While
// Rolecall's keys are in a file it is readable by its owner only (see write.ts); once none are, the
// file gets back exactly what it had, and a file Rolecall had to create goes again if it holds nothing.
import { promises as fs } from 'node:fs';
import { RolecallError } from '../../shared/errors';
import { followLinks } from '../files/atomic-replace';

/** The file's permission bits and owner; null when there was no file. */
export type FileState = { readonly mode: number; readonly uid: number; readonly gid: number } | null;

/** The state of the file `path` names (through symbolic links). */
export async function readFileState(path: string): Promise<FileState> {
  try {
    const stats = await fs.stat(path);
    return { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw new RolecallError('FILE_UNREADABLE', `${path} (${errno(error) ?? 'unknown error'})`, { cause: error });
  }
}

/**
 * Give the file back its earlier state: its mode, and its owner when this process may set it (root
 * working on another user's file). A file that did not exist goes if it is empty, never its folder; one
 * the user has written to since stays as it is. Only call it once no Rolecall keys are left in the file.
 */
export async function restoreFileState(path: string, before: FileState): Promise<void> {
  try {
    // The file a symbolic link names was what Rolecall created, never the user's link.
    if (before === null) await removeIfEmpty(await followLinks(path));
    else await restoreModeAndOwner(path, before);
  } catch (error) {
    if (error instanceof RolecallError) throw error;
    throw new RolecallError('AWS_FILE_UNWRITABLE', `${path} (${errno(error) ?? 'unknown error'})`, { cause: error });
  }
}

async function restoreModeAndOwner(path: string, before: NonNullable<FileState>): Promise<void> {
  const now = await readFileState(path);
  // Gone, or replaced by the user with a file of their own: nothing of Rolecall's to undo.
  if (now === null || process.platform === 'win32') return;
  if (now.mode !== before.mode) await fs.chmod(path, before.mode);
  const root = process.getuid?.() === 0;
  if (root && (now.uid !== before.uid || now.gid !== before.gid)) await fs.chown(path, before.uid, before.gid);
}

async function removeIfEmpty(path: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (errno(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if ((await handle.stat()).size !== 0) return;
    await fs.unlink(path);
    // A tool that opened the file just before the unlink and wrote after it wrote into the removed copy:
    // put those bytes back under the name (unless something new already took it).
    const late = await handle.readFile();
    if (late.length > 0) await fs.writeFile(path, late, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
