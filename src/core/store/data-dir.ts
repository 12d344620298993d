// The one answer to "where does Rolecall keep its data": the app sets Electron's userData to this folder,
// so the app, the agent and the CLI all read and write the same files.
import { promises as fs } from 'node:fs';
import { homedir as userHomedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const DATA_FOLDER_NAME = 'Rolecall';

export interface DataDirInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

/** `ROLECALL_HOME` if set, else the OS app-data folder that Electron's `app.getPath('appData')` gives, plus "Rolecall". */
export function resolveDataDir({ env, platform, homedir }: DataDirInput): string {
  const path = platform === 'win32' ? win32 : posix;
  const override = env.ROLECALL_HOME;
  if (override) return path.resolve(override);
  return path.join(appDataDir(platform, env, homedir), DATA_FOLDER_NAME);
}

function appDataDir(platform: NodeJS.Platform, env: DataDirInput['env'], homedir: string): string {
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || win32.join(homedir, 'AppData', 'Roaming');
  // Chromium takes XDG_CONFIG_HOME as given when it is non-empty; matching it keeps one folder for both.
  return env.XDG_CONFIG_HOME || posix.join(homedir, '.config');
}

/** The data folder's path for this process. */
export function defaultDataDir(): string {
  return resolveDataDir({ env: process.env, platform: process.platform, homedir: userHomedir() });
}

/**
 * Creates the folder (and its parents) if missing. A folder Rolecall creates is 0700: it holds the
 * user's profile list and logs. An existing folder keeps its mode, since ROLECALL_HOME may name a folder
 * the user manages.
 */
export async function ensureDataDir(dir: string): Promise<string> {
  const created = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await fs.chmod(dir, 0o700);
  return dir;
}
