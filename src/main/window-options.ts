// The main window's options and the guards on its web contents. The page is our own bundled UI and
// talks to the agent only through window.rolecall: it needs no Node, no navigation, no new windows,
// no webviews and no browser permissions, so all of them are off.
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import type { Logger } from '../core/log';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface MainWindowInput {
  readonly preloadPath: string;
  readonly theme: 'light' | 'dark';
  /** Where the user left the window last time, if it still fits a display. */
  readonly bounds?: Bounds;
  /** The window icon on Linux and Windows (macOS takes the app bundle's). */
  readonly iconPath?: string;
}

/** Matches the renderer's page background, so the window never flashes white or black while it loads. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#1b1d21' } as const;
export const DEFAULT_SIZE = { width: 960, height: 680 } as const;
export const MIN_SIZE = { width: 720, height: 520 } as const;

export function mainWindowOptions({ preloadPath, theme, bounds, iconPath }: MainWindowInput): BrowserWindowConstructorOptions {
  return {
    title: 'Rolecall',
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    ...(bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    // Shown on ready-to-show, or never when the app starts in the tray.
    show: false,
    backgroundColor: WINDOW_BACKGROUND[theme],
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      webviewTag: false,
      spellcheck: false,
      safeDialogs: true,
      enableWebSQL: false,
    },
  };
}

/** Denies navigation, redirects, new windows, webviews and every permission request, logging attempts. */
export function hardenWebContents(contents: WebContents, logger: Logger): void {
  const refuse = (what: string) => (event: { preventDefault(): void; url?: string }) => {
    event.preventDefault();
    logger.warn(`Refused ${what} in the Rolecall window`, { url: event.url ?? null });
  };
  contents.on('will-navigate', refuse('a navigation'));
  contents.on('will-frame-navigate', refuse('a frame navigation'));
  contents.on('will-redirect', refuse('a redirect'));
  contents.on('will-attach-webview', refuse('a webview'));
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('Refused to open a window from the Rolecall window', { url });
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('Refused a permission request from the Rolecall window', { permission });
    callback(false);
  });
  contents.session.setPermissionCheckHandler(() => false);
  contents.session.setDevicePermissionHandler(() => false);
}
