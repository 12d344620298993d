// The one window: created when first needed, hidden (not closed) when the user closes it, so the app
// keeps running in the tray; really closed only when the app quits.
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type Store from 'electron-store';
import type { Logger } from '../core/log';
import type { UiPreferences } from './ui-preferences';
import { boundsToRestore } from './window-bounds';
import { hardenWebContents, mainWindowOptions } from './window-options';

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly rendererFile: string;
  /** Loaded instead of rendererFile in development. */
  readonly devServerUrl?: string;
  readonly iconPath?: string;
  readonly preferences: Store<UiPreferences>;
  readonly logger: Logger;
  isQuitting(): boolean;
}

export interface MainWindow {
  /** Creates the window if needed and brings it to the front. */
  show(): void;
  /** The window, created hidden if it does not exist; resolves once the page has loaded. */
  loaded(): Promise<BrowserWindow>;
  /** Sends to the page if there is one. */
  send(channel: string, message: unknown): void;
  current(): BrowserWindow | undefined;
}

export function createMainWindow(options: MainWindowOptions): MainWindow {
  let window: BrowserWindow | undefined;
  let loading: Promise<void> | undefined;

  const create = (): BrowserWindow => {
    const bounds = boundsToRestore(options.preferences.get('windowBounds'), screen.getAllDisplays().map((display) => display.workArea));
    const created = new BrowserWindow(
      mainWindowOptions({
        preloadPath: options.preloadPath,
        theme: nativeTheme.shouldUseDarkColors ? 'dark' : 'light',
        ...(bounds === undefined ? {} : { bounds }),
        ...(options.iconPath === undefined ? {} : { iconPath: options.iconPath }),
      }),
    );
    hardenWebContents(created.webContents, options.logger);
    created.on('close', (event) => {
      options.preferences.set('windowBounds', created.getNormalBounds());
      if (options.isQuitting()) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      window = undefined;
      loading = undefined;
    });
    created.webContents.on('render-process-gone', (_event, details) => {
      options.logger.error('The window\'s renderer process ended', { reason: details.reason, exitCode: details.exitCode });
    });
    loading = options.devServerUrl === undefined ? created.loadFile(options.rendererFile) : created.loadURL(options.devServerUrl);
    return created;
  };

  const existing = (): BrowserWindow => {
    if (window === undefined || window.isDestroyed()) window = create();
    return window;
  };

  return {
    show() {
      const shown = existing();
      if (shown.isMinimized()) shown.restore();
      shown.show();
      shown.focus();
    },
    async loaded() {
      const created = existing();
      await loading;
      return created;
    },
    send(channel, message) {
      if (window !== undefined && !window.isDestroyed()) window.webContents.send(channel, message);
    },
    current: () => window,
  };
}
