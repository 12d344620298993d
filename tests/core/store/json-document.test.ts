import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonDocument, type Migration } from '../../../src/core/store/json-document';
import { bundleForNode } from '../../helpers/bundle-for-node';

const run = promisify(execFile);

const profilesSchema = z.object({
  profiles: z.array(z.object({ name: z.string(), region: z.string() })),
});
type Profiles = z.infer<typeof profilesSchema>;

// v1 had a single `profile` name; v2 a list of names; v3 (current) objects with a region.
const migrations: Migration[] = [
  (v1) => ({ names: typeof v1.profile === 'string' ? [v1.profile] : [] }),
  (v2) => ({ profiles: (v2.names as string[]).map((name) => ({ name, region: 'us-east-1' })) }),
];

const counterSchema = z.object({ counter: z.number().int(), writers: z.array(z.string()) });

describe('JsonDocument', () => {
  let dir: string;
  let path: string;
  const profilesDoc = (options: { lockTimeoutMs?: number } = {}) =>
    new JsonDocument<Profiles>({ path, schema: profilesSchema, migrations, defaultValue: () => ({ profiles: [] }), ...options });
  const counterDoc = (options: { lockTimeoutMs?: number; staleLockMs?: number } = {}) =>
    new JsonDocument({ path, schema: counterSchema, defaultValue: () => ({ counter: 0, writers: [] as string[] }), ...options });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-store-'));
    path = join(dir, 'profiles.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the default value while the file does not exist, without creating it', async () => {
    expect(await profilesDoc().read()).toEqual({ profiles: [] });
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes the current schemaVersion beside the content, as a 0600 file', async () => {
    const doc = profilesDoc();
    expect(doc.version).toBe(3);
    const written = await doc.update((current) => ({ profiles: [...current.profiles, { name: 'dev', region: 'eu-west-1' }] }));
    expect(written).toEqual({ profiles: [{ name: 'dev', region: 'eu-west-1' }] });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ schemaVersion: 3, profiles: [{ name: 'dev', region: 'eu-west-1' }] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await profilesDoc().read()).toEqual(written);
    expect(await readdir(dir)).toEqual(['profiles.json']);
  });

  it('creates a missing parent folder as 0700', async () => {
    path = join(dir, 'Rolecall', 'profiles.json');
    await profilesDoc().update(() => ({ profiles: [] }));
    expect((await stat(join(dir, 'Rolecall'))).mode & 0o777).toBe(0o700);
  });

  it('migrates an old document step by step when reading, and writes it back only on update', async () => {
    const v1 = JSON.stringify({ schemaVersion: 1, profile: 'legacy' });
    await writeFile(path, v1);
    expect(await profilesDoc().read()).toEqual({ profiles: [{ name: 'legacy', region: 'us-east-1' }] });
    expect(await readFile(path, 'utf8')).toBe(v1);

    await profilesDoc().update((current) => current);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ schemaVersion: 3, profiles: [{ name: 'legacy', region: 'us-east-1' }] });
  });

  it('starts a migration at the stored version', async () => {
    await writeFile(path, JSON.stringify({ schemaVersion: 2, names: ['a', 'b'] }));
    expect(await profilesDoc().read()).toEqual({ profiles: [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: 'us-east-1' }] });
  });

  it('refuses a document written by a newer version and leaves it alone', async () => {
    const newer = JSON.stringify({ schemaVersion: 4, profiles: [], somethingNew: true });
    await writeFile(path, newer);
    await expect(profilesDoc().read()).rejects.toMatchObject({ code: 'STORE_TOO_NEW' });
    await expect(profilesDoc().update(() => ({ profiles: [] }))).rejects.toMatchObject({ code: 'STORE_TOO_NEW' });
    expect(await readFile(path, 'utf8')).toBe(newer);
  });

  it('reports an unparsable file as corrupt and never overwrites it', async () => {
    const damaged = '{"schemaVersion": 3, "profiles": [';
    await writeFile(path, damaged);
    await expect(profilesDoc().read()).rejects.toMatchObject({ code: 'STORE_CORRUPT', detail: expect.stringContaining(path) });
    await expect(profilesDoc().update(() => ({ profiles: [] }))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(path, 'utf8')).toBe(damaged);
  });

  it('reports a document without a usable schemaVersion as corrupt', async () => {
    for (const text of ['{"profiles": []}', '{"schemaVersion": "3", "profiles": []}', '{"schemaVersion": 0}', '[1, 2]', 'null']) {
      await writeFile(path, text);
      await expect(profilesDoc().read()).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    }
  });

  it('names the invalid field of a corrupt document but not its value', async () => {
    await writeFile(path, JSON.stringify({ schemaVersion: 3, profiles: [{ name: 'dev', region: 12345678 }] }));
    const error = await profilesDoc().read().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT', detail: expect.stringContaining('profiles.0.region') });
    expect(JSON.stringify(error)).not.toContain('12345678');
    expect((error as Error).message).not.toContain('12345678');
  });

  it('reports a failing migration as corrupt', async () => {
    await writeFile(path, JSON.stringify({ schemaVersion: 2, names: 'not-a-list' }));
    await expect(profilesDoc().read()).rejects.toMatchObject({ code: 'STORE_CORRUPT', detail: expect.stringContaining('schemaVersion 2') });
  });

  it('writes nothing when the change throws, and releases the lock', async () => {
    const doc = profilesDoc();
    await doc.update(() => ({ profiles: [{ name: 'keep', region: 'us-east-1' }] }));
    const before = await readFile(path, 'utf8');
    await expect(doc.update(() => {
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await readFile(path, 'utf8')).toBe(before);
    await doc.update((current) => ({ profiles: [...current.profiles, { name: 'next', region: 'us-east-1' }] }));
    expect((await doc.read()).profiles.map((p) => p.name)).toEqual(['keep', 'next']);
  });

  it('refuses to write a value that does not match its own schema', async () => {
    const doc = profilesDoc();
    await expect(doc.update(() => ({ profiles: [{ name: 'x' }] }) as unknown as Profiles)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('loses no update when many instances update at once', async () => {
    const instances = Array.from({ length: 8 }, () => counterDoc({ lockTimeoutMs: 20_000 }));
    await Promise.all(instances.flatMap((doc, n) =>
      Array.from({ length: 10 }, (_, i) => doc.update((c) => ({ counter: c.counter + 1, writers: [...c.writers, `${n}:${i}`] })))));
    const result = await counterDoc().read();
    expect(result.counter).toBe(80);
    expect(new Set(result.writers).size).toBe(80);
  });

  it('answers STORE_BUSY when another holder keeps the lock past the timeout, and works once it is released', async () => {
    let releaseHolder!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    let holderHasLock!: () => void;
    const holderStarted = new Promise<void>((resolve) => {
      holderHasLock = resolve;
    });
    const holder = counterDoc().update(async (current) => {
      holderHasLock();
      await held;
      return { ...current, counter: current.counter + 1 };
    });
    await holderStarted;
    const started = performance.now();
    await expect(counterDoc({ lockTimeoutMs: 300 }).update((c) => c)).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    releaseHolder();
    await holder;
    const after = await counterDoc({ lockTimeoutMs: 300 }).update((c) => ({ ...c, counter: c.counter + 1 }));
    expect(after.counter).toBe(2);
  });

  it('takes over the lock of a process that crashed holding it', async () => {
    await mkdir(`${path}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, longAgo, longAgo);
    const written = await counterDoc({ lockTimeoutMs: 2_000, staleLockMs: 5_000 }).update((c) => ({ ...c, counter: c.counter + 1 }));
    expect(written.counter).toBe(1);
    expect(await lockfile.check(path, { realpath: false })).toBe(false);
  });

  describe('across processes', () => {
    let bundleDir: string;
    let script: string;
    beforeAll(async () => {
      bundleDir = await mkdtemp(join(tmpdir(), 'rolecall-store-bundle-'));
      script = await bundleForNode(join(import.meta.dirname, 'children', 'increment-counter.ts'), bundleDir);
    });
    afterAll(async () => {
      await rm(bundleDir, { recursive: true, force: true });
    });

    it('loses no update when several processes and this one update at once', async () => {
      const children = Array.from({ length: 4 }, () => run(process.execPath, [script, path, '15']));
      const local = counterDoc({ lockTimeoutMs: 30_000 });
      const own = Array.from({ length: 15 }, (_, i) => local.update((c) => ({ counter: c.counter + 1, writers: [...c.writers, `parent:${i}`] })));
      await Promise.all([...children, ...own]);
      const result = await counterDoc().read();
      expect(result.counter).toBe(75);
      expect(new Set(result.writers).size).toBe(75);
      expect((await readdir(dir)).sort()).toEqual(['profiles.json']);
    });
  });
  it('keeps top-level keys it does not know through an update (another version wrote them)', async () => {
    await writeFile(path, JSON.stringify({ schemaVersion: 3, profiles: [], addedByLaterVersion: { keep: ['me', 1] }, note: 'hand-written' }));
    await profilesDoc().update((current) => ({ profiles: [...current.profiles, { name: 'dev', region: 'eu-west-1' }] }));
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored).toMatchObject({ addedByLaterVersion: { keep: ['me', 1] }, note: 'hand-written', profiles: [{ name: 'dev', region: 'eu-west-1' }] });
  });
});
