// A lock per profile across processes, for the one-shot `credential-process --profile` runs that happen
// without an agent: an SDK may start several at once, and without the lock each would mint. The first
// holder mints and caches; the others, once they get the lock, find the cached session.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { RolecallError } from '../../shared/errors';

export interface ProfileLockOptions {
  /** How long to wait for another process's lock (default 60 s: a mint with retries takes at most ~35 s). */
  readonly waitMs?: number;
  /** A lock whose holder stopped refreshing it this long ago is taken over (default 15 s). */
  readonly staleMs?: number;
}

const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_STALE_MS = 15_000;

/** The folder, inside Rolecall's data folder, that holds the profile locks. */
export function profileLocksDir(dataDir: string): string {
  return join(dataDir, 'locks');
}

/** Runs `fn` while holding the lock of profile `name`; STORE_BUSY when it cannot be had in time. */
export async function withProfileLock<T>(dataDir: string, name: string, fn: () => Promise<T>, options: ProfileLockOptions = {}): Promise<T> {
  const dir = profileLocksDir(dataDir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new RolecallError('STORE_UNWRITABLE', `${dir} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
  // Encoded so any profile name is one plain file name.
  const target = join(dir, `session-${encodeURIComponent(name)}`);
  const release = await acquire(target, options.waitMs ?? DEFAULT_WAIT_MS, options.staleMs ?? DEFAULT_STALE_MS);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(target: string, waitMs: number, staleMs: number): Promise<() => Promise<void>> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: `${target}.lock`,
        stale: staleMs,
        retries: 0,
        // The default throws from a timer and would crash the process; losing the lock only risks a second mint.
        onCompromised: () => undefined,
      });
      return () => release().catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new RolecallError('STORE_UNWRITABLE', `${target}.lock (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
      }
      if (performance.now() >= deadline) throw new RolecallError('STORE_BUSY', `${target}.lock is held by another process`);
      // Jitter keeps waiting processes from retrying in lockstep.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
}
