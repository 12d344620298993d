// Which frames may call the IPC handlers: only the top frame showing our own page, the built
// index.html over file:// or, in development, the electron-vite dev server. A subframe, a page the
// window was somehow navigated to, or a destroyed frame gets nothing.
import { pathToFileURL } from 'node:url';

export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

export interface TrustedPages {
  /** Absolute path of the built renderer's index.html. */
  readonly rendererFile: string;
  /** The dev server's URL (ELECTRON_RENDERER_URL) in development only. */
  readonly devServerUrl?: string;
}

export type SenderCheck = (frame: SenderFrame | null) => boolean;

export function trustedSenderCheck({ rendererFile, devServerUrl }: TrustedPages): SenderCheck {
  const ownFile = decodedPath(pathToFileURL(rendererFile));
  const devOrigin = devServerUrl === undefined ? undefined : new URL(devServerUrl).origin;
  return (frame) => {
    if (frame === null || frame.parent !== null) return false;
    const url = parseUrl(frame.url);
    if (url === undefined) return false;
    // Compared decoded: Chromium and Node may percent-encode the same path differently.
    if (url.protocol === 'file:') return url.host === '' && ownFile !== undefined && decodedPath(url) === ownFile;
    return devOrigin !== undefined && url.origin === devOrigin;
  };
}

function decodedPath(url: URL): string | undefined {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
