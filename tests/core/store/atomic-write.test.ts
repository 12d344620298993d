import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/store/atomic-write';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file with mode 0600 whatever the umask', async () => {
    const path = join(dir, 'doc.json');
    const previous = process.umask(0o000);
    try {
      await writeFileAtomic(path, '{"a":1}');
    } finally {
      process.umask(previous);
    }
    expect(await readFile(path, 'utf8')).toBe('{"a":1}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces an existing file, tightens its mode and leaves no temp file behind', async () => {
    const path = join(dir, 'doc.json');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    await writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['doc.json']);
  });

  it('honours an explicit mode', async () => {
    const path = join(dir, 'shared.txt');
    await writeFileAtomic(path, 'x', { mode: 0o640 });
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('writes through a symlink and keeps the link', async () => {
    const realDir = join(dir, 'real');
    await mkdir(realDir);
    const target = join(realDir, 'target.json');
    await writeFile(target, 'old');
    const link = join(dir, 'link.json');
    await symlink(target, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(realDir)).toEqual(['target.json']);
  });

  it('removes its temp file and keeps the target when the rename fails', async () => {
    // A non-empty folder cannot be replaced by a file.
    const path = join(dir, 'occupied');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'keep');
    await expect(writeFileAtomic(path, 'data')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(await readdir(dir)).toEqual(['occupied']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('keep');
  });

  it('fails without creating anything when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'doc.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('never lets a concurrent reader see a partly written file', async () => {
    const path = join(dir, 'big.txt');
    const versions = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(512 * 1024));
    await writeFileAtomic(path, versions[0]!);
    let writing = true;
    const reader = (async () => {
      let reads = 0;
      while (writing) {
        const text = await readFile(path, 'utf8');
        expect(versions).toContain(text);
        reads += 1;
      }
      return reads;
    })();
    for (let round = 0; round < 40; round += 1) await writeFileAtomic(path, versions[round % versions.length]!);
    writing = false;
    expect(await reader).toBeGreaterThan(0);
  });
});
