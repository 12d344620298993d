// "Still the file I read?": real files changed in the ways other programs change them.
import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changedSince, readSnapshot, stillTheSame, type FileSnapshot } from '../../../src/core/files/file-identity';

describe('file snapshots', () => {
  let dir: string;
  let path: string;
  let snapshot: FileSnapshot | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-identity-'));
    path = join(dir, 'credentials');
  });
  afterEach(async () => {
    await snapshot?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a missing file as empty, and notices when one appears', async () => {
    snapshot = await readSnapshot(path);
    expect(snapshot.bytes.length).toBe(0);
    expect(await stillTheSame(path, snapshot)).toBe(true);
    await writeFile(path, '[a]\n');
    expect(await stillTheSame(path, snapshot)).toBe(false);
  });

  it('is still the same file until someone rewrites it, even with the same bytes', async () => {
    await writeFile(path, '[a]\nk = 1\n');
    snapshot = await readSnapshot(path);
    expect(snapshot.bytes.toString()).toBe('[a]\nk = 1\n');
    expect(await stillTheSame(path, snapshot)).toBe(true);
    // A new inode with the same content (what another atomic writer leaves) is another file.
    await writeFile(join(dir, 'other'), '[a]\nk = 1\n');
    await rename(join(dir, 'other'), path);
    expect(await stillTheSame(path, snapshot)).toBe(false);
  });

  it('sees a write into the inode it read after that inode was replaced', async () => {
    await writeFile(path, '[a]\n');
    snapshot = await readSnapshot(path);
    const late = await open(path, 'r+');
    await writeFile(join(dir, 'ours'), '[a]\n[b]\n');
    await rename(join(dir, 'ours'), path);
    expect(await changedSince(snapshot)).toBe(false);
    await late.write('[c]\n', 0);
    await late.close();
    expect(await changedSince(snapshot)).toBe(true);
  });

  it('refuses a folder', async () => {
    await mkdir(path);
    await expect(readSnapshot(path)).rejects.toMatchObject({ code: 'FILE_UNREADABLE', detail: `${path} is not a regular file` });
  });
});
