// While Rolecall's keys are in an AWS file only its owner may read it; once they are gone the file gets
// back exactly the mode it had, and a file Rolecall had to create goes again when it holds nothing else.
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { exactSection, readFileState, restoreFileState, updateAwsFile } from '../../../src/core/awsfiles';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-file-state-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o7777;
const USER_FILE = '# mine\n[work]\nregion = eu-west-1\n';
const addKeys = (doc: Parameters<Parameters<typeof updateAwsFile>[1]>[0]) => doc.set(exactSection('dev'), { aws_secret_access_key: 'rolecall/secret' });
const removeKeys = (doc: Parameters<Parameters<typeof updateAwsFile>[1]>[0]) => {
  doc.remove(exactSection('dev'), ['aws_secret_access_key']);
  doc.removeSectionIfEmpty(exactSection('dev'));
};

describe('mode and owner', () => {
  test.each([
    ['0644', 0o644, '0600', 0o600],
    ['0444', 0o444, '0400', 0o400],
    ['0640', 0o640, '0600', 0o600],
    ['0600', 0o600, '0600', 0o600],
    ['0400', 0o400, '0400', 0o400],
  ])('a %s file is %s while it holds Rolecall\'s keys and its own mode again once they are gone', async (_label, original, _activeLabel, active) => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE, { mode: original });
    const before = await readFileState(path);
    expect(before).toMatchObject({ mode: original, uid: process.getuid?.(), gid: process.getgid?.() });
    await updateAwsFile(path, addKeys);
    expect(await mode(path)).toBe(active);
    await updateAwsFile(path, removeKeys);
    await restoreFileState(path, before);
    expect(await mode(path)).toBe(original);
    expect(await readFile(path, 'utf8')).toBe(USER_FILE);
  });

  test.runIf(process.getuid?.() === 0)('as root on another user\'s file, keeps its owner while writing and gives back its mode and owner', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE, { mode: 0o644 });
    await chown(path, 1234, 2345);
    await chmod(path, 0o644);
    const before = await readFileState(path);
    await updateAwsFile(path, addKeys);
    expect(await stat(path)).toMatchObject({ uid: 1234, gid: 2345 });
    expect(await mode(path)).toBe(0o600);
    await updateAwsFile(path, removeKeys);
    // Something (another root tool) took the file over meanwhile: the owner comes back too.
    await chown(path, 0, 0);
    await restoreFileState(path, before);
    expect(await stat(path)).toMatchObject({ uid: 1234, gid: 2345 });
    expect(await mode(path)).toBe(0o644);
  });

  test('reads a missing file as none', async () => {
    expect(await readFileState(join(home, 'nothing'))).toBeNull();
  });
});

describe('a file Rolecall created', () => {
  test('is removed once it holds nothing again, and its folder stays', async () => {
    const folder = join(home, '.aws');
    const path = join(folder, 'credentials');
    const before = await readFileState(path);
    await updateAwsFile(path, addKeys);
    await updateAwsFile(path, removeKeys);
    expect(await readFile(path, 'utf8')).toBe('');
    await restoreFileState(path, before);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(folder)).isDirectory()).toBe(true);
  });

  test('stays, 0600, once the user has written to it', async () => {
    const path = join(home, 'credentials');
    const before = await readFileState(path);
    await updateAwsFile(path, addKeys);
    await updateAwsFile(path, (doc) => doc.set(exactSection('mine'), { region: 'eu-west-1' }));
    await updateAwsFile(path, removeKeys);
    await restoreFileState(path, before);
    expect(await readFile(path, 'utf8')).toBe('\n[mine]\nregion = eu-west-1\n');
    expect(await mode(path)).toBe(0o600);
  });

  test('behind a dangling symlink: the created target goes, the user\'s link stays', async () => {
    await mkdir(join(home, 'dotfiles'));
    const link = join(home, 'credentials');
    const target = join(home, 'dotfiles', 'aws-credentials');
    await symlink(target, link);
    const before = await readFileState(link);
    expect(before).toBeNull();
    await updateAwsFile(link, addKeys);
    await updateAwsFile(link, removeKeys);
    await restoreFileState(link, before);
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  test('that is already gone is no error', async () => {
    await expect(restoreFileState(join(home, 'gone'), null)).resolves.toBeUndefined();
  });
});
