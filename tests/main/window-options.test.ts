import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import { DEFAULT_SIZE, WINDOW_BACKGROUND, hardenWebContents, mainWindowOptions } from '../../src/main/window-options';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', theme: 'dark' });

  it('turns on every isolation and turns off every Node and browser extra', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
  });

  it('starts hidden, titled, at the default size, with the theme\'s background', () => {
    expect(options).toMatchObject({ show: false, title: 'Rolecall', ...DEFAULT_SIZE, backgroundColor: WINDOW_BACKGROUND.dark });
    expect(mainWindowOptions({ preloadPath: 'p', theme: 'light' }).backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(WINDOW_BACKGROUND.light).not.toBe(WINDOW_BACKGROUND.dark);
  });

  it('opens where the user left it', () => {
    const bounds = { x: 10, y: 20, width: 1000, height: 700 };
    expect(mainWindowOptions({ preloadPath: 'p', theme: 'light', bounds })).toMatchObject(bounds);
  });
});

type Listener = (event: { preventDefault(): void; url?: string }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const contents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => (handlers.windowOpen = handler),
    session: {
      setPermissionRequestHandler: (handler: (...args: never[]) => unknown) => (handlers.permissionRequest = handler),
      setPermissionCheckHandler: (handler: (...args: never[]) => unknown) => (handlers.permissionCheck = handler),
      setDevicePermissionHandler: (handler: (...args: never[]) => unknown) => (handlers.devicePermission = handler),
    },
  };
  return { contents: contents as unknown as WebContents, listeners, handlers };
}

function emit(listener: Listener | undefined, url?: string): boolean {
  let prevented = false;
  listener?.({ preventDefault: () => (prevented = true), ...(url === undefined ? {} : { url }) });
  return prevented;
}

describe('hardenWebContents', () => {
  it('prevents navigation, frame navigation, redirects and webviews, and logs each', () => {
    const { contents, listeners } = fakeContents();
    const logger = createMemoryLogger();
    hardenWebContents(contents, logger);
    expect(emit(listeners.get('will-navigate'), 'https://evil.example/')).toBe(true);
    expect(emit(listeners.get('will-frame-navigate'), 'https://evil.example/frame')).toBe(true);
    expect(emit(listeners.get('will-redirect'), 'https://evil.example/r')).toBe(true);
    expect(emit(listeners.get('will-attach-webview'))).toBe(true);
    expect(logger.entries.map((entry) => entry.fields.url)).toEqual(['https://evil.example/', 'https://evil.example/frame', 'https://evil.example/r', null]);
  });

  it('denies window.open', () => {
    const { contents, handlers } = fakeContents();
    hardenWebContents(contents, createMemoryLogger());
    const open = handlers.windowOpen as (details: { url: string }) => unknown;
    expect(open({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('refuses every permission request, check and device permission', () => {
    const { contents, handlers } = fakeContents();
    hardenWebContents(contents, createMemoryLogger());
    const answers: boolean[] = [];
    const request = handlers.permissionRequest as (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) request(null, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false, false]);
    expect((handlers.permissionCheck as () => boolean)()).toBe(false);
    expect((handlers.devicePermission as () => boolean)()).toBe(false);
  });
});
