// Start at login. macOS and Windows have an API (app.setLoginItemSettings); Linux has none, so the app
// writes an XDG autostart entry (~/.config/autostart/rolecall.desktop) that desktop sessions run at login.
import { promises as fs } from 'node:fs';
import { dirname, posix } from 'node:path';

/** Passed at login so the app starts in the tray without opening its window. */
export const START_HIDDEN_FLAG = '--hidden';
export const AUTOSTART_FILE_NAME = 'rolecall.desktop';

export interface LaunchCommand {
  readonly executable: string;
  readonly args: readonly string[];
}

/** The command that starts this app at login: an AppImage must be started by its file, not by the mount it runs from. */
export function launchCommand(execPath: string, env: Readonly<Record<string, string | undefined>>): LaunchCommand {
  return { executable: env.APPIMAGE || execPath, args: [START_HIDDEN_FLAG] };
}

export function autostartFilePath(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME || posix.join(homedir, '.config');
  return posix.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

export function autostartEntry(command: LaunchCommand): string {
  const exec = [command.executable, ...command.args].map(quoteArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Rolecall',
    'Comment=IAM Roles Anywhere sessions, refreshed in the background',
    `Exec=${escapeString(exec)}`,
    'Icon=rolecall',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes the entry, or removes it (a missing file is already the wanted state). */
export async function setAutostartEntry(path: string, entry: string | undefined): Promise<void> {
  if (entry === undefined) {
    await fs.rm(path, { force: true });
    return;
  }
  await fs.mkdir(dirname(path), { recursive: true });
  await fs.writeFile(path, entry);
}

// Desktop Entry Specification, "The Exec key": an argument with a reserved character is double-quoted,
// and inside the quotes ", `, $ and \ take a backslash; % starts a field code, so it is doubled.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

function quoteArgument(argument: string): string {
  const percent = argument.replace(/%/g, '%%');
  return RESERVED.test(percent) ? `"${percent.replace(/["`$\\]/g, '\\$&')}"` : percent;
}

// The string-value escapes apply on top of the quoting (so a literal backslash becomes four).
function escapeString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}
