import { mkdtemp, mkdir, chmod, stat, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDataDir, resolveDataDir } from '../../../src/core/store/data-dir';

describe('resolveDataDir', () => {
  it('uses ROLECALL_HOME when it is set, on every platform', () => {
    expect(resolveDataDir({ env: { ROLECALL_HOME: '/srv/rc', XDG_CONFIG_HOME: '/x' }, platform: 'linux', homedir: '/home/ann' })).toBe('/srv/rc');
    expect(resolveDataDir({ env: { ROLECALL_HOME: 'C:\\rc', APPDATA: 'C:\\AppData' }, platform: 'win32', homedir: 'C:\\Users\\ann' })).toBe('C:\\rc');
    expect(resolveDataDir({ env: { ROLECALL_HOME: '/Volumes/rc' }, platform: 'darwin', homedir: '/Users/ann' })).toBe('/Volumes/rc');
  });

  it('makes a relative ROLECALL_HOME absolute', () => {
    expect(resolveDataDir({ env: { ROLECALL_HOME: 'rc-data' }, platform: 'linux', homedir: '/home/ann' })).toBe(join(process.cwd(), 'rc-data'));
  });

  it('ignores an empty ROLECALL_HOME', () => {
    expect(resolveDataDir({ env: { ROLECALL_HOME: '' }, platform: 'linux', homedir: '/home/ann' })).toBe('/home/ann/.config/Rolecall');
  });

  it('uses Application Support on macOS', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ann' })).toBe('/Users/ann/Library/Application Support/Rolecall');
  });

  it('uses %APPDATA% on Windows, and the roaming folder under the profile without it', () => {
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\ann' }))
      .toBe('C:\\Users\\ann\\AppData\\Roaming\\Rolecall');
    expect(resolveDataDir({ env: {}, platform: 'win32', homedir: 'D:\\home\\ann' })).toBe('D:\\home\\ann\\AppData\\Roaming\\Rolecall');
  });

  it('uses $XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/home/ann/cfg' }, platform: 'linux', homedir: '/home/ann' })).toBe('/home/ann/cfg/Rolecall');
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/ann' })).toBe('/home/ann/.config/Rolecall');
    expect(resolveDataDir({ env: {}, platform: 'freebsd', homedir: '/home/ann' })).toBe('/home/ann/.config/Rolecall');
  });
});

describe('ensureDataDir', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rolecall-datadir-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the folder and its missing parents as 0700', async () => {
    const dir = join(root, 'config', 'Rolecall');
    const previous = process.umask(0o000);
    try {
      await ensureDataDir(dir);
    } finally {
      process.umask(previous);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, 'config'))).mode & 0o777).toBe(0o700);
  });

  it('leaves the mode of a folder that exists already', async () => {
    const dir = join(root, 'mine');
    await mkdir(dir);
    await chmod(dir, 0o750);
    await ensureDataDir(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o750);
  });
});
