import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartEntry, autostartFilePath, launchCommand, setAutostartEntry } from '../../src/main/autostart';

const execLine = (entry: string) => entry.split('\n').find((line) => line.startsWith('Exec='));

describe('autostartEntry', () => {
  it('is a desktop entry that starts the app hidden in the tray', () => {
    const entry = autostartEntry(launchCommand('/opt/Rolecall/rolecall', {}));
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(entry).toContain('\nType=Application\n');
    expect(entry).toContain('\nName=Rolecall\n');
    expect(execLine(entry)).toBe('Exec=/opt/Rolecall/rolecall --hidden');
    expect(entry.endsWith('\n')).toBe(true);
  });

  it('starts an AppImage by its own file rather than its temporary mount', () => {
    const command = launchCommand('/tmp/.mount_RolecaXYZ/rolecall', { APPIMAGE: '/home/u/Apps/Rolecall.AppImage' });
    expect(command).toEqual({ executable: '/home/u/Apps/Rolecall.AppImage', args: ['--hidden'] });
  });

  it('quotes and escapes paths as the Desktop Entry Specification says', () => {
    // Quoting rule first ("..." with \" \` \$ \\), then the string escape doubling every backslash; % is doubled.
    expect(execLine(autostartEntry({ executable: '/home/u/My Apps/Rolecall.AppImage', args: ['--hidden'] }))).toBe('Exec="/home/u/My Apps/Rolecall.AppImage" --hidden');
    expect(execLine(autostartEntry({ executable: '/home/u/$x/a"b/c`d', args: [] }))).toBe('Exec="/home/u/\\\\$x/a\\\\"b/c\\\\`d"');
    expect(execLine(autostartEntry({ executable: '/home/u/back\\slash', args: [] }))).toBe('Exec="/home/u/back\\\\\\\\slash"');
    expect(execLine(autostartEntry({ executable: '/home/u/100%/app', args: [] }))).toBe('Exec=/home/u/100%%/app');
  });
});

describe('autostartFilePath', () => {
  it('lives in the XDG config folder, ~/.config unless XDG_CONFIG_HOME says otherwise', () => {
    expect(autostartFilePath({}, '/home/u')).toBe('/home/u/.config/autostart/rolecall.desktop');
    expect(autostartFilePath({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/autostart/rolecall.desktop');
    expect(autostartFilePath({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/autostart/rolecall.desktop');
  });
});

describe('setAutostartEntry', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('writes the entry, creating the autostart folder, and removes it again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rolecall-autostart-'));
    const path = autostartFilePath({}, dir);
    const entry = autostartEntry(launchCommand('/opt/Rolecall/rolecall', {}));
    await setAutostartEntry(path, entry);
    expect(readFileSync(path, 'utf8')).toBe(entry);
    await setAutostartEntry(path, undefined);
    expect(existsSync(path)).toBe(false);
    await expect(setAutostartEntry(path, undefined)).resolves.toBeUndefined();
  });
});
