// Opens a URL in the user's default browser: xdg-open on Linux and the BSDs, open on macOS, and on
// Windows url.dll's FileProtocolHandler (cmd's `start` would read & and % in the URL as its own syntax).
// The URL is an argument, never part of a shell line, and never in an error message: a console sign-in
// URL signs whoever holds it in.
import { spawn } from 'node:child_process';
import { RolecallError } from '../shared/errors';

export interface BrowserCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export function browserCommand(url: string, platform: NodeJS.Platform): BrowserCommand {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

const OPENER_TIMEOUT_MS = 15_000;

/** Resolves once the opener has handed the URL over; BROWSER_UNAVAILABLE when it could not. */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { command, args } = browserCommand(url, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', env, windowsHide: true });
    const timer = setTimeout(() => {
      // A browser started in the foreground by the opener keeps it waiting: the URL has been handed over.
      child.unref();
      resolve();
    }, OPENER_TIMEOUT_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RolecallError('BROWSER_UNAVAILABLE', `${command}: ${error.code ?? 'could not start'}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new RolecallError('BROWSER_UNAVAILABLE', `${command} exited with ${code ?? 'a signal'}`));
    });
  });
}
