// The one lock wrapper over proper-lockfile: real lock folders in a temp folder.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeLock, withFileLock, type FileLockOptions } from '../../../src/core/files/file-lock';
import { createMemoryLogger, type MemoryLogger } from '../../../src/core/log/memory-logger';
import { RolecallError } from '../../../src/shared/errors';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('file locks', () => {
  let dir: string;
  let path: string;
  let logger: MemoryLogger;
  const options = (overrides: Partial<FileLockOptions> = {}): FileLockOptions => ({
    staleMs: 5_000,
    waitMs: 8_000,
    busy: (lockPath) => new RolecallError('STORE_BUSY', `${lockPath} is held by another process`),
    logger,
    ...overrides,
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-lock-'));
    path = join(dir, 'doc.json');
    logger = createMemoryLogger();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lets one holder in at a time, and the next one in as soon as it releases', async () => {
    const order: string[] = [];
    const holder = (name: string, ms: number) =>
      withFileLock(path, options(), async () => {
        order.push(`${name} in`);
        await sleep(ms);
        order.push(`${name} out`);
      });
    await Promise.all([holder('a', 200), sleep(20).then(() => holder('b', 0))]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives up with the caller\'s busy error when the holder keeps the lock past the wait', async () => {
    const held = await takeLock(path, options());
    try {
      const started = performance.now();
      await expect(takeLock(path, options({ waitMs: 200 }))).rejects.toMatchObject({ code: 'STORE_BUSY', detail: `${path}.lock is held by another process` });
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      await held.release();
    }
  });

  it('takes over the lock of a process that crashed holding it, once it is stale', async () => {
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    const result = await withFileLock(path, options({ waitMs: 500 }), async (lock) => (lock.compromised() ? 'compromised' : 'held'));
    expect(result).toBe('held');
    expect(await readdir(dir)).toEqual([]);
  });

  it('answers the caller\'s failure error for a lock that cannot be made, without waiting', async () => {
    const started = performance.now();
    const failed = (lockPath: string, cause: unknown) => new RolecallError('STORE_UNWRITABLE', `${lockPath} (${(cause as NodeJS.ErrnoException).code})`);
    await expect(takeLock(join(dir, 'missing', 'doc.json'), options({ failed }))).rejects.toMatchObject({ code: 'STORE_UNWRITABLE', detail: `${join(dir, 'missing', 'doc.json')}.lock (ENOENT)` });
    await expect(takeLock(join(dir, 'missing', 'doc.json'), options())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('flags and logs a lock another process took over, and logs its failed release', async () => {
    // The shortest stale time proper-lockfile allows: the holder checks its lock every second.
    const lock = await takeLock(path, options({ staleMs: 2_000 }));
    expect(lock.compromised()).toBe(false);
    // What a takeover looks like to the holder: the lock's mtime is no longer the one it set.
    const other = new Date(Date.now() + 10_000);
    await utimes(`${path}.lock`, other, other);
    for (let waited = 0; !lock.compromised() && waited < 3_000; waited += 50) await sleep(50);
    expect(lock.compromised()).toBe(true);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'another process took over a lock', fields: expect.objectContaining({ path: `${path}.lock` }) }));
    await expect(lock.release()).resolves.toBeUndefined();
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'could not release a lock' }));
  });

  it('logs a lock it cannot release instead of throwing or dropping the error', async () => {
    const lock = await takeLock(path, options());
    // Something else in the lock folder keeps it from being removed.
    await writeFile(join(`${path}.lock`, 'intruder'), '');
    await expect(lock.release()).resolves.toBeUndefined();
    const entry = logger.entries.find((candidate) => candidate.message === 'could not release a lock');
    expect(entry).toMatchObject({ level: 'warn', fields: { path: `${path}.lock` } });
    expect(JSON.stringify(entry?.fields)).toContain('ENOTEMPTY');
  });

  it('releases the lock when the work throws, and passes the error on', async () => {
    await expect(withFileLock(path, options(), async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await readdir(dir)).toEqual([]);
    await expect(withFileLock(path, options({ waitMs: 100 }), async () => 42)).resolves.toBe(42);
  });
});
