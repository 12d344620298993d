// A lock across Rolecall's processes: proper-lockfile's `<path>.lock` folder, which its holder refreshes
// every half of the stale time. A process killed while holding it leaves it behind; once it has not been
// refreshed for `staleMs` the next taker takes it over, so `staleMs` must stay below the waiters' `waitMs`
// for the next process after a SIGKILL to get on instead of failing busy.
import lockfile from 'proper-lockfile';
import type { RolecallError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';

// A waiter first retries after 7.5-22.5 ms, then 20% later each time, up to 250 ms.
const FIRST_PAUSE_MS = 15;
const PAUSE_GROWTH = 1.2;
const MAX_PAUSE_MS = 250;

export interface FileLockOptions {
  /** A lock not refreshed for this long belongs to a crashed process and is taken over. */
  readonly staleMs: number;
  /** How long to wait for another process's lock before giving up with `busy`. */
  readonly waitMs: number;
  /** The error for a lock another process still holds after `waitMs`. */
  readonly busy: (lockPath: string) => RolecallError;
  /** The error for a lock that cannot be taken at all (an unwritable folder); the file system's own by default. */
  readonly failed?: (lockPath: string, cause: unknown) => RolecallError;
  readonly logger?: Logger;
}

export interface FileLock {
  /** True once another process took the lock over as stale: writing now could overwrite its change. */
  readonly compromised: () => boolean;
  /** Never throws: a lock that cannot be released is logged, and goes stale. */
  readonly release: () => Promise<void>;
}

/** Takes the lock of `path`, waiting up to `waitMs` for its holder. */
export async function takeLock(path: string, options: FileLockOptions): Promise<FileLock> {
  const lockPath = `${path}.lock`;
  const logger = options.logger ?? nullLogger;
  const deadline = performance.now() + options.waitMs;
  let compromised = false;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      const release = await lockfile.lock(path, {
        realpath: false,
        lockfilePath: lockPath,
        stale: options.staleMs,
        retries: 0,
        // The default throws from a timer and would crash the process; writers check `compromised` instead.
        onCompromised: (error) => {
          compromised = true;
          logger.warn('another process took over a lock', { path: lockPath, error });
        },
      });
      return {
        compromised: () => compromised,
        release: () => release().catch((error: unknown) => logger.warn('could not release a lock', { path: lockPath, error })),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw options.failed?.(lockPath, error) ?? error;
      if (performance.now() >= deadline) throw options.busy(lockPath);
      // Jitter keeps waiting processes from retrying in lockstep; the growing pause keeps many waiters
      // (200 profiles delivered to one credentials file at once) from busying the event loop with mkdir
      // attempts while one writer holds the lock, as the AWS files writer's own backoff did before.
      await new Promise((done) => setTimeout(done, Math.min(MAX_PAUSE_MS, pause * (0.5 + Math.random()))));
      pause = Math.min(MAX_PAUSE_MS, pause * PAUSE_GROWTH);
    }
  }
}

/** Runs `fn` while holding the lock of `path` (see `takeLock`), and releases it however `fn` ends. */
export async function withFileLock<T>(path: string, options: FileLockOptions, fn: (lock: FileLock) => Promise<T>): Promise<T> {
  const lock = await takeLock(path, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
