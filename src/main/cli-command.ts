// How AWS SDKs start the CLI from a `credential_process` line the app writes: absolute paths, since
// SDKs spawn it without a shell and often without the user's PATH.
import { posix, win32 } from 'node:path';

export interface CliCommandInput {
  readonly isPackaged: boolean;
  readonly platform: NodeJS.Platform;
  /** process.resourcesPath of the installed app. */
  readonly resourcesPath: string;
  /** app.getAppPath(): the project folder in development. */
  readonly appPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function appCliCommand({ isPackaged, platform, resourcesPath, appPath, env }: CliCommandInput): string[] {
  const path = platform === 'win32' ? win32 : posix;
  // Development: the project's own launcher, whose shebang finds node.
  if (!isPackaged) return [path.join(appPath, 'bin', 'rolecall.mjs')];
  if (platform === 'win32') return [win32.join(resourcesPath, 'bin', 'rolecall.cmd')];
  // An AppImage's files live in a mount that is gone once it exits: rely on the CLI installed on PATH.
  if (env.APPIMAGE) return ['rolecall'];
  return [posix.join(resourcesPath, 'bin', 'rolecall')];
}
