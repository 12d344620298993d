import { spawnSync } from 'node:child_process';
import { promises as fsPromises, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, readlink, lstat, rm, stat, symlink, truncate, utimes, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { awsFilePaths, exactSection, readAwsFile, updateAwsFile } from '../../../src/core/awsfiles';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-aws-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const setKey = (section: string, key: string, value: string) => (doc: Parameters<Parameters<typeof updateAwsFile>[1]>[0]) => doc.set(exactSection(section), { [key]: value });
const mode = async (path: string) => (await stat(path)).mode & 0o777;
const USER_FILE = '# my keys\r\n[work]\r\naws_access_key_id = AKIAWORK\r\naws_secret_access_key = s3cr3t\r\n\r\n[profile odd]\r\n  s3 =\r\n    region = x\r\n';

describe('where the files are', () => {
  test('defaults to ~/.aws/credentials and ~/.aws/config', () => {
    expect(awsFilePaths({}, '/home/u')).toEqual({ credentials: '/home/u/.aws/credentials', config: '/home/u/.aws/config' });
  });

  test('honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, with ~ and relative paths', () => {
    const paths = awsFilePaths({ AWS_SHARED_CREDENTIALS_FILE: '~/creds', AWS_CONFIG_FILE: 'conf/aws' }, '/home/u');
    expect(paths).toEqual({ credentials: '/home/u/creds', config: resolve('conf/aws') });
  });

  test('treats an empty variable as unset, as the SDKs do', () => {
    expect(awsFilePaths({ AWS_SHARED_CREDENTIALS_FILE: '', AWS_CONFIG_FILE: '' }, '/h').credentials).toBe('/h/.aws/credentials');
  });

  test('writes where the variables point', async () => {
    const paths = awsFilePaths({ AWS_SHARED_CREDENTIALS_FILE: join(home, 'elsewhere', 'c'), AWS_CONFIG_FILE: join(home, 'cfg') }, home);
    await updateAwsFile(paths.credentials, setKey('dev', 'k', 'v'));
    await updateAwsFile(paths.config, setKey('profile dev', 'region', 'eu-west-1'));
    expect(await readFile(join(home, 'elsewhere', 'c'), 'utf8')).toBe('[dev]\nk = v\n');
    expect(await readFile(join(home, 'cfg'), 'utf8')).toBe('[profile dev]\nregion = eu-west-1\n');
    await expect(stat(join(home, '.aws'))).rejects.toThrow();
  });
});

describe('updating a file', () => {
  test('creates a missing ~/.aws with mode 0700 and the file with mode 0600', async () => {
    const { credentials } = awsFilePaths({}, home);
    await updateAwsFile(credentials, setKey('dev', 'aws_access_key_id', 'AKIA'));
    expect(await mode(join(home, '.aws'))).toBe(0o700);
    expect(await mode(credentials)).toBe(0o600);
    expect(await readFile(credentials, 'utf8')).toBe('[dev]\naws_access_key_id = AKIA\n');
  });

  test('keeps every byte of the user\'s file and brings its mode to 0600', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE, { mode: 0o644 });
    await updateAwsFile(path, setKey('dev', 'aws_access_key_id', 'AKIA'));
    expect(await readFile(path, 'utf8')).toBe(`${USER_FILE}\r\n[dev]\r\naws_access_key_id = AKIA\r\n`);
    expect(await mode(path)).toBe(0o600);
  });

  test('keeps a stricter mode the user chose', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE, { mode: 0o400 });
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    expect(await mode(path)).toBe(0o400);
  });

  test('follows a symlink: the link stays a link and its target is updated', async () => {
    await mkdir(join(home, 'dotfiles'));
    await mkdir(join(home, '.aws'));
    const target = join(home, 'dotfiles', 'aws-credentials');
    await writeFile(target, USER_FILE, { mode: 0o600 });
    await symlink('../dotfiles/aws-credentials', join(home, '.aws', 'credentials'));
    await symlink(join(home, '.aws', 'credentials'), join(home, 'second-link'));
    await updateAwsFile(join(home, 'second-link'), setKey('dev', 'k', 'v'));
    expect((await lstat(join(home, '.aws', 'credentials'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(home, '.aws', 'credentials'))).toBe('../dotfiles/aws-credentials');
    expect((await lstat(join(home, 'second-link'))).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe(`${USER_FILE}\r\n[dev]\r\nk = v\r\n`);
    expect((await readdir(join(home, '.aws'))).sort()).toEqual(['credentials']);
    expect((await readdir(join(home, 'dotfiles'))).sort()).toEqual(['aws-credentials']);
  });

  test('creates the target of a dangling symlink', async () => {
    await mkdir(join(home, '.aws'));
    await symlink('../store/creds', join(home, '.aws', 'credentials'));
    await updateAwsFile(join(home, '.aws', 'credentials'), setKey('dev', 'k', 'v'));
    expect(await readFile(join(home, 'store', 'creds'), 'utf8')).toBe('[dev]\nk = v\n');
    expect((await lstat(join(home, '.aws', 'credentials'))).isSymbolicLink()).toBe(true);
  });

  test('does not rewrite a file the edit leaves as it was', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, '[dev]\nk = v\n');
    const before = await stat(path);
    const result = await updateAwsFile(path, (doc) => {
      doc.set(exactSection('dev'), { k: 'v' });
      return 'done';
    });
    const after = await stat(path);
    expect(result).toBe('done');
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  test('leaves no temp file or lock behind', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    await updateAwsFile(path, setKey('a', 'k', '1'));
    await updateAwsFile(path, setKey('b', 'k', '2'));
    expect(await readdir(home)).toEqual(['credentials']);
  });

  test('an edit that throws changes nothing', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    await expect(updateAwsFile(path, () => {
      throw new Error('no');
    })).rejects.toThrow('no');
    expect(await readFile(path, 'utf8')).toBe(USER_FILE);
    expect(await readdir(home)).toEqual(['credentials']);
  });

  test('refuses to treat a folder as the file', async () => {
    await mkdir(join(home, 'credentials'));
    await expect(updateAwsFile(join(home, 'credentials'), setKey('a', 'k', 'v'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  test.skipIf(process.getuid?.() === 0)('reports a folder it may not write to, and changes nothing', async () => {
    const path = join(home, 'ro', 'credentials');
    await mkdir(join(home, 'ro'));
    await writeFile(path, USER_FILE);
    await chmod(join(home, 'ro'), 0o500);
    try {
      await expect(updateAwsFile(path, setKey('a', 'k', 'v'))).rejects.toMatchObject({ code: 'AWS_FILE_UNWRITABLE' });
      expect(await readFile(path, 'utf8')).toBe(USER_FILE);
    } finally {
      await chmod(join(home, 'ro'), 0o700);
    }
  });
});

describe('other writers', () => {
  test('starts over when another program changes the file during the update, keeping its change', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    let calls = 0;
    await updateAwsFile(path, (doc) => {
      calls += 1;
      // What `aws configure set` does: rewrite the file in place, without a lock.
      if (calls === 1) void writeFile(path, `${USER_FILE}[new-from-cli]\naws_access_key_id = CLI\n`);
      doc.set(exactSection('dev'), { k: 'v' });
    });
    expect(calls).toBeGreaterThan(1);
    const doc = await readAwsFile(path);
    expect(doc.get(exactSection('new-from-cli'), 'aws_access_key_id')).toBe('CLI');
    expect(doc.get(exactSection('dev'), 'k')).toBe('v');
    expect((await readFile(path, 'utf8')).startsWith(USER_FILE)).toBe(true);
  });

  test('never overwrites a file another program created while Rolecall was creating it', async () => {
    const path = join(home, 'credentials');
    let calls = 0;
    await updateAwsFile(path, (doc) => {
      calls += 1;
      if (calls === 1) writeFileSync(path, '[from-cli]\naws_access_key_id = CLI\n');
      doc.set(exactSection('dev'), { k: 'v' });
    });
    expect(calls).toBe(2);
    expect(await readFile(path, 'utf8')).toBe('[from-cli]\naws_access_key_id = CLI\n\n[dev]\nk = v\n');
  });

  test('never overwrites a file that appears between the last check and the replace', async () => {
    const path = join(home, 'credentials');
    const theirs = '[from-cli]\naws_access_key_id = CLI\n';
    const realLink = fsPromises.link;
    const realRename = fsPromises.rename;
    let appeared = false;
    const appear = async (to: unknown) => {
      if (appeared || to !== path) return;
      appeared = true;
      await writeFile(path, theirs);
    };
    const link = vi.spyOn(fsPromises, 'link').mockImplementation(async (from, to) => {
      await appear(to);
      return realLink(from, to);
    });
    const rename = vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      await appear(to);
      return realRename(from, to);
    });
    try {
      await updateAwsFile(path, setKey('dev', 'k', 'v'));
    } finally {
      link.mockRestore();
      rename.mockRestore();
    }
    expect(appeared).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(`${theirs}\n[dev]\nk = v\n`);
  });

  test('compares the bytes too, for file systems whose timestamps are too coarse to show a change', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, '[a]\nk = 1\n');
    const frozen = await fsPromises.stat(path, { bigint: true });
    const realStat = fsPromises.stat;
    let calls = 0;
    const stat = vi.spyOn(fsPromises, 'stat').mockImplementation((async (target: string, options?: { bigint?: boolean }) =>
      target === path && calls === 1 ? frozen : realStat(target, options)) as typeof fsPromises.stat);
    try {
      await updateAwsFile(path, (doc) => {
        calls += 1;
        // Same size, and (as this file system is made to report) the same timestamps.
        if (calls === 1) writeFileSync(path, '[a]\nk = 2\n');
        doc.set(exactSection('dev'), { k: 'v' });
      });
    } finally {
      stat.mockRestore();
    }
    expect(calls).toBe(2);
    expect(await readFile(path, 'utf8')).toBe('[a]\nk = 2\n\n[dev]\nk = v\n');
  });

  test('gives up with AWS_FILE_CONFLICT on a file that never holds still, leaving the other writer\'s bytes', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    let round = 0;
    const error = await updateAwsFile(path, (doc) => {
      round += 1;
      void writeFile(path, `${USER_FILE}# round ${round}\n`);
      doc.set(exactSection('dev'), { k: 'v' });
    }, { attempts: 3 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AWS_FILE_CONFLICT' });
    await new Promise((done) => setTimeout(done, 50));
    expect(await readFile(path, 'utf8')).toBe(`${USER_FILE}# round 3\n`);
    expect(await readdir(home)).toEqual(['credentials']);
  });

  // A writer that truncated the file and writes its bytes later (a loaded machine stalls it for longer).
  test.each([20, 300])('does not trust a file caught between truncation and a rewrite %i ms later', async (delay) => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    await truncate(path, 0);
    const rewrite = new Promise((done) => setTimeout(() => void writeFile(path, USER_FILE).then(done), delay));
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    await rewrite;
    expect(await readFile(path, 'utf8')).toBe(`${USER_FILE}\r\n[dev]\r\nk = v\r\n`);
  });

  test('recovers the change of a writer that opened the file just before the rename and wrote after it', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    const theirs = `${USER_FILE}[from-cli]\naws_access_key_id = CLI\n`;
    const realRename = fsPromises.rename;
    let raced = false;
    const spy = vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      if (raced || to !== path) return realRename(from, to);
      raced = true;
      // `aws configure set` opens with O_TRUNC after Rolecall's last check, and writes after the rename:
      // into the inode that the rename just replaced.
      const cli = await fsPromises.open(path, 'w');
      await realRename(from, to);
      await cli.writeFile(theirs);
      await cli.close();
    });
    try {
      await updateAwsFile(path, setKey('dev', 'k', 'v'));
    } finally {
      spy.mockRestore();
    }
    expect(raced).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(`${theirs}\r\n[dev]\r\nk = v\r\n`);
  });

  test('waits for another Rolecall process that holds the lock', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    const release = await lockfile.lock(path, { realpath: false, lockfilePath: `${path}.lock` });
    const started = Date.now();
    setTimeout(() => void release(), 300);
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await readAwsFile(path)).get(exactSection('dev'), 'k')).toBe('v');
  });

  test('takes over the lock a crashed process left behind once it is stale', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    expect(await readdir(home)).toEqual(['credentials']);
  });

  test('takes over the lock of a writer killed just now within one wait, instead of failing busy', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    // As SIGKILL leaves it: a lock refreshed a moment ago whose holder is gone.
    await mkdir(`${path}.lock`);
    const started = Date.now();
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect((await readAwsFile(path)).get(exactSection('dev'), 'k')).toBe('v');
  }, 15_000);

  test('removes the temp files of writers that died mid-write (they hold secrets), never a live one\'s', async () => {
    const path = join(home, 'credentials');
    await writeFile(path, USER_FILE);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const deadTemp = join(home, `.credentials.rolecall-${dead}-0a1b2c3d4e5f`);
    const liveTemp = join(home, `.credentials.rolecall-${process.ppid}-0a1b2c3d4e5f`);
    await writeFile(deadTemp, USER_FILE);
    await writeFile(liveTemp, USER_FILE);
    await updateAwsFile(path, setKey('dev', 'k', 'v'));
    expect((await readdir(home)).sort()).toEqual(['.credentials.rolecall-' + String(process.ppid) + '-0a1b2c3d4e5f', 'credentials']);
  });
});
