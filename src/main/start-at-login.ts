// Applies the "start at login" setting to the OS: the login item API on macOS and Windows, an XDG
// autostart entry on Linux (which has no such API). Only the installed app registers itself; a
// development build would register the bare Electron binary.
import { app } from 'electron';
import { homedir } from 'node:os';
import type { Logger } from '../core/log';
import { START_HIDDEN_FLAG, autostartEntry, autostartFilePath, launchCommand, setAutostartEntry } from './autostart';

export async function applyStartAtLogin(enabled: boolean, logger: Logger): Promise<void> {
  if (!app.isPackaged) {
    logger.info('Start at login applies to the installed app only', { enabled });
    return;
  }
  try {
    if (process.platform === 'linux') {
      const entry = enabled ? autostartEntry(launchCommand(process.execPath, process.env)) : undefined;
      await setAutostartEntry(autostartFilePath(process.env, homedir()), entry);
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [START_HIDDEN_FLAG] });
    }
  } catch (error) {
    logger.warn('Could not change start at login', { enabled, error: String(error) });
  }
}

/** Started by the OS at login: stay in the tray. macOS passes no arguments to login items, so ask it. */
export function startedHidden(hiddenFlag: boolean): boolean {
  return hiddenFlag || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}
