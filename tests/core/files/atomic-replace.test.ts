import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followLinks, moveIntoPlace, removeDeadWritersTemps, writeFileAtomic, writeTemp } from '../../../src/core/files/atomic-replace';

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

  it('writes through a chain of relative links and keeps every link', async () => {
    await mkdir(join(dir, 'dotfiles'));
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'dotfiles', 'real.json'), 'old');
    await symlink('../dotfiles/real.json', join(dir, 'conf', 'first.json'));
    await symlink('conf/first.json', join(dir, 'second.json'));
    await writeFileAtomic(join(dir, 'second.json'), 'new');
    expect(await readlink(join(dir, 'second.json'))).toBe('conf/first.json');
    expect(await readlink(join(dir, 'conf', 'first.json'))).toBe('../dotfiles/real.json');
    expect(await readFile(join(dir, 'dotfiles', 'real.json'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['conf', 'dotfiles', 'second.json']);
    expect(await readdir(join(dir, 'dotfiles'))).toEqual(['real.json']);
  });

  it('creates the target of a dangling link instead of replacing the link', async () => {
    await mkdir(join(dir, 'store'));
    await symlink('store/doc.json', join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'new');
    expect((await lstat(join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'store', 'doc.json'), 'utf8')).toBe('new');
    expect((await stat(join(dir, 'store', 'doc.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a loop of links', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(followLinks(join(dir, 'a'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE', detail: `${join(dir, 'a')}: too many symbolic links` });
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

describe('the building blocks of a checked replace', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-replace-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never puts a temp file over a file that appeared meanwhile when asked not to, and leaves the temp to its caller', async () => {
    const target = join(dir, 'credentials');
    const temp = await writeTemp(target, 'ours', { mode: 0o600 });
    await writeFile(target, 'theirs');
    expect(await moveIntoPlace(temp, target, { onlyIfAbsent: true })).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('theirs');
    expect(await readFile(temp, 'utf8')).toBe('ours');
    expect(await moveIntoPlace(temp, target)).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('ours');
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('creates a missing file with a hard link, leaving no temp behind', async () => {
    const target = join(dir, 'credentials');
    const temp = await writeTemp(target, 'ours', { mode: 0o400 });
    expect(await moveIntoPlace(temp, target, { onlyIfAbsent: true })).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('ours');
    expect((await stat(target)).mode & 0o777).toBe(0o400);
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('removes the temp files of dead writers only: not a live process\'s, not another file\'s', async () => {
    const target = join(dir, 'credentials');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const names = [`.credentials.rolecall-${dead}-0a1b2c3d4e5f`, `.credentials.rolecall-${process.ppid}-0a1b2c3d4e5f`, `.config.rolecall-${dead}-0a1b2c3d4e5f`, 'credentials'];
    for (const name of names) await writeFile(join(dir, name), 'secret');
    const ours = await writeTemp(target, 'ours', { mode: 0o600 });
    await removeDeadWritersTemps(target);
    expect((await readdir(dir)).sort()).toEqual([...names.slice(1), ours.slice(dir.length + 1)].sort());
  });
});
