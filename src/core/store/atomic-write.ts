// Replace a file so that readers and a crash see either the old bytes or the new ones, never a mix:
// write a temp file in the same folder (rename is atomic only within one file system), fsync it, rename
// it over the target, then fsync the folder so the rename itself survives a power cut.
// node:fs only: write-file-atomic needs Node 22.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permissions of the written file; 0600 because Rolecall's files are the user's alone. */
  readonly mode?: number;
}

// Antivirus and indexers on Windows briefly hold files open, which makes rename fail with EPERM/EBUSY.
const RENAME_ATTEMPTS = process.platform === 'win32' ? 10 : 1;
const RENAME_RETRY_MS = 50;

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  // Writing through a symlink keeps the link (dotfile managers rely on it) and replaces its target.
  const target = await resolveExistingLink(path);
  const folder = dirname(target);
  const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      // The open mode is filtered by the umask; chmod makes the result exactly `mode`.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

async function resolveExistingLink(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EBUSY' || code === 'EACCES';
      if (!transient || attempt >= RENAME_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_MS * attempt));
    }
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
