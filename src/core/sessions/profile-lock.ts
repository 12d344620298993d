// A lock per profile across processes, for the one-shot `credential-process --profile` runs that happen
// without an agent: an SDK may start several at once, and without the lock each would mint. The first
// holder mints and caches; the others, once they get the lock, find the cached session.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../../shared/errors';
import { withFileLock } from '../files/file-lock';
import type { Logger } from '../log/logger';

export interface ProfileLockOptions {
  /** How long to wait for another process's lock (default 60 s: a mint with retries takes at most ~35 s). */
  readonly waitMs?: number;
  /** A lock whose holder stopped refreshing it this long ago is taken over (default 15 s). */
  readonly staleMs?: number;
  readonly logger?: Logger;
}

const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_STALE_MS = 15_000;

/** The folder, inside Rolecall's data folder, that holds the profile locks. */
export function profileLocksDir(dataDir: string): string {
  return join(dataDir, 'locks');
}

/**
 * Runs `fn` while holding the lock of profile `name`; STORE_BUSY when it cannot be had in time. Losing
 * the lock meanwhile only risks a second mint, so `fn` runs on.
 */
export async function withProfileLock<T>(dataDir: string, name: string, fn: () => Promise<T>, options: ProfileLockOptions = {}): Promise<T> {
  const dir = profileLocksDir(dataDir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw unwritable(dir, error);
  }
  // Encoded so any profile name is one plain file name.
  const target = join(dir, `session-${encodeURIComponent(name)}`);
  const lock = {
    waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
    staleMs: options.staleMs ?? DEFAULT_STALE_MS,
    busy: (lockPath: string) => new RolecallError('STORE_BUSY', `${lockPath} is held by another process`),
    failed: unwritable,
    ...(options.logger && { logger: options.logger }),
  };
  return withFileLock(target, lock, fn);
}

function unwritable(path: string, error: unknown): RolecallError {
  return new RolecallError('STORE_UNWRITABLE', `${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
}
